package dev.binrelay.cli;

import dev.binrelay.cli.daemon.StatusDocument;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.binrelay.checkpoint.CheckpointStore;
import dev.binrelay.checkpoint.Gtid;
import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.testkit.EmbeddedMySql;
import dev.binrelay.testkit.SourceAndTarget;
import java.io.IOException;
import java.net.InetAddress;
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
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * One daemon with two channels (two shards) merging into one target: the target holds exactly the union, each
 * channel's checkpoint row its own source's GTIDs, and one channel's failure stops only that channel.
 */
class MultiSourceChannelsTest {
    private static final String TOKEN = "channels-t0ken";
    /** The source is shard1, the second source shard2; both merge into the target. */
    @RegisterExtension
    static final SourceAndTarget servers = SourceAndTarget.create().withSecondSource(EmbeddedMySql::startSource)
            .keepSchemasBetweenTests();
    private static EmbeddedMySql shard1;
    private static EmbeddedMySql shard2;
    private static EmbeddedMySql target;

    @TempDir
    Path folder;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void nameServers() {
        shard1 = servers.source();
        shard2 = servers.secondSource();
        target = servers.target();
    }

    @Test
    void twoShardsWritingConcurrentlyMergeIntoTheUnionWithACheckpointRowEach() throws Exception {
        String orders = "CREATE TABLE merged.orders (id INT PRIMARY KEY, shard VARCHAR(10), amount INT)";
        for (EmbeddedMySql server : List.of(shard1, shard2, target)) {
            server.execute("CREATE DATABASE merged", orders);
        }
        shard1.execute("CREATE TABLE merged.shard1_notes (id INT PRIMARY KEY, note VARCHAR(20))");
        shard2.execute("CREATE TABLE merged.shard2_notes (id INT PRIMARY KEY, note VARCHAR(20))");
        target.execute("CREATE TABLE merged.shard1_notes (id INT PRIMARY KEY, note VARCHAR(20))",
                "CREATE TABLE merged.shard2_notes (id INT PRIMARY KEY, note VARCHAR(20))");
        Daemon daemon = start("br_merge");
        try {
            CompletableFuture<Void> writing1 = CompletableFuture.runAsync(() -> write(shard1, "shard1", 0));
            CompletableFuture<Void> writing2 = CompletableFuture.runAsync(() -> write(shard2, "shard2", 100_000));
            writing1.join();
            writing2.join();
            GtidSet set1 = GtidSet.parse(shard1.gtidExecuted());
            GtidSet set2 = GtidSet.parse(shard2.gtidExecuted());

            awaitTrue(daemon, () -> executed(daemon, "shard1").equals(set1) && executed(daemon, "shard2").equals(set2));

            List<String> union = new ArrayList<>(rows(shard1, "SELECT id, shard, amount FROM merged.orders"));
            union.addAll(rows(shard2, "SELECT id, shard, amount FROM merged.orders"));
            assertThat(union).hasSize(2 * 150);
            assertThat(rows(target, "SELECT id, shard, amount FROM merged.orders"))
                    .containsExactlyInAnyOrderElementsOf(union);
            for (String table : List.of("merged.shard1_notes", "merged.shard2_notes")) {
                EmbeddedMySql source = table.contains("shard1") ? shard1 : shard2;
                assertThat(rows(target, "SELECT id, note FROM " + table))
                        .containsExactlyInAnyOrderElementsOf(rows(source, "SELECT id, note FROM " + table))
                        .hasSize(40);
            }
            assertThat(checkpoint("br_merge", "shard1")).isEqualTo(set1);
            assertThat(checkpoint("br_merge", "shard2")).isEqualTo(set2);

            JsonNode channels = status(daemon, "").path("channels");
            assertThat(channels).hasSize(2);
            assertThat(channels.get(0).path("name").asText()).isEqualTo("shard1");
            assertThat(channels.get(1).path("name").asText()).isEqualTo("shard2");
            for (JsonNode channel : channels) {
                assertThat(channel.path("state").asText()).isEqualTo("RUNNING");
                assertThat(channel.path("source").path("state").asText()).isEqualTo("CONNECTED");
            }
            assertThat(channels.get(1).path("source").path("address").asText()).contains(":" + shard2.port());
            assertThat(status(daemon, "?channel=shard1").path("applier").path("executedGtids").asText())
                    .isEqualTo(set1.toString());
            String metrics = get(daemon, "/metrics").body();
            assertThat(metrics).contains("binrelay_applier_transactions_total{channel=\"shard1\"}",
                    "binrelay_applier_transactions_total{channel=\"shard2\"}");

            CommandResult report = CommandResult.run("status", "--config", daemon.config.toString());
            assertThat(report.exitCode()).as(report.err()).isZero();
            assertThat(report.out()).contains("*** Channel shard1 ***", "*** Channel shard2 ***");
            assertThat(daemon.output()).contains("[shard1] ", "[shard2] ");
        } finally {
            daemon.process.destroyForcibly();
        }
    }

