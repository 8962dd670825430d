package dev.binrelay.cli;

import dev.binrelay.cli.daemon.StatusDocument;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.binrelay.checkpoint.BinlogPosition;
import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.checkpoint.Interval;
import dev.binrelay.checkpoint.PositionAnchor;
import dev.binrelay.checkpoint.PositionAnchors;
import dev.binrelay.testkit.EmbeddedMySql;
import dev.binrelay.testkit.SourceAndTarget;
import dev.binrelay.testkit.TableChecksum;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Position mode under SIGKILL: a source with {@code gtid_mode=OFF}, a daemon in its own JVM replicating by file and
 * position with 4 writeset workers and relaxed commit order (so that the checkpoint it dies with has gaps), killed at
 * random instants while clients write. The daemon after the last kill catches up to the source's binary log end, and
 * the target equals the source with every counter increment applied exactly once.
 *
 * <p>{@code -Dbinrelay.faultSeed=S} replays a run (the seed is printed).
 */
class PositionModeKillTest {
    private static final long SEED = Long.getLong("binrelay.faultSeed", System.nanoTime());
    private static final int KILLS = 6;
    private static final int COUNTERS = 20;
    /** The round during which the one DDL runs, so that kills land before and after it. */
    private static final int DDL_ROUND = 3;

    @RegisterExtension
    static final SourceAndTarget servers = SourceAndTarget.withSource(EmbeddedMySql::startSourceWithoutGtids).keepSchemasBetweenTests();

    @TempDir
    Path folder;

    private final AtomicLong incrementsCommitted = new AtomicLong();
    private final AtomicReference<Throwable> writerFailure = new AtomicReference<>();
    private int run;
    /** Where the first daemon starts (later ones resume from the anchors): before the schema is created. */
    private BinlogPosition start;

    @Test
    void killedAgainAndAgainUnderParallelRelaxedApplyLosesAndRepeatsNothing() throws Exception {
        System.out.println("PositionModeKillTest seed " + SEED + " (rerun with -Dbinrelay.faultSeed=" + SEED + ")");
        Random random = new Random(SEED);
        start = sourcePosition();
        servers.source().execute("CREATE DATABASE pk",
                "CREATE TABLE pk.counters (id INT PRIMARY KEY, n BIGINT NOT NULL)",
                "CREATE TABLE pk.events (id BIGINT AUTO_INCREMENT PRIMARY KEY, counter INT NOT NULL, body "
                        + "VARCHAR(100))",
                "INSERT INTO pk.counters WITH RECURSIVE c (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < "
                        + COUNTERS + ") SELECT i, 0 FROM c");
        AtomicBoolean writing = new AtomicBoolean(true);
        List<Thread> writers = startWriters(writing, 3);
        try {
            for (int kill = 1; kill <= KILLS; kill++) {
                runAndKill(random, kill == DDL_ROUND);
            }
        } finally {
            writing.set(false);
            for (Thread writer : writers) {
                writer.join();
            }
        }
        assertThat(writerFailure.get()).as("a writer failed").isNull();

        catchUpAndStop();

        try (Connection s = servers.source().connect(); Connection t = servers.target().connect()) {
            List<String> tables = TableChecksum.tables(s, "pk");
            assertThat(TableChecksum.tables(t, "pk")).isEqualTo(tables);
            for (String table : tables) {
                assertThat(TableChecksum.of(t, "pk", table)).as(table).isEqualTo(TableChecksum.of(s, "pk", table));
            }
        }
        // An increment applied twice, or lost, shows in the sum, whatever the checksums say.
        assertThat(servers.source().queryString("SELECT SUM(n) FROM pk.counters"))
                .isEqualTo(String.valueOf(incrementsCommitted.get()));
        assertThat(servers.target().queryString("SELECT SUM(n) FROM pk.counters"))
                .isEqualTo(String.valueOf(incrementsCommitted.get()));
        assertThat(incrementsCommitted.get()).as("increments committed on the source").isGreaterThan(100);
        assertThat(servers.target().queryString("SELECT COUNT(*) FROM information_schema.columns "
                + "WHERE table_schema = 'pk' AND table_name = 'events' AND column_name = 'note'")).isEqualTo("1");
    }

