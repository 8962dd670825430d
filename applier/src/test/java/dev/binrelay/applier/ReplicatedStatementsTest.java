package dev.binrelay.applier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.binrelay.checkpoint.Gtid;
import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.engine.Replica;
import dev.binrelay.engine.ReplicaState;
import dev.binrelay.testkit.EmbeddedMySql;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What ROW format logs as statements replicates (savepoints, CREATE TABLE ... SELECT, triggers, events, views,
 * routines, users), and what a STATEMENT or MIXED format session logs is refused with nothing of it applied.
 */
class ReplicatedStatementsTest {
    @RegisterExtension
    static final ReplicaFixture fixture = new ReplicaFixture();

    @Test
    void aStatementFormatSessionIsRefusedNamingGtidStatementAndSettingAndNothingOfItIsApplied() throws Exception {
        Replica replica = fixture.startReplica();
        try {
            fixture.source().execute(
                    "CREATE DATABASE sbr",
                    "CREATE TABLE sbr.t (id INT AUTO_INCREMENT PRIMARY KEY, note VARCHAR(200))",
                    "INSERT INTO sbr.t (note) VALUES ('row format')");
            fixture.awaitCaughtUp(replica); // a refusal stops the replica, with what it had not applied yet
            Gtid refused = nextGtid();
            fixture.source().execute(
                    "SET SESSION binlog_format = 'STATEMENT'",
                    "BEGIN",
                    "INSERT INTO sbr.t (note) VALUES ('statement format')",
                    "UPDATE sbr.t SET note = CONCAT(note, '!')",
                    "COMMIT");

            assertThat(replica.awaitTermination(Duration.ofSeconds(60))).isTrue();
            assertThat(replica.state()).isEqualTo(ReplicaState.FAILED);
            assertThat(replica.failure()).hasMessageContaining("GTID " + refused)
                    .hasMessageContaining("`INSERT INTO sbr.t (note) VALUES ('statement format')`")
                    .hasMessageContaining("binlog_format=ROW");
            assertThat(fixture.target().queryString("SELECT GROUP_CONCAT(note) FROM sbr.t")).isEqualTo("row format");
            assertThat(fixture.targetCheckpoint().contains(refused)).isFalse();
        } finally {
            replica.stop();
        }
    }

    @Test
    void aMixedFormatSessionLogsSafeStatementsAsStatementsAndIsRefusedToo() throws Exception {
        Replica replica = fixture.startReplica();
        try {
            fixture.source().execute(
                    "CREATE DATABASE mixed",
                    "CREATE TABLE mixed.t (id INT PRIMARY KEY, qty INT)",
                    "INSERT INTO mixed.t VALUES (1, 1)");
            Gtid refused = nextGtid();
            fixture.source().execute(
                    "SET SESSION binlog_format = 'MIXED'",
                    "UPDATE mixed.t SET qty = qty + 1 WHERE id = 1");

            assertThat(replica.awaitTermination(Duration.ofSeconds(60))).isTrue();
            assertThat(replica.failure()).hasMessageContaining("GTID " + refused)
                    .hasMessageContaining("`UPDATE mixed.t SET qty = qty + 1 WHERE id = 1` as a statement")
                    .hasMessageContaining("binlog_format=ROW");
            assertThat(fixture.targetCheckpoint().contains(refused)).isFalse();
        } finally {
            replica.stop();
        }
    }

    @Test
    void savepointsAndRollbacksToThemInsideARowTransactionReplicate() throws Exception {
        Replica replica = fixture.startReplica();
        try {
            fixture.source().execute(
                    "CREATE DATABASE sp",
                    "CREATE TABLE sp.t (id INT PRIMARY KEY, v INT)",
                    "BEGIN",
                    "INSERT INTO sp.t VALUES (1, 1)",
                    "SAVEPOINT a",
                    "INSERT INTO sp.t VALUES (2, 2)",
                    "SAVEPOINT b",
                    "UPDATE sp.t SET v = 100",
                    "DELETE FROM sp.t WHERE id = 1",
                    "ROLLBACK TO SAVEPOINT b",
                    "INSERT INTO sp.t VALUES (3, 3)",
                    "RELEASE SAVEPOINT a",
                    "COMMIT");

            fixture.awaitCaughtUp(replica);

            fixture.assertTablesMatch("sp");
            assertThat(fixture.target().queryString("SELECT GROUP_CONCAT(id, ':', v ORDER BY id) FROM sp.t"))
                    .isEqualTo("1:1,2:2,3:3");
        } finally {
            replica.stop();
        }
    }

