package dev.binrelay.applier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.binrelay.checkpoint.Gtid;
import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.engine.Replica;
import dev.binrelay.engine.ReplicaException;
import dev.binrelay.engine.ReplicaState;
import dev.binrelay.engine.SchedulerKind;
import dev.binrelay.engine.SourceMode;
import dev.binrelay.engine.SourceSettings;
import dev.binrelay.testkit.EmbeddedMySql;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each bad input stops the replica with one error that names the cause, and commits nothing of what failed. */
class BadInputTest {
    @RegisterExtension
    static final ReplicaFixture fixture = new ReplicaFixture();

    @Test
    void unreachableSourceIsNamed() throws Exception {
        int closedPort = closedPort();
        SourceSettings settings = SourceSettings.builder("127.0.0.1", closedPort).user("root").password("")
                .serverId(4242).connectTimeout(Duration.ofSeconds(3)).build();
        Replica replica = Replica.builder().source(settings).applier(new JdbcApplier(fixture.targetSettings())).build();
        assertThatThrownBy(replica::start).isInstanceOf(ReplicaException.class)
                .hasMessageContaining("cannot reach source 127.0.0.1:" + closedPort);
        assertThat(replica.state()).isEqualTo(ReplicaState.FAILED);
    }

    @Test
    void wrongSourcePasswordIsNamedWithoutPrintingIt() {
        fixture.source().execute("CREATE USER IF NOT EXISTS 'repl'@'%' IDENTIFIED BY 'right-secret'",
                "GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'repl'@'%'");
        SourceSettings settings = SourceSettings.builder("127.0.0.1", fixture.source().port()).user("repl")
                .password("wrong-secret").serverId(4242).build();
        Replica replica = Replica.builder().source(settings).applier(new JdbcApplier(fixture.targetSettings())).build();
        assertThatThrownBy(replica::start).isInstanceOf(ReplicaException.class)
                .hasMessageContaining("refused user 'repl'").hasMessageContaining("source.password")
                .hasMessageNotContaining("wrong-secret");
    }

    @Test
    void sourceWithoutGtidsInGtidModeIsRefusedNamingTheSetting() {
        // source.mode auto would replicate it by position (PositionModeTest); gtid mode insists on GTIDs.
        try (EmbeddedMySql noGtids = EmbeddedMySql.builder().name("no-gtid-source").binlog(true).start()) {
            SourceSettings settings = SourceSettings.builder(noGtids.host(), noGtids.port()).user(noGtids.user())
                    .password(noGtids.password()).serverId(4242).build();
            Replica replica = Replica.builder().source(settings).mode(SourceMode.GTID)
                    .applier(new JdbcApplier(fixture.targetSettings())).build();
            assertThatThrownBy(replica::start).isInstanceOf(ReplicaException.class)
                    .hasMessageContaining("gtid_mode=OFF").hasMessageContaining("gtid_mode=ON")
                    .hasMessageContaining("source.mode: position");
        }
    }

    @Test
    void sourceInStatementFormatIsRefusedNamingTheSetting() {
        try (EmbeddedMySql statementFormat = EmbeddedMySql.builder().name("sbr-source").binlog(true).gtid(true)
                .option("--binlog-format=STATEMENT").start()) {
            assertThatThrownBy(() -> startAgainst(statementFormat)).isInstanceOf(ReplicaException.class)
                    .hasMessageContaining("binlog_format=STATEMENT").hasMessageContaining("binlog_format=ROW");
        }
    }

    @Test
    void unreachableTargetIsNamed() throws Exception {
        int closedPort = closedPort();
        TargetSettings target = new TargetSettings("jdbc:mysql://127.0.0.1:" + closedPort + "/?connectTimeout=2000",
                "root", "", "binrelay", "default");
        Replica replica = Replica.builder().source(fixture.sourceSettings()).applier(new JdbcApplier(target)).build();
        assertThatThrownBy(replica::start).isInstanceOf(ReplicaException.class)
                .hasMessageContaining("cannot connect to target jdbc:mysql://127.0.0.1:" + closedPort);
    }

