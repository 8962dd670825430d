package dev.binrelay.applier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.binrelay.engine.Replica;
import dev.binrelay.testkit.EmbeddedMySql;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Statements and rows apply on the target with the settings of the source session that wrote them: sql_mode, client
 * character set, time zone, statement time, foreign_key_checks, unique_checks and the rest.
 */
class SessionContextReplicationTest {
    /** 2001-02-03 04:05:06 UTC, a Saturday. */
    private static final long FIXED_SECONDS = 981_173_106L;

    @RegisterExtension
    static final ReplicaFixture fixture = new ReplicaFixture();

    @Test
    void rowsWrittenWithForeignKeyChecksOffReplicateAlthoughTheyViolateTheForeignKey() throws Exception {
        Replica replica = fixture.startReplica();
        try {
            fixture.source().execute(
                    "CREATE DATABASE fk",
                    "CREATE TABLE fk.parent (id INT PRIMARY KEY)",
                    "CREATE TABLE fk.child (id INT PRIMARY KEY, parent INT NOT NULL, "
                            + "FOREIGN KEY (parent) REFERENCES fk.parent (id))",
                    "INSERT INTO fk.parent VALUES (1), (2)",
                    "INSERT INTO fk.child VALUES (10, 1), (20, 2)");
            fixture.source().execute(
                    "SET SESSION foreign_key_checks = 0",
                    "INSERT INTO fk.child VALUES (30, 3)", // no parent 3
                    "DELETE FROM fk.parent WHERE id = 1", // child 10 is left without its parent
                    "SET SESSION foreign_key_checks = 1",
                    "INSERT INTO fk.child VALUES (40, 2)");

            fixture.awaitCaughtUp(replica);

            fixture.assertTablesMatch("fk");
            assertThat(fixture.target().queryString("SELECT GROUP_CONCAT(id ORDER BY id) FROM fk.child"))
                    .isEqualTo("10,20,30,40");
        } finally {
            replica.stop();
        }
    }

    @Test
    void eachRowsEventSetsTheTargetSessionsChecksAndClockAsTheSourceSessionHadThem() throws Exception {
        Replica replica = fixture.startReplica();
        try {
            fixture.source().execute(
                    "CREATE DATABASE uc",
                    "CREATE TABLE uc.t (id INT PRIMARY KEY, code INT, UNIQUE KEY (code))");
            fixture.awaitCaughtUp(replica);
            // A target-only trigger (no guard: binrelay did not create it) records the applier session per row.
            fixture.target().execute(
                    "CREATE DATABASE probe",
                    "CREATE TABLE probe.log (id INT PRIMARY KEY, fk INT, uc INT, at DATETIME)",
                    "CREATE TRIGGER uc.probe AFTER INSERT ON uc.t FOR EACH ROW "
                            + "INSERT INTO probe.log VALUES (NEW.id, @@foreign_key_checks, @@unique_checks, NOW())");
            fixture.source().execute(
                    "SET SESSION unique_checks = 0, TIMESTAMP = " + FIXED_SECONDS,
                    "INSERT INTO uc.t VALUES (1, 1)",
                    "SET SESSION unique_checks = 1, foreign_key_checks = 0, TIMESTAMP = " + (FIXED_SECONDS + 1),
                    "INSERT INTO uc.t VALUES (2, 2)",
                    "SET SESSION foreign_key_checks = 1, TIMESTAMP = DEFAULT",
                    "INSERT INTO uc.t VALUES (3, 3)");

            fixture.awaitCaughtUp(replica);

            fixture.assertTablesMatch("uc");
            assertThat(fixture.target().queryString("SELECT GROUP_CONCAT(id, ':', fk, ':', uc, ':', at ORDER BY id) "
                    + "FROM probe.log WHERE id < 3"))
                    .isEqualTo("1:1:0:2001-02-03 04:05:06,2:0:1:2001-02-03 04:05:07");
            assertThat(fixture.target().queryString("SELECT CONCAT(fk, ':', uc, ':', YEAR(at) > 2020) FROM probe.log "
                    + "WHERE id = 3")).isEqualTo("1:1:1");
        } finally {
            replica.stop();
        }
    }

