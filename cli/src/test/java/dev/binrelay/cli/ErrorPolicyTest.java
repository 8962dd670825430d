package dev.binrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.binrelay.checkpoint.CheckpointStore;
import dev.binrelay.checkpoint.Gtid;
import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.testkit.SourceAndTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The error policy through the daemon: {@code applier.skipErrors} skips one refused row change and keeps running, and
 * {@code binrelay skip} gets a stopped replica past the one transaction it failed on.
 */
class ErrorPolicyTest {
    private static final int ER_BAD_DB = 1049;
    private static final int ER_NO_SUCH_TABLE = 1146;

    @RegisterExtension
    static final SourceAndTarget servers = SourceAndTarget.create().keepSchemasBetweenTests();

    @TempDir
    Path folder;

    @Test
    void skipGetsAStoppedReplicaPastTheTransactionItFailedOn() throws Exception {
        servers.source().execute("CREATE DATABASE skip_test",
                "CREATE TABLE skip_test.items (id INT PRIMARY KEY, name VARCHAR(20))",
                "INSERT INTO skip_test.items VALUES (1, 'one'), (2, 'two')");
        // The target lacks row 2, so the source's update of it fails there (1032).
        servers.target().execute("CREATE DATABASE skip_test",
                "CREATE TABLE skip_test.items (id INT PRIMARY KEY, name VARCHAR(20))",
                "INSERT INTO skip_test.items VALUES (1, 'one')");
        Path config = writeConfig("br_skip", servers.source().gtidExecuted(), "");
        servers.source().execute("INSERT INTO skip_test.items VALUES (3, 'three')");
        servers.source().execute("BEGIN", "UPDATE skip_test.items SET name = 'TWO' WHERE id = 2",
                "INSERT INTO skip_test.items VALUES (4, 'four')", "COMMIT");
        Gtid failing = lastSourceGtid();
        servers.source().execute("INSERT INTO skip_test.items VALUES (5, 'five')");

        Path firstLog = folder.resolve("first.log");
        Process first = ForkedDaemon.start(config, firstLog);
        assertThat(first.waitFor(90, TimeUnit.SECONDS)).as("the replica stops on GTID %s", failing).isTrue();
        assertThat(first.exitValue()).as(ForkedDaemon.output(firstLog)).isEqualTo(1);
        assertThat(ForkedDaemon.output(firstLog)).contains("binrelay: replica failed: GTID " + failing,
                "UPDATE on skip_test.items", "error 1032");
        assertThat(checkpoint("br_skip").contains(failing)).isFalse();

        CommandResult skipped = CommandResult.run("skip", "--config", config.toString(), "--gtid", failing.toString());
        assertThat(skipped.exitCode()).as(skipped.err()).isZero();
        String targetWithoutQuery = servers.target().jdbcUrl().replaceFirst("\\?.*", "");
        assertThat(skipped.out()).isEqualTo("binrelay: skipped GTID " + failing + ": recorded as applied in "
                + "br_skip.gtid_executed (channel default) on target " + targetWithoutQuery + " without applying it"
                + System.lineSeparator());

        CommandResult again = CommandResult.run("skip", "--config", config.toString(), "--gtid", failing.toString());
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("GTID " + failing + " is already in the checkpoint br_skip.gtid_executed");

        Path secondLog = folder.resolve("second.log");
        Process second = ForkedDaemon.start(config, secondLog);
        try {
            GtidSet wanted = GtidSet.parse(servers.source().gtidExecuted());
            awaitTrue(() -> wanted.equals(checkpoint("br_skip")), second, secondLog);
            // Everything but the skipped transaction's rows: row 2 stays as the target had it (absent), row 4 never
            // arrives.
            assertThat(rows("skip_test.items WHERE id NOT IN (2, 4)", servers.target()))
                    .isEqualTo(rows("skip_test.items WHERE id NOT IN (2, 4)", servers.source()))
                    .isEqualTo("1:one,3:three,5:five");
            assertThat(rows("skip_test.items WHERE id IN (2, 4)", servers.target())).isNull();
            assertThat(checkpoint("br_skip")).isEqualTo(wanted);
            second.destroy();
            assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(second.exitValue()).as(ForkedDaemon.output(secondLog)).isZero();
        } finally {
            second.destroyForcibly();
        }
    }

    @Test
    void skipRefusesAnythingButOneGtid() throws Exception {
        Path config = writeConfig("br_skip_usage", servers.source().gtidExecuted(), "");
        String uuid = servers.source().serverUuid();

        for (String notOne : new String[] {uuid + ":1-3", uuid + ":1," + uuid + ":3", uuid, "latest"}) {
            CommandResult result = CommandResult.run("skip", "--config", config.toString(), "--gtid", notOne);
            assertThat(result.exitCode()).as(notOne).isEqualTo(2);
            assertThat(result.err()).as(notOne).startsWith("binrelay: --gtid takes one GTID, <uuid>:<transaction "
                    + "number>: invalid GTID");
        }
        assertThat(checkpoint("br_skip_usage")).isEqualTo(GtidSet.empty());
    }

