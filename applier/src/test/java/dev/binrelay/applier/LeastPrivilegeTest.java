package dev.binrelay.applier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.binrelay.engine.Replica;
import dev.binrelay.engine.ReplicaException;
import dev.binrelay.engine.SourceSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * binrelay with accounts holding exactly the privileges README's "What the source and target need" documents (the
 * statements below are copied from it), and {@code target.requireReadOnly}: each refusal, and replication into a
 * target applications cannot write to.
 */
class LeastPrivilegeTest {
    @RegisterExtension
    static final ReplicaFixture fixture = new ReplicaFixture();

    /** README: the source user. */
    private static final String[] SOURCE_GRANTS = {
            "CREATE USER 'binrelay'@'%' IDENTIFIED BY 'source-secret'",
            "GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'binrelay'@'%'"};
    /** README: the target user. */
    private static final String[] TARGET_GRANTS = {
            "CREATE USER 'binrelay'@'%' IDENTIFIED BY 'target-secret'",
            "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, ALTER, INDEX, REFERENCES ON *.* TO 'binrelay'@'%'"};
    /** README: the target user under {@code target.requireReadOnly: true}, in addition. */
    private static final String READ_ONLY_GRANT = "GRANT CONNECTION_ADMIN ON *.* TO 'binrelay_ro'@'%'";

    @BeforeAll
    static void createAccounts() {
        fixture.source().execute(SOURCE_GRANTS);
        fixture.target().execute(TARGET_GRANTS);
        // The same grants under another name, plus CONNECTION_ADMIN.
        for (String statement : TARGET_GRANTS) {
            fixture.target().execute(statement.replace("'binrelay'@", "'binrelay_ro'@"));
        }
        fixture.target().execute(READ_ONLY_GRANT);
        fixture.target().execute("CREATE USER 'application'@'%' IDENTIFIED BY 'app-secret'",
                "GRANT SELECT, INSERT, UPDATE, DELETE ON *.* TO 'application'@'%'");
    }

    @AfterEach
    void targetWritableAgain() {
        fixture.target().execute("SET GLOBAL super_read_only = OFF", "SET GLOBAL read_only = OFF");
    }

    @Test
    void accountsWithExactlyTheDocumentedGrantsReplicateDataAndSchemaChanges() throws Exception {
        Replica replica = start("binrelay", false);
        try {
            writeOnSource("least");
            fixture.awaitCaughtUp(replica);
            fixture.assertTablesMatch("least");
            assertThat(fixture.target().queryString("SELECT COUNT(*) FROM information_schema.referential_constraints "
                    + "WHERE constraint_schema = 'least'")).isEqualTo("1");
            assertThat(fixture.target().queryString("SELECT COUNT(*) FROM information_schema.statistics "
                    + "WHERE table_schema = 'least' AND index_name = 'by_v'")).isNotEqualTo("0");
        } finally {
            replica.stop();
        }
    }

    @Test
    void requireReadOnlyReplicatesIntoATargetApplicationsCannotWriteTo() throws Exception {
        fixture.target().execute("SET GLOBAL read_only = ON");
        Replica replica = start("binrelay_ro", true);
        try {
            writeOnSource("guarded");
            fixture.awaitCaughtUp(replica);
            fixture.assertTablesMatch("guarded");
            assertThatThrownBy(() -> applicationWrites("INSERT INTO guarded.t VALUES (9, 'nine')"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("--read-only");
        } finally {
            replica.stop();
        }
    }

    @Test
    void requireReadOnlyRefusesAWritableTarget() {
        assertThatThrownBy(() -> start("binrelay_ro", true)).isInstanceOf(ReplicaException.class)
                .hasMessageContaining("read_only=OFF")
                .hasMessageContaining("SET PERSIST read_only=ON");
    }

    @Test
    void requireReadOnlyRefusesSuperReadOnly() {
        fixture.target().execute("SET GLOBAL super_read_only = ON");

        assertThatThrownBy(() -> start("binrelay_ro", true)).isInstanceOf(ReplicaException.class)
                .hasMessageContaining("super_read_only=ON")
                .hasMessageContaining("SET PERSIST super_read_only=OFF");
    }

    @Test
    void requireReadOnlyRefusesAUserThatCannotWriteUnderReadOnly() {
        fixture.target().execute("SET GLOBAL read_only = ON");

        assertThatThrownBy(() -> start("binrelay", true)).isInstanceOf(ReplicaException.class)
                .hasMessageContaining("cannot write while read_only=ON")
                .hasMessageContaining("GRANT CONNECTION_ADMIN ON *.* TO 'binrelay'@'%'");
    }

    private static Replica start(String targetUser, boolean requireReadOnly) {
        SourceSettings source = SourceSettings.builder(fixture.source().host(), fixture.source().port())
                .user("binrelay")
                .password("source-secret").serverId(4242).startGtids("current").heartbeat(Duration.ofSeconds(1))
                .connectTimeout(Duration.ofSeconds(10)).build();
        TargetSettings target = new TargetSettings(fixture.target().jdbcUrl(), targetUser, "target-secret", "binrelay",
                "default", Set.of(), null, requireReadOnly);
        Replica replica = Replica.builder().source(source).applier(new JdbcApplier(target)).build();
        replica.start();
        return replica;
    }

    private static void applicationWrites(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(fixture.target().jdbcUrl(), "application",
                "app-secret"); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static void writeOnSource(String schema) {
        fixture.source().execute("CREATE DATABASE " + schema,
                "CREATE TABLE " + schema + ".t (id INT PRIMARY KEY, v VARCHAR(20))",
                "INSERT INTO " + schema + ".t VALUES (1, 'one'), (2, 'two'), (3, 'three')",
                "ALTER TABLE " + schema + ".t ADD COLUMN n INT NOT NULL DEFAULT 7, ADD INDEX by_v (v)",
                "CREATE INDEX by_n ON " + schema + ".t (n)",
                "CREATE TABLE " + schema + ".child (id INT PRIMARY KEY, t_id INT, "
                        + "FOREIGN KEY (t_id) REFERENCES " + schema + ".t (id))",
                "INSERT INTO " + schema + ".child VALUES (1, 1)",
                "UPDATE " + schema + ".t SET v = 'deux', n = 2 WHERE id = 2",
                "DELETE FROM " + schema + ".t WHERE id = 3",
                "CREATE TABLE " + schema + ".gone (id INT PRIMARY KEY)",
                "DROP TABLE " + schema + ".gone");
    }
}