    /** One round: a daemon applies (the DDL runs meanwhile, once), then dies by SIGKILL at a random instant. */
    private void runAndKill(Random random, boolean withDdl) throws Exception {
        run++;
        Process daemon = startDaemon(0);
        try {
            ForkedDaemon.awaitMoreApplied(daemon, servers.target(), log());
            if (withDdl) {
                servers.source().execute("ALTER TABLE pk.events ADD COLUMN note VARCHAR(20) DEFAULT 'x'");
            }
            Thread.sleep(random.nextInt(1500)); // the random instant: reading, applying or committing
            assertThat(daemon.isAlive()).as("daemon %d alive before its kill; log:%n%s", run,
                    ForkedDaemon.output(log())).isTrue();
        } finally {
            daemon.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        System.out.println("run " + run + (withDdl ? " (with the DDL)" : "") + ": SIGKILL; checkpoint "
                + ForkedDaemon.checkpoint(servers.target()));
    }

    /**
     * With the writers stopped, a last daemon reaches the source's binary log end (its status says where), and exits
     * 0 on SIGTERM.
     */
    private void catchUpAndStop() throws Exception {
        run++;
        int httpPort = freePort();
        Process last = startDaemon(httpPort);
        try {
            BinlogPosition end = sourcePosition();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!caughtUp(end)) {
                assertThat(last.isAlive()).as("daemon alive; log:%n%s", ForkedDaemon.output(log())).isTrue();
                assertThat(System.nanoTime()).as("caught up with %s within 120 s; checkpoint %s, anchors %s; log:%n%s",
                        end, ForkedDaemon.checkpoint(servers.target()), anchors(), ForkedDaemon.output(log()))
                        .isLessThan(deadline);
                Thread.sleep(100);
            }
            JsonNode status = status(httpPort);
            assertThat(status.path("mode").asText()).isEqualTo("position");
            assertThat(status.path("applier").path("appliedPosition").asText()).as("status %s", status)
                    .isEqualTo(end.toString());
            last.destroy(); // SIGTERM: a clean stop
            assertThat(last.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(last.exitValue()).as("exit code after SIGTERM; log:%n%s", ForkedDaemon.output(log())).isZero();
        } finally {
            last.destroyForcibly();
        }
    }

    /**
     * Whether the target holds every transaction up to {@code end}: the synthetic GTIDs are one interval from 1 (no
     * gap), and the anchor of its last transaction ends at {@code end}.
     */
    private static boolean caughtUp(BinlogPosition end) throws SQLException {
        UUID sourceId = PositionAnchors.sourceIdFor(servers.source().queryString("SELECT @@server_uuid"));
        List<Interval> intervals = ForkedDaemon.checkpoint(servers.target()).intervals(sourceId);
        if (intervals.size() != 1 || intervals.get(0).start() != 1) {
            return false;
        }
        long newest = intervals.get(0).end();
        return anchors().stream().anyMatch(anchor -> anchor.seq() == newest && anchor.end().equals(end));
    }

    private static List<PositionAnchor> anchors() throws SQLException {
        try (Connection connection = servers.target().connect()) {
            return new PositionAnchors("binrelay", "default").load(connection);
        } catch (SQLException e) {
            return List.of(); // not created yet
        }
    }

    private static BinlogPosition sourcePosition() throws SQLException {
        try (Connection connection = servers.source().connect(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SHOW MASTER STATUS")) {
            row.next();
            return new BinlogPosition(row.getString(1), row.getLong(2));
        }
    }

    /** {@code httpPort} 0: no HTTP API. */
    private Process startDaemon(int httpPort) throws Exception {
        Path config = folder.resolve("binrelay-" + run + ".yaml");
        Files.writeString(config, String.join("\n",
                "source:",
                "  host: " + servers.source().host(),
                "  port: " + servers.source().port(),
                "  user: root",
                "  password: ''",
                "  serverId: 4344",
                "  heartbeatSeconds: 1",
                "  mode: position",
                "  startFile: " + start.file(),
                "  startPosition: " + start.position(),
                "target:",
                "  url: jdbc:mysql://" + servers.target().host() + ":" + servers.target().port() + "/?useSSL=false"
                        + "&allowPublicKeyRetrieval=true",
                "  user: root",
                "  password: ''",
                "progress:",
                "  intervalSeconds: 1",
                "applier:",
                "  scheduler: writeset",
                "  workers: 4",
                "  preserveCommitOrder: false",
                httpPort == 0 ? "" : "http:\n  port: " + httpPort,
                ""));
        return ForkedDaemon.start(config, log(), "-Xmx256m");
    }

    private Path log() {
        return folder.resolve("daemon-" + run + ".log");
    }

    private static JsonNode status(int httpPort) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + httpPort + "/status")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return StatusDocument.JSON.readTree(response.body());
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * Clients, each in a loop: one counter incremented with the event that says so; several counters incremented
     * with a multi-row insert, in one transaction; or a few events deleted. Each counts the increments it committed.
     */
    private List<Thread> startWriters(AtomicBoolean writing, int count) {
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < count; w++) {
            Random random = new Random(SEED + w);
            Thread writer = new Thread(() -> {
                try (Connection connection = servers.source().connect()) {
                    connection.setAutoCommit(false);
                    while (writing.get()) {
                        writeOne(connection, random);
                        Thread.sleep(2);
                    }
                } catch (Throwable e) {
                    writerFailure.compareAndSet(null, e);
                }
            }, "writer-" + w);
            writer.start();
            writers.add(writer);
        }
        return writers;
    }

    private void writeOne(Connection connection, Random random) throws SQLException {
        int kind = random.nextInt(10);
        int increments = kind < 6 ? 1 : kind < 8 ? 2 + random.nextInt(4) : 0;
        try (Statement statement = connection.createStatement()) {
            if (increments == 0) {
                statement.executeUpdate("DELETE FROM pk.events WHERE counter = " + (1 + random.nextInt(COUNTERS))
                        + " ORDER BY id LIMIT 2");
            } else {
                StringBuilder events = new StringBuilder("INSERT INTO pk.events (counter, body) VALUES ");
                for (int i = 0; i < increments; i++) {
                    int counter = 1 + random.nextInt(COUNTERS);
                    statement.executeUpdate("UPDATE pk.counters SET n = n + 1 WHERE id = " + counter);
                    events.append(i == 0 ? "" : ", ").append("(").append(counter).append(", REPEAT('e', ")
                            .append(random.nextInt(100)).append("))");
                }
                statement.executeUpdate(events.toString());
            }
        } catch (SQLException e) {
            if (!"40001".equals(e.getSQLState()) && e.getErrorCode() != 1205) {
                throw e;
            }
            connection.rollback(); // a deadlock or lock wait between writers: nothing of it committed
            return;
        }
        connection.commit(); // the source is never restarted here: a commit that returns took effect
        incrementsCommitted.addAndGet(increments);
    }
}