    /** Before the first run the checkpoint is empty and source.startGtids decides the start; a skip would void it. */
    @Test
    void skipRefusesAnEmptyCheckpointThatSourceStartGtidsIsStillToFill() throws Exception {
        Path config = writeConfig("br_skip_fresh", "current", "");
        Gtid next = new Gtid(UUID.fromString(servers.source().serverUuid()), 1_000_000);

        CommandResult result = CommandResult.run("skip", "--config", config.toString(), "--gtid", next.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("the checkpoint br_skip_fresh.gtid_executed (channel default) on target",
                "is empty", "source.startGtids ('current')");
        assertThat(checkpoint("br_skip_fresh")).isEqualTo(GtidSet.empty());
    }

    @Test
    void skipErrorsSkipsADuplicateKeyLogsItAndKeepsRunning() throws Exception {
        createItemsWithRowTwoOnTheTarget("dup_skip");
        Path config = writeConfig("br_dup_skip", servers.source().gtidExecuted(), "  skipErrors: [1062]\n");
        Path log = folder.resolve("dup_skip.log");
        Process daemon = ForkedDaemon.start(config, log);
        try {
            servers.source().execute("BEGIN", "INSERT INTO dup_skip.items VALUES (1, 'one')",
                    "INSERT INTO dup_skip.items VALUES (2, 'two')", "INSERT INTO dup_skip.items VALUES (3, 'three')",
                    "COMMIT");
            Gtid skipping = lastSourceGtid();
            servers.source().execute("INSERT INTO dup_skip.items VALUES (4, 'four')");

            GtidSet wanted = GtidSet.parse(servers.source().gtidExecuted());
            awaitTrue(() -> wanted.equals(checkpoint("br_dup_skip")), daemon, log);
            assertThat(rows("dup_skip.items", servers.target())).isEqualTo("1:one,2:target's,3:three,4:four");
            awaitTrue(() -> read(log).contains("rows skipped on error 1"), daemon, log);
            assertThat(read(log)).contains("WARN", "GTID " + skipping + ": INSERT on dup_skip.items skipped "
                    + "(applier.skipErrors): target error 1062: Duplicate entry '2'");
            assertThat(daemon.isAlive()).isTrue();
        } finally {
            daemon.destroyForcibly();
        }
    }

    @Test
    void withoutSkipErrorsADuplicateKeyStopsTheReplicaNamingGtidTableAndError() throws Exception {
        createItemsWithRowTwoOnTheTarget("dup_stop");
        Path config = writeConfig("br_dup_stop", servers.source().gtidExecuted(), "");
        servers.source().execute("BEGIN", "INSERT INTO dup_stop.items VALUES (1, 'one')",
                "INSERT INTO dup_stop.items VALUES (2, 'two')", "COMMIT");
        Gtid failing = lastSourceGtid();
        Path log = folder.resolve("dup_stop.log");

        Process daemon = ForkedDaemon.start(config, log);
        assertThat(daemon.waitFor(90, TimeUnit.SECONDS)).isTrue();

        assertThat(daemon.exitValue()).isEqualTo(1);
        assertThat(read(log)).contains("binrelay: replica failed: GTID " + failing + ": INSERT on dup_stop.items "
                + "failed: target error 1062").doesNotContain("skipped");
        assertThat(rows("dup_stop.items", servers.target())).isEqualTo("2:target's");
    }

    private static void createItemsWithRowTwoOnTheTarget(String database) {
        String table = "CREATE TABLE " + database + ".items (id INT PRIMARY KEY, name VARCHAR(20))";
        servers.source().execute("CREATE DATABASE " + database, table);
        servers.target().execute("CREATE DATABASE " + database, table,
                "INSERT INTO " + database + ".items VALUES (2, 'target''s')");
    }

    private Path writeConfig(String checkpointSchema, String startGtids, String applierKeys) throws IOException {
        Path file = Files.createTempFile(folder, "binrelay-", ".yaml");
        Files.writeString(file, """
                source:
                  host: 127.0.0.1
                  port: %d
                  user: root
                  serverId: 5003
                  startGtids: "%s"
                target:
                  url: %s
                  user: root
                applier:
                  workers: 2
                  scheduler: writeset
                %scheckpoint:
                  schema: %s
                progress:
                  intervalSeconds: 1
                """.formatted(servers.source().port(), startGtids, servers.target().jdbcUrl(), applierKeys,
                checkpointSchema));
        return file;
    }

    private static GtidSet checkpoint(String schema) {
        try (Connection connection = servers.target().connect()) {
            return new CheckpointStore(schema, "default").load(connection);
        } catch (SQLException e) {
            if (e.getErrorCode() == ER_BAD_DB || e.getErrorCode() == ER_NO_SUCH_TABLE) {
                return GtidSet.empty();
            }
            throw new IllegalStateException(e);
        }
    }

    private static String rows(String tableAndCondition, dev.binrelay.testkit.EmbeddedMySql server) {
        return server.queryString("SELECT GROUP_CONCAT(id, ':', name ORDER BY id) FROM " + tableAndCondition);
    }

    private static Gtid lastSourceGtid() {
        UUID uuid = UUID.fromString(servers.source().serverUuid());
        var intervals = GtidSet.parse(servers.source().gtidExecuted()).intervals(uuid);
        return new Gtid(uuid, intervals.get(intervals.size() - 1).end());
    }

    private static String read(Path log) {
        try {
            return ForkedDaemon.output(log);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    /** Waits up to 90 s for {@code condition}, failing early with the daemon's output if it died. */
    private static void awaitTrue(BooleanSupplier condition, Process daemon, Path log) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!condition.getAsBoolean()) {
            assertThat(daemon.isAlive()).as("daemon alive; log:%n%s", read(log)).isTrue();
            assertThat(System.nanoTime()).as("done within 90 s; log:%n%s", read(log)).isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