    @Test
    void aFailedChannelStopsAloneAndCatchesUpWhenStartedAgain() throws Exception {
        String items = "CREATE TABLE isolated.items (id INT PRIMARY KEY, shard VARCHAR(10))";
        for (EmbeddedMySql server : List.of(shard1, shard2, target)) {
            server.execute("CREATE DATABASE isolated", items);
        }
        target.execute("INSERT INTO isolated.items VALUES (2001, 'planted')");
        Daemon daemon = start("br_isolated");
        try {
            shard2.execute("INSERT INTO isolated.items VALUES (2001, 'shard2')");
            Gtid failing = lastGtid(shard2);
            awaitTrue(daemon, () -> status(daemon, "?channel=shard2").path("state").asText().equals("FAILED"));
            JsonNode error = status(daemon, "?channel=shard2").path("applier").path("lastError");
            assertThat(error.path("gtid").asText()).isEqualTo(failing.toString());
            assertThat(error.path("table").asText()).contains("isolated.items");
            assertThat(error.path("targetErrorCode").asInt()).isEqualTo(1062);
            HttpResponse<String> health = get(daemon, "/health");
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.body()).startsWith("unhealthy: channel shard2: applier error");

            // The other channel goes on applying new writes.
            shard1.execute("INSERT INTO isolated.items VALUES (1, 'shard1')", "INSERT INTO isolated.items VALUES "
                    + "(2, 'shard1')");
            GtidSet set1 = GtidSet.parse(shard1.gtidExecuted());
            awaitTrue(daemon, () -> executed(daemon, "shard1").equals(set1));
            assertThat(rows(target, "SELECT id, shard FROM isolated.items WHERE shard = 'shard1'"))
                    .containsExactlyInAnyOrder("1|shard1", "2|shard1");
            assertThat(status(daemon, "?channel=shard1").path("state").asText()).isEqualTo("RUNNING");

            HttpResponse<String> unnamed = post(daemon, "/start");
            assertThat(unnamed.statusCode()).isEqualTo(400);
            assertThat(unnamed.body()).contains("several channels", "shard1, shard2");
            assertThat(post(daemon, "/start?channel=shard9").body()).contains("no channel 'shard9'");

            target.execute("DELETE FROM isolated.items WHERE id = 2001");
            shard2.execute("INSERT INTO isolated.items VALUES (2002, 'shard2')");
            CommandResult started = CommandResult.run("start", "--config", daemon.config.toString(), "--channel",
                    "shard2");
            assertThat(started.exitCode()).as(started.out() + started.err()).isZero();
            GtidSet set2 = GtidSet.parse(shard2.gtidExecuted());
            awaitTrue(daemon, () -> executed(daemon, "shard2").equals(set2));
            assertThat(rows(target, "SELECT id, shard FROM isolated.items WHERE id > 2000"))
                    .containsExactlyInAnyOrder("2001|shard2", "2002|shard2");
            assertThat(checkpoint("br_isolated", "shard2")).isEqualTo(set2);
            assertThat(get(daemon, "/health").statusCode()).isEqualTo(200);
        } finally {
            daemon.process.destroyForcibly();
        }
    }

    /** 150 orders (inserted, then a third updated and a tenth deleted and re-added) and 40 notes, in small commits. */
    private static void write(EmbeddedMySql shard, String name, int firstId) {
        for (int i = 0; i < 150; i++) {
            shard.execute("INSERT INTO merged.orders VALUES (" + (firstId + i) + ", '" + name + "', " + i + ")");
            if (i % 3 == 0) {
                shard.execute("UPDATE merged.orders SET amount = amount + 1000 WHERE id = " + (firstId + i));
            }
            if (i % 10 == 0) {
                shard.execute("BEGIN", "DELETE FROM merged.orders WHERE id = " + (firstId + i),
                        "INSERT INTO merged.orders VALUES (" + (firstId + i) + ", '" + name + "', -1)", "COMMIT");
            }
            if (i < 40) {
                shard.execute("INSERT INTO merged." + name + "_notes VALUES (" + i + ", 'note " + i + "')");
            }
        }
    }

    private static List<String> rows(EmbeddedMySql server, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = server.connect(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                StringBuilder row = new StringBuilder();
                for (int c = 1; c <= columns; c++) {
                    row.append(c == 1 ? "" : "|").append(result.getString(c));
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }

    private static GtidSet checkpoint(String schema, String channel) throws SQLException {
        try (Connection connection = target.connect()) {
            return new CheckpointStore(schema, channel).load(connection);
        }
    }

    private static Gtid lastGtid(EmbeddedMySql source) {
        UUID uuid = UUID.fromString(source.serverUuid());
        var intervals = GtidSet.parse(source.gtidExecuted()).intervals(uuid);
        return new Gtid(uuid, intervals.get(intervals.size() - 1).end());
    }

    /** A forked daemon with its config and log. */
    private record Daemon(Process process, Path config, Path log, int port) {
        String url() {
            return "http://127.0.0.1:" + port;
        }

        String output() {
            try {
                return ForkedDaemon.output(log);
            } catch (IOException e) {
                return "(cannot read " + log + ": " + e + ")";
            }
        }
    }

    /** A daemon with the channels shard1 and shard2, each from its source's current GTIDs. */
    private Daemon start(String checkpointSchema) throws Exception {
        int port = freePort();
        Path config = Files.createTempFile(folder, "binrelay-", ".yaml");
        Files.writeString(config, """
                source:
                  host: 127.0.0.1
                  user: root
                applier:
                  workers: 2
                  scheduler: writeset
                channels:
                  - name: shard1
                    source: {port: %d, serverId: 6001, startGtids: "%s"}
                  - name: shard2
                    source: {port: %d, serverId: 6002, startGtids: "%s"}
                    applier: {workers: 1, scheduler: serial}
                target:
                  url: %s
                  user: root
                checkpoint:
                  schema: %s
                progress:
                  intervalSeconds: 1
                http:
                  port: %d
                  token: %s
                  maxLagSeconds: 60
                """.formatted(shard1.port(), shard1.gtidExecuted(), shard2.port(), shard2.gtidExecuted(),
                target.jdbcUrl(), checkpointSchema, port, TOKEN));
        Path log = folder.resolve(checkpointSchema + ".log");
        Daemon daemon = new Daemon(ForkedDaemon.start(config, log), config, log, port);
        awaitTrue(daemon, () -> {
            try {
                JsonNode channels = status(daemon, "").path("channels");
                return channels.size() == 2 && channels.get(0).path("state").asText().equals("RUNNING")
                        && channels.get(1).path("state").asText().equals("RUNNING");
            } catch (IllegalStateException notListeningYet) {
                return false;
            }
        });
        return daemon;
    }

    private GtidSet executed(Daemon daemon, String channel) {
        return GtidSet.parse(status(daemon, "?channel=" + channel).path("applier").path("executedGtids").asText());
    }

    private JsonNode status(Daemon daemon, String query) {
        try {
            return StatusDocument.JSON.readTree(get(daemon, "/status" + query).body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> get(Daemon daemon, String path) {
        return send(HttpRequest.newBuilder(URI.create(daemon.url() + path)).build(), path);
    }

    private HttpResponse<String> post(Daemon daemon, String path) {
        return send(HttpRequest.newBuilder(URI.create(daemon.url() + path)).header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), path);
    }

    private HttpResponse<String> send(HttpRequest request, String path) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(request.method() + " " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Waits up to 90 s for {@code condition}, failing early with the daemon's output if it died. */
    private static void awaitTrue(Daemon daemon, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!condition.getAsBoolean()) {
            assertThat(daemon.process.isAlive()).as("daemon alive; log:%n%s", daemon.output()).isTrue();
            assertThat(System.nanoTime()).as("done within 90 s; log:%n%s", daemon.output()).isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