    @Test
    void ddlRunsUnderTheSourceSessionsSqlModeNotTheGlobalOne() throws Exception {
        Replica replica = fixture.startReplica();
        try {
            fixture.source().execute("CREATE DATABASE sm");
            // The global sql_mode (strict, NO_ZERO_DATE) rejects this default; the session's empty mode allows it.
            fixture.source().execute(
                    "SET SESSION sql_mode = ''",
                    "CREATE TABLE sm.zero (id INT PRIMARY KEY, d DATETIME NOT NULL DEFAULT '0000-00-00 00:00:00')",
                    "INSERT INTO sm.zero (id) VALUES (1)");
            fixture.source().execute(
                    "SET SESSION sql_mode = 'ANSI_QUOTES'",
                    "CREATE TABLE \"sm\".\"quoted\" (\"id\" INT PRIMARY KEY, \"v\" VARCHAR(10) DEFAULT 'x')",
                    "INSERT INTO \"sm\".\"quoted\" (\"id\") VALUES (1)");

            fixture.awaitCaughtUp(replica);

            fixture.assertTablesMatch("sm");
            assertSameCreateTable("sm", "zero");
            assertSameCreateTable("sm", "quoted");
        } finally {
            replica.stop();
        }
    }

    @Test
    void ddlFromLatin1AndGbkClientsKeepsItsNonAsciiLiterals() throws Exception {
        // A GBK character whose second byte is 0x5C, a backslash in ASCII: read as anything but GBK it breaks.
        String gbkWithBackslashByte = "\u4e57";
        Replica replica = fixture.startReplica();
        try {
            fixture.source().execute("CREATE DATABASE cs");
            executeAs("Cp1252",
                    "CREATE TABLE cs.latin (id INT PRIMARY KEY, v VARCHAR(20) DEFAULT 'caf\u00e9 \u20ac', "
                            + "l VARCHAR(20) CHARACTER SET latin1 DEFAULT '\u00e9t\u00e9') COMMENT 'd\u00e9j\u00e0 vu'",
                    "INSERT INTO cs.latin (id) VALUES (1)");
            executeAs("GBK",
                    "CREATE TABLE cs.gbk (id INT PRIMARY KEY, v VARCHAR(20) DEFAULT '\u4e2d\u6587" + gbkWithBackslashByte
                            + "') COMMENT '\u4e2d\u6587\u6ce8\u91ca'",
                    "INSERT INTO cs.gbk (id) VALUES (1)");

            fixture.awaitCaughtUp(replica);

            fixture.assertTablesMatch("cs");
            assertSameCreateTable("cs", "latin");
            assertSameCreateTable("cs", "gbk");
            assertThat(fixture.target().queryString("SELECT CONCAT(column_default, '|', table_comment) FROM "
                    + "information_schema.columns JOIN information_schema.tables USING (table_schema, table_name) "
                    + "WHERE table_schema = 'cs' AND table_name = 'gbk' AND column_name = 'v'"))
                    .isEqualTo("\u4e2d\u6587" + gbkWithBackslashByte + "|\u4e2d\u6587\u6ce8\u91ca");
            assertThat(fixture.target().queryString("SELECT CONCAT(v, '|', l) FROM cs.latin"))
                    .isEqualTo("caf\u00e9 \u20ac|\u00e9t\u00e9");
        } finally {
            replica.stop();
        }
    }

    @Test
    void ddlInANonUtcSessionTimeZoneKeepsTheInstantOfATimestampDefault() throws Exception {
        Replica replica = fixture.startReplica();
        try {
            fixture.source().execute(
                    "CREATE DATABASE tz",
                    "SET SESSION time_zone = '+05:30'",
                    "CREATE TABLE tz.t (id INT PRIMARY KEY, ts TIMESTAMP NOT NULL DEFAULT '2020-01-01 10:00:00')");
            fixture.source().execute("INSERT INTO tz.t (id) VALUES (1)");

            fixture.awaitCaughtUp(replica);

            fixture.assertTablesMatch("tz");
            assertSameCreateTable("tz", "t");
            fixture.target().execute("INSERT INTO tz.t (id) VALUES (2)");
            assertThat(fixture.target().queryString("SELECT UNIX_TIMESTAMP(ts) FROM tz.t WHERE id = 2"))
                    .isEqualTo(fixture.source().queryString("SELECT UNIX_TIMESTAMP(ts) FROM tz.t WHERE id = 1"));
        } finally {
            replica.stop();
        }
    }