    @Test
    void createTableSelectReplicatesItsDefinitionAndRows() throws Exception {
        Replica replica = fixture.startReplica();
        try {
            fixture.source().execute(
                    "CREATE DATABASE ctas",
                    "CREATE TABLE ctas.src (id INT PRIMARY KEY, name VARCHAR(20), price DECIMAL(8,2))",
                    "INSERT INTO ctas.src VALUES (1, 'one', 1.50), (2, 'two', 2.25), (3, 'three', 3.00)",
                    "CREATE TABLE ctas.copy (PRIMARY KEY (id)) AS SELECT id, UPPER(name) AS name, price * 2 AS double_price "
                            + "FROM ctas.src WHERE id > 1",
                    "INSERT INTO ctas.copy VALUES (9, 'NINE', 9)");

            fixture.awaitCaughtUp(replica);

            fixture.assertTablesMatch("ctas");
            assertThat(showCreate(fixture.target(), "TABLE", "ctas.copy"))
                    .isEqualTo(showCreate(fixture.source(), "TABLE", "ctas.copy"));
            assertThat(fixture.target().queryString("SELECT GROUP_CONCAT(id, name ORDER BY id) FROM ctas.copy"))
                    .isEqualTo("2TWO,3THREE,9NINE");
        } finally {
            replica.stop();
        }
    }

    @Test
    void replicatedTriggersDoNotFireAgainForTheRowsTheyChangedOnTheSource() throws Exception {
        Replica replica = fixture.startReplica();
        try {
            fixture.source().execute(
                    "CREATE DATABASE trg",
                    "CREATE TABLE trg.item (id INT PRIMARY KEY, hits INT NOT NULL DEFAULT 0)",
                    "CREATE TABLE trg.audit (id INT AUTO_INCREMENT PRIMARY KEY, note VARCHAR(50))",
                    "CREATE DEFINER = 'root'@'localhost' TRIGGER trg.count_hit BEFORE INSERT ON trg.item FOR EACH ROW "
                            + "SET NEW.hits = NEW.hits + 1",
                    "CREATE TRIGGER trg.audit_insert AFTER INSERT ON trg.item FOR EACH ROW "
                            + "INSERT INTO trg.audit (note) VALUES (CONCAT('insert ', NEW.id))",
                    "CREATE TRIGGER trg.audit_update AFTER UPDATE ON trg.item FOR EACH ROW "
                            + "BEGIN\n  INSERT INTO trg.audit (note) VALUES (CONCAT('update ', NEW.id)); -- one row\nEND",
                    "CREATE TRIGGER trg.audit_update_2 AFTER UPDATE ON trg.item FOR EACH ROW FOLLOWS audit_update "
                            + "INSERT INTO trg.audit (note) VALUES (CONCAT('again ', NEW.id))",
                    "INSERT INTO trg.item (id) VALUES (1), (2)",
                    "UPDATE trg.item SET hits = hits + 10 WHERE id = 2");

            fixture.awaitCaughtUp(replica);

            fixture.assertTablesMatch("trg");
            assertThat(fixture.target().queryString("SELECT GROUP_CONCAT(note ORDER BY id) FROM trg.audit"))
                    .isEqualTo("insert 1,insert 2,update 2,again 2");
            assertThat(fixture.target().queryString("SELECT GROUP_CONCAT(id, ':', hits ORDER BY id) FROM trg.item"))
                    .isEqualTo("1:1,2:11");
            assertThat(showCreate(fixture.target(), "TRIGGER", "trg.audit_insert"))
                    .contains("FOR EACH ROW IF @binrelay_applier IS NULL THEN INSERT INTO trg.audit");
            // Any other session on the target (an application after a failover) still fires them.
            fixture.target().execute("INSERT INTO trg.item (id) VALUES (3)");
            assertThat(fixture.target().queryString("SELECT CONCAT(hits, ' ', (SELECT note FROM trg.audit "
                    + "ORDER BY id DESC LIMIT 1)) FROM trg.item WHERE id = 3")).isEqualTo("1 insert 3");
        } finally {
            replica.stop();
        }
    }