    @Test
    void wrongTargetPasswordIsNamedWithoutPrintingIt() {
        TargetSettings target = new TargetSettings(fixture.target().jdbcUrl(), "root", "not-the-password", "binrelay",
                "default");
        Replica replica = Replica.builder().source(fixture.sourceSettings()).applier(new JdbcApplier(target)).build();
        assertThatThrownBy(replica::start).isInstanceOf(ReplicaException.class)
                .hasMessageContaining("refused user 'root'").hasMessageContaining("target.password")
                .hasMessageNotContaining("not-the-password");
    }

    @Test
    void missingTargetTableStopsWithGtidAndTableAndKeepsCheckpointBeforeIt() throws Exception {
        fixture.source().execute("CREATE DATABASE shop", "CREATE TABLE shop.orders (id INT PRIMARY KEY)");
        fixture.fixStartPositionNow();
        Replica replica = fixture.startReplica();
        fixture.source().execute("INSERT INTO shop.orders VALUES (1)");
        Gtid failing = fixture.lastSourceGtid();

        ReplicaFixture.assertFailsWith(replica, "GTID " + failing, "table shop.orders does not exist on the target");
        assertThat(fixture.targetCheckpoint().contains(failing)).isFalse();
    }

    @Test
    void targetTableWithDifferentColumnsStopsNamingBothColumnLists() throws Exception {
        fixture.source().execute("CREATE DATABASE shop", "CREATE TABLE shop.orders (id INT PRIMARY KEY, total INT)");
        fixture.target().execute("CREATE DATABASE shop",
                "CREATE TABLE shop.orders (id INT PRIMARY KEY, total INT, extra INT)");
        fixture.fixStartPositionNow();
        Replica replica = fixture.startReplica();
        fixture.source().execute("INSERT INTO shop.orders VALUES (1, 10)");

        ReplicaFixture.assertFailsWith(replica, "GTID " + fixture.lastSourceGtid(), "table shop.orders differs on the target",
                "2 columns", "[id, total, extra]");
    }

    /**
     * The target table changed behind binrelay's back while it runs: the first row for it stops the replica naming
     * both column lists (with binlog_row_metadata=MINIMAL the source's names are not in the binary log: its column
     * count), and nothing of that transaction, not even its rows on another table, reaches the target.
     */
    @ParameterizedTest(name = "binlog_row_metadata={0}")
    @ValueSource(strings = {"FULL", "MINIMAL"})
    void targetTableAlteredWhileRunningStopsNamingBothColumnListsAndAppliesNothingOfTheTransaction(String metadata)
            throws Exception {
        String previous = fixture.source().queryString("SELECT @@global.binlog_row_metadata");
        fixture.source().execute("SET GLOBAL binlog_row_metadata = " + metadata);
        try {
            for (EmbeddedMySql server : List.of(fixture.source(), fixture.target())) {
                server.execute("CREATE DATABASE shop", "CREATE TABLE shop.orders (id INT PRIMARY KEY, total INT)",
                        "CREATE TABLE shop.audit (id INT PRIMARY KEY, what VARCHAR(20))");
            }
            fixture.fixStartPositionNow();
            Replica replica = fixture.startReplica(builder -> builder.scheduler(SchedulerKind.WRITESET).workers(4));
            fixture.source().execute("INSERT INTO shop.audit VALUES (1, 'before')");
            Gtid applied = fixture.lastSourceGtid();
            fixture.awaitCaughtUp(replica);
            fixture.target().execute("ALTER TABLE shop.orders ADD COLUMN extra INT");
            fixture.source().execute("BEGIN", "INSERT INTO shop.audit VALUES (2, 'with the order')",
                    "INSERT INTO shop.orders VALUES (1, 10)", "COMMIT");
            Gtid failing = fixture.lastSourceGtid();

            ReplicaFixture.assertFailsWith(replica, "GTID " + failing, "INSERT on shop.orders", "table shop.orders differs on the "
                    + "target", metadata.equals("FULL") ? "columns [id, total]" : "2 columns", "[id, total, extra]");
            assertThat(fixture.targetCheckpoint().contains(applied)).isTrue();
            assertThat(fixture.targetCheckpoint().contains(failing)).isFalse();
            assertThat(fixture.target().queryString("SELECT GROUP_CONCAT(id) FROM shop.audit")).isEqualTo("1");
            assertThat(fixture.target().queryString("SELECT COUNT(*) FROM shop.orders")).isEqualTo("0");
        } finally {
            fixture.source().execute("SET GLOBAL binlog_row_metadata = " + previous);
        }
    }