    @Test
    void columnsAddedToExistingRowsGetTheStatementsTimeLocaleAndAutoIncrementSettings() throws Exception {
        Replica replica = fixture.startReplica();
        try {
            fixture.source().execute(
                    "CREATE DATABASE at",
                    "CREATE TABLE at.t (name VARCHAR(10))",
                    "INSERT INTO at.t VALUES ('a'), ('b'), ('c')");
            fixture.source().execute(
                    "SET SESSION TIMESTAMP = " + FIXED_SECONDS + ".654321, lc_time_names = 'fi_FI', "
                            + "auto_increment_increment = 5, auto_increment_offset = 2",
                    "ALTER TABLE at.t ADD COLUMN id INT AUTO_INCREMENT PRIMARY KEY FIRST, "
                            + "ADD COLUMN ts TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), "
                            + "ADD COLUMN ts0 TIMESTAMP NULL DEFAULT CURRENT_TIMESTAMP, "
                            + "ADD COLUMN day VARCHAR(20) DEFAULT (DATE_FORMAT(NOW(), '%W'))");

            fixture.awaitCaughtUp(replica);

            fixture.assertTablesMatch("at");
            assertThat(fixture.target().queryString("SELECT GROUP_CONCAT(id, ' ', UNIX_TIMESTAMP(ts), ' ', "
                    + "UNIX_TIMESTAMP(ts0), ' ', day ORDER BY id) FROM at.t")).isEqualTo(
                    "2 981173106.654321 981173106 lauantai,7 981173106.654321 981173106 lauantai,"
                            + "12 981173106.654321 981173106 lauantai");
        } finally {
            replica.stop();
        }
    }

    @Test
    void minimalRowImagesIntoTablesWithCurrentTimestampDefaultsReplicateTheSourcesTimes() throws Exception {
        Replica replica = fixture.startReplica();
        try {
            fixture.source().execute(
                    "CREATE DATABASE mi",
                    "CREATE TABLE mi.t (id INT PRIMARY KEY, qty INT DEFAULT 1, "
                            + "created TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, "
                            + "updated TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP)");
            fixture.source().execute(
                    "SET SESSION binlog_row_image = 'MINIMAL', TIMESTAMP = " + FIXED_SECONDS,
                    "INSERT INTO mi.t (id) VALUES (1), (2)",
                    "SET SESSION TIMESTAMP = " + (FIXED_SECONDS + 60),
                    "UPDATE mi.t SET qty = 5 WHERE id = 2");

            fixture.awaitCaughtUp(replica);

            fixture.assertTablesMatch("mi");
            assertThat(fixture.target().queryString("SELECT GROUP_CONCAT(id, ' ', qty, ' ', UNIX_TIMESTAMP(created), "
                    + "' ', UNIX_TIMESTAMP(updated) ORDER BY id) FROM mi.t"))
                    .isEqualTo("1 1 981173106 981173106,2 5 981173106 981173166");
        } finally {
            replica.stop();
        }
    }

    @Test
    void aTargetUserWithoutSessionVariablesAdminReplicatesDdlWhoseRestrictedSettingsMatchTheTarget() throws Exception {
        fixture.target().execute(
                "DROP USER IF EXISTS 'applier'@'%'",
                "CREATE USER 'applier'@'%' IDENTIFIED WITH caching_sha2_password BY 'applier-pw'",
                "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, ALTER, INDEX, REFERENCES ON *.* "
                        + "TO 'applier'@'%'");
        JdbcApplier applier = new JdbcApplier(new TargetSettings(fixture.target().jdbcUrl(), "applier", "applier-pw",
                "binrelay", "default"));
        Replica replica = fixture.startReplica(applier);
        try {
            // Every CREATE TABLE logs sql_require_primary_key, which only SESSION_VARIABLES_ADMIN may set.
            fixture.source().execute(
                    "CREATE DATABASE priv",
                    "CREATE TABLE priv.t (id INT PRIMARY KEY, at TIMESTAMP NULL DEFAULT CURRENT_TIMESTAMP)",
                    "ALTER TABLE priv.t ADD COLUMN note VARCHAR(10)",
                    "INSERT INTO priv.t (id, note) VALUES (1, 'x')");

            fixture.awaitCaughtUp(replica);

            fixture.assertTablesMatch("priv");
        } finally {
            replica.stop();
            fixture.target().execute("DROP USER IF EXISTS 'applier'@'%'");
        }
    }

    /** Runs statements on one source connection whose client character set is the given Java encoding's. */
    private static void executeAs(String javaEncoding, String... statements) throws SQLException {
        EmbeddedMySql source = fixture.source();
        try (Connection connection = DriverManager.getConnection(source.jdbcUrl() + "&characterEncoding="
                + javaEncoding, source.user(), source.password()); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    /** SHOW CREATE TABLE, read in UTC on both sides, is the same. */
    private static void assertSameCreateTable(String schema, String table) throws SQLException {
        assertThat(showCreateTable(fixture.target(), schema, table)).as("SHOW CREATE TABLE %s.%s", schema, table)
                .isEqualTo(showCreateTable(fixture.source(), schema, table));
    }

    private static String showCreateTable(EmbeddedMySql server, String schema, String table) throws SQLException {
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            statement.execute("SET SESSION time_zone = '+00:00'");
            try (ResultSet row = statement.executeQuery("SHOW CREATE TABLE `" + schema + "`.`" + table + "`")) {
                row.next();
                return row.getString(2);
            }
        }
    }
}