    @Test
    void replicatedEventsAreDisabledOnTheTargetSoOnlyTheSourceRunsThem() throws Exception {
        Replica replica = fixture.startReplica();
        try {
            fixture.source().execute(
                    "CREATE DATABASE ev",
                    "CREATE TABLE ev.ticks (id INT AUTO_INCREMENT PRIMARY KEY, at DATETIME(6))",
                    "CREATE DEFINER = 'root'@'localhost' EVENT ev.tick ON SCHEDULE EVERY 1 SECOND "
                            + "COMMENT 'ticks' DO INSERT INTO ev.ticks (at) VALUES (NOW(6))");
            Thread.sleep(3500);
            fixture.source().execute("ALTER EVENT ev.tick DISABLE");
            fixture.awaitCaughtUp(replica);
            Thread.sleep(1500); // an event running on the target would have added rows by now

            fixture.assertTablesMatch("ev");
            assertThat(Integer.parseInt(fixture.source().queryString("SELECT COUNT(*) FROM ev.ticks")))
                    .isGreaterThanOrEqualTo(2);
            assertThat(fixture.target().queryString("SELECT CONCAT(status, ' ', event_comment, ' ', definer) FROM "
                    + "information_schema.events WHERE event_schema = 'ev' AND event_name = 'tick'"))
                    .isEqualTo("SLAVESIDE_DISABLED ticks root@localhost");
            assertThat(showCreate(fixture.target(), "EVENT", "ev.tick")).contains("DISABLE ON SLAVE");
        } finally {
            replica.stop();
        }
    }

    @Test
    void usersViewsProceduresAndFunctionsWithDefinersReplicateAsTheSourceHasThem() throws Exception {
        Replica replica = fixture.startReplica();
        try {
            fixture.source().execute(
                    "CREATE DATABASE obj",
                    "CREATE TABLE obj.sale (id INT PRIMARY KEY, amount DECIMAL(8,2))",
                    "DROP USER IF EXISTS 'reporter'@'%'",
                    "CREATE USER 'reporter'@'%' IDENTIFIED BY 'r3p0rt!'",
                    "GRANT SELECT, EXECUTE ON obj.* TO 'reporter'@'%'",
                    "CREATE DEFINER = 'reporter'@'%' SQL SECURITY DEFINER VIEW obj.big_sale AS "
                            + "SELECT id, amount FROM obj.sale WHERE amount >= 100",
                    "CREATE DEFINER = 'root'@'localhost' PROCEDURE obj.record_sale(IN sale_id INT, IN sale_amount "
                            + "DECIMAL(8,2))\nBEGIN\n  INSERT INTO obj.sale VALUES (sale_id, sale_amount);\nEND",
                    "CREATE DEFINER = 'reporter'@'%' FUNCTION obj.with_tax(amount DECIMAL(8,2)) RETURNS DECIMAL(8,2) "
                            + "DETERMINISTIC RETURN amount * 1.2",
                    "CALL obj.record_sale(1, 50)",
                    "CALL obj.record_sale(2, 150)");

            fixture.awaitCaughtUp(replica);

            fixture.assertTablesMatch("obj");
            for (String[] object : new String[][] {{"VIEW", "obj.big_sale"}, {"PROCEDURE", "obj.record_sale"},
                    {"FUNCTION", "obj.with_tax"}}) {
                assertThat(showCreate(fixture.target(), object[0], object[1])).as("%s %s", object[0], object[1])
                        .isEqualTo(showCreate(fixture.source(), object[0], object[1]));
            }
            // The replicated password hash works: the view's definer logs in to the target and uses what it owns.
            try (Connection reporter = DriverManager.getConnection(fixture.target().jdbcUrl(), "reporter", "r3p0rt!");
                 Statement statement = reporter.createStatement();
                 ResultSet row = statement.executeQuery("SELECT GROUP_CONCAT(id), obj.with_tax(10) "
                         + "FROM obj.big_sale")) {
                row.next();
                assertThat(row.getString(1) + " " + row.getString(2)).isEqualTo("2 12.00");
            }
        } finally {
            replica.stop();
            fixture.source().execute("DROP USER IF EXISTS 'reporter'@'%'");
            fixture.target().execute("DROP USER IF EXISTS 'reporter'@'%'");
        }
    }

    /** The GTID the source's next transaction gets. */
    private static Gtid nextGtid() {
        UUID uuid = UUID.fromString(fixture.source().serverUuid());
        var intervals = GtidSet.parse(fixture.source().gtidExecuted()).intervals(uuid);
        return new Gtid(uuid, intervals.get(intervals.size() - 1).end() + 1);
    }

    /** The definition column of SHOW CREATE {@code kind} {@code name}. */
    private static String showCreate(EmbeddedMySql server, String kind, String name) throws SQLException {
        try (Connection connection = server.connect(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SHOW CREATE " + kind + " " + name)) {
            row.next();
            int column = switch (kind) {
                case "TABLE", "VIEW" -> 2;
                case "EVENT" -> 4;
                default -> 3; // PROCEDURE, FUNCTION, TRIGGER
            };
            return row.getString(column);
        }
    }
}