    @Test
    void duplicateKeyOnInsertStopsWithTargetErrorAndCommitsNothingOfTheTransaction() throws Exception {
        fixture.source().execute("CREATE DATABASE shop", "CREATE TABLE shop.orders (id INT PRIMARY KEY, total INT)");
        fixture.target().execute("CREATE DATABASE shop", "CREATE TABLE shop.orders (id INT PRIMARY KEY, total INT)",
                "INSERT INTO shop.orders VALUES (2, 999)");
        fixture.fixStartPositionNow();
        Replica replica = fixture.startReplica();
        fixture.source().execute("BEGIN", "INSERT INTO shop.orders VALUES (1, 10)",
                "INSERT INTO shop.orders VALUES (2, 20)", "COMMIT");
        Gtid failing = fixture.lastSourceGtid();

        ReplicaFixture.assertFailsWith(replica, "GTID " + failing, "INSERT on shop.orders", "target error 1062");
        assertThat(fixture.target().queryString("SELECT GROUP_CONCAT(id, ':', total) FROM shop.orders"))
                .isEqualTo("2:999");
        assertThat(fixture.targetCheckpoint().contains(failing)).isFalse();
    }

    /**
     * The source purged binary logs holding transactions the target's checkpoint lacks: the replica stops naming
     * exactly those transactions (the source's gtid_purged minus the checkpoint) and what to do.
     */
    @Test
    void purgedBinaryLogsStopNamingTheMissingGtids() throws Exception {
        fixture.source().execute("CREATE DATABASE shop", "CREATE TABLE shop.orders (id INT PRIMARY KEY)");
        fixture.target().execute("CREATE DATABASE shop", "CREATE TABLE shop.orders (id INT PRIMARY KEY)");
        fixture.fixStartPositionNow();
        Replica replica = fixture.startReplica();
        fixture.source().execute("INSERT INTO shop.orders VALUES (1)");
        fixture.awaitCaughtUp(replica);
        replica.stop();
        GtidSet checkpoint = fixture.targetCheckpoint();
        assertThat(checkpoint).isEqualTo(GtidSet.parse(fixture.source().gtidExecuted()));

        fixture.source().execute("INSERT INTO shop.orders VALUES (2)", "INSERT INTO shop.orders VALUES (3)",
                "FLUSH BINARY LOGS");
        GtidSet missing = GtidSet.parse(fixture.source().gtidExecuted()).subtract(checkpoint);
        assertThat(missing.count()).isEqualTo(2);
        String current = fixture.source().queryString("SHOW MASTER STATUS");
        fixture.source().execute("PURGE BINARY LOGS TO '" + current + "'");

        Replica restarted = Replica.builder().source(fixture.sourceSettings())
                .applier(new JdbcApplier(fixture.targetSettings())).build();
        try {
            restarted.start();
        } catch (ReplicaException e) {
            // The source may refuse the stream before start() returns or just after: both end in FAILED.
        }
        ReplicaFixture.assertFailsWith(restarted, "source " + fixture.sourceSettings().address() + " has purged binary logs this "
                + "replica still needs: missing GTIDs " + missing + " (source error 1236: ",
                "Restore them, or rebuild the target from a snapshot and start with source.startGtids");
        assertThat(fixture.targetCheckpoint()).isEqualTo(checkpoint);
    }

    private static void startAgainst(EmbeddedMySql source) {
        SourceSettings settings = SourceSettings.builder(source.host(), source.port()).user(source.user())
                .password(source.password()).serverId(4242).build();
        Replica.builder().source(settings).applier(new JdbcApplier(fixture.targetSettings())).build().start();
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
