package dev.binrelay.cli;

import dev.binrelay.cli.daemon.StatusDocument;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.binrelay.checkpoint.Gtid;
import dev.binrelay.checkpoint.GtidSet;
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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon's operations surface against real servers, through its HTTP API and the commands that use it: status and
 * metrics checked against what the test wrote, waits for GTIDs, stop and start, a skip after a failure, JSON logs.
 */
class OperationsTest {
    private static final String TOKEN = "ops-t0ken";

    @RegisterExtension
    static final SourceAndTarget servers = SourceAndTarget.create().keepSchemasBetweenTests();

    @TempDir
    Path folder;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void statusMetricsAndWaitsMatchWhatTheSourceWrote() throws Exception {
        String before = servers.source().gtidExecuted();
        Daemon daemon = start("br_ops_status", before, List.of("--log-format", "json"));
        try {
            servers.source().execute("CREATE DATABASE ops_status",
                    "CREATE TABLE ops_status.items (id INT PRIMARY KEY, name VARCHAR(20))",
                    "INSERT INTO ops_status.items VALUES (1, 'one')",
                    "INSERT INTO ops_status.items VALUES (2, 'two'), (3, 'three')");
            servers.source().execute("BEGIN", "INSERT INTO ops_status.items VALUES (4, 'four')",
                    "UPDATE ops_status.items SET name = 'ONE' WHERE id = 1", "DELETE FROM ops_status.items WHERE id = 2",
                    "COMMIT");
            GtidSet sourceSet = GtidSet.parse(servers.source().gtidExecuted());
            long transactions = sourceSet.subtract(GtidSet.parse(before)).count();
            assertThat(transactions).isEqualTo(5);

            awaitTrue(daemon, () -> {
                JsonNode applier = status(daemon).path("applier");
                return GtidSet.parse(applier.path("executedGtids").asText()).equals(sourceSet)
                        && applier.path("lagSeconds").isNumber() && applier.path("lagSeconds").asDouble() == 0.0;
            });
            JsonNode status = status(daemon);
            assertThat(status.path("state").asText()).isEqualTo("RUNNING");
            assertThat(status.path("source").path("state").asText()).isEqualTo("CONNECTED");
            assertThat(status.path("applier").path("state").asText()).isEqualTo("RUNNING");
            assertThat(status.path("applier").path("transactionsApplied").asLong()).isEqualTo(transactions);
            assertThat(status.path("applier").path("rowsApplied").asLong()).isEqualTo(6);
            assertThat(status.path("controller").path("replicaStarts").asInt()).isEqualTo(1);
            long perWorker = 0;
            for (JsonNode worker : status.path("workers")) {
                perWorker += worker.path("transactions").asLong();
            }
            assertThat(perWorker).isEqualTo(transactions);

            Map<String, Double> metrics = metrics(daemon);
            assertThat(metrics).containsEntry("binrelay_applier_transactions_total", (double) transactions)
                    .containsEntry("binrelay_applier_rows_total", 6.0)
                    .containsEntry("binrelay_applier_lag_seconds", 0.0)
                    .containsEntry("binrelay_applier_state{state=\"running\"}", 1.0)
                    .containsEntry("binrelay_applier_state{state=\"paused\"}", 0.0)
                    .containsEntry("binrelay_source_state{state=\"connected\"}", 1.0)
                    .containsEntry("binrelay_replica_starts_total", 1.0)
                    .containsEntry("binrelay_applier_ring_size", 1024.0)
                    .containsKeys("binrelay_worker_transactions_total{worker=\"0\"}",
                            "binrelay_worker_transactions_total{worker=\"1\"}", "binrelay_scheduler_scheduled_total",
                            "hikaricp_connections_active{pool=\"binrelay-target\"}", "jvm_memory_used_bytes"
                                    + "{area=\"heap\",id=\"G1 Eden Space\"}");
            assertThat(metrics.get("binrelay_worker_transactions_total{worker=\"0\"}")
                    + metrics.get("binrelay_worker_transactions_total{worker=\"1\"}")).isEqualTo(transactions);

            HttpResponse<String> health = get(daemon, "/health");
            assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
            assertThat(health.body()).startsWith("ok: source connected, applier running, lag 0.00 s");

            CommandResult report = CommandResult.run("status", "--config", daemon.config.toString());
            assertThat(report.exitCode()).as(report.err()).isZero();
            assertThat(report.out()).contains("          Applier state: RUNNING\n",
                    "           Source state: CONNECTED\n",
                    "            Source host: 127.0.0.1:" + servers.source().port() + "\n",
                    "   Transactions applied: " + transactions + "\n",
                    "           Rows applied: 6\n",
                    "  Seconds behind source: 0.000\n",
                    "\nWorker  Transactions  Rows");
            assertThat(report.out()).containsPattern("(?m)^      Executed GTID set: (.+)$");
            Matcher executed = Pattern.compile("(?m)^      Executed GTID set: (.+)$").matcher(report.out());
            assertThat(executed.find()).isTrue();
            assertThat(GtidSet.parse(executed.group(1))).isEqualTo(sourceSet);
            CommandResult json = CommandResult.run("status", "--url", daemon.url(), "--json");
            assertThat(json.exitCode()).isZero();
            assertThat(StatusDocument.JSON.readTree(json.out()).path("applier").path("rowsApplied").asLong())
                    .isEqualTo(6);

            Gtid next = nextSourceGtid();
            CompletableFuture<CommandResult> waiting = CompletableFuture.supplyAsync(() -> CommandResult.run("wait",
                    "--config", daemon.config.toString(), "--gtids", next.toString(), "--timeout", "60"));
            assertThat(waiting).as("a GTID the source has not written yet is not applied").isNotDone();
            servers.source().execute("INSERT INTO ops_status.items VALUES (5, 'five')");
            CommandResult waited = waiting.get(60, TimeUnit.SECONDS);
            assertThat(waited.exitCode()).as(waited.err()).isZero();
            assertThat(waited.out()).isEqualTo("binrelay: applied: " + next + System.lineSeparator());
            assertThat(servers.target().queryString("SELECT name FROM ops_status.items WHERE id = 5")).isEqualTo("five");

            Gtid never = new Gtid(next.sourceId(), next.transactionId() + 1000);
            CommandResult timedOut = CommandResult.run("wait", "--url", daemon.url(), "--gtids", never.toString(),
                    "--timeout", "1");
            assertThat(timedOut.exitCode()).isEqualTo(1);
            assertThat(timedOut.err()).isEqualTo("binrelay: not applied after 1 s: still missing " + never
                    + " (HTTP 504)" + System.lineSeparator());

            daemon.process.destroy();
            assertThat(daemon.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(daemon.process.exitValue()).as(daemon.output()).isZero();
            List<JsonNode> lines = jsonLines(daemon.output());
            assertThat(lines).as(daemon.output()).isNotEmpty();
            assertThat(lines).anySatisfy(line -> {
                assertThat(line.path("level").asText()).isEqualTo("INFO");
                assertThat(line.path("loggerName").asText()).isEqualTo("dev.binrelay.engine.Replica");
                assertThat(line.path("formattedMessage").asText()).isEqualTo("replica running");
            });
            assertThat(lines).anySatisfy(line -> assertThat(line.path("formattedMessage").asText())
                    .startsWith("replica stopped after applying"));
        } finally {
            daemon.process.destroyForcibly();
        }
    }

    @Test
    void aFailedReplicaStaysUpForASkipThenStartsAgain() throws Exception {
        String table = "CREATE TABLE ops_skip.items (id INT PRIMARY KEY, name VARCHAR(20))";
        servers.source().execute("CREATE DATABASE ops_skip", table);
        servers.target().execute("CREATE DATABASE ops_skip", table, "INSERT INTO ops_skip.items VALUES (2, 'planted')");
        Daemon daemon = start("br_ops_skip", servers.source().gtidExecuted(), List.of());
        try {
            servers.source().execute("INSERT INTO ops_skip.items VALUES (1, 'one')");
            Gtid first = lastSourceGtid();
            // Applied alone: in one batch with the failing transaction, its commit would be rolled back too.
            awaitTrue(daemon, () -> GtidSet.parse(status(daemon).path("applier").path("executedGtids").asText())
                    .contains(first));
            servers.source().execute("INSERT INTO ops_skip.items VALUES (2, 'two')");
            Gtid failing = lastSourceGtid();

            awaitTrue(daemon, () -> status(daemon).path("applier").path("state").asText().equals("ERROR"));
            JsonNode failed = status(daemon);
            assertThat(failed.path("state").asText()).isEqualTo("FAILED");
            JsonNode error = failed.path("applier").path("lastError");
            assertThat(error.path("message").asText()).contains("GTID " + failing, "ops_skip.items", "1062");
            HttpResponse<String> health = get(daemon, "/health");
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.body()).startsWith("unhealthy: applier error: ");
            assertThat(daemon.process.isAlive()).as("with HTTP the daemon stays up after a failure").isTrue();

            CommandResult applied = CommandResult.run("skip", "--config", daemon.config.toString(), "--gtid",
                    first.toString());
            assertThat(applied.exitCode()).as(applied.out() + applied.err()).isEqualTo(1);
            assertThat(applied.err()).contains("is already applied: nothing to skip", "(HTTP 409)");

            CommandResult skipped = CommandResult.run("skip", "--config", daemon.config.toString(), "--gtid",
                    failing.toString());
            assertThat(skipped.exitCode()).as(skipped.err()).isZero();
            assertThat(skipped.out()).startsWith("binrelay: skipped GTID " + failing + ": recorded as applied in "
                    + "br_ops_skip.gtid_executed").contains("the replica stays stopped until started");
            assertThat(ForkedDaemon.checkpoint(servers.target(), "br_ops_skip").contains(failing)).isTrue();
            JsonNode afterSkip = status(daemon);
            assertThat(afterSkip.path("controller").path("requested").asText()).isEqualTo("STOPPED");
            assertThat(afterSkip.path("controller").path("skippedGtids").asText()).isEqualTo(failing.toString());

            servers.source().execute("INSERT INTO ops_skip.items VALUES (3, 'three')");
            CommandResult started = CommandResult.run("start", "--config", daemon.config.toString());
            assertThat(started.exitCode()).as(started.err()).isZero();
            assertThat(started.out()).startsWith("binrelay: replica started by POST /start from 127.0.0.1");

            GtidSet sourceSet = GtidSet.parse(servers.source().gtidExecuted());
            awaitTrue(daemon, () -> GtidSet.parse(status(daemon).path("applier").path("executedGtids").asText())
                    .equals(sourceSet));
            JsonNode running = status(daemon);
            assertThat(running.path("state").asText()).isEqualTo("RUNNING");
            assertThat(running.path("applier").path("state").asText()).isEqualTo("RUNNING");
            assertThat(running.path("controller").path("replicaStarts").asInt()).isEqualTo(2);
            assertThat(servers.target().queryString("SELECT GROUP_CONCAT(id, ':', name ORDER BY id) FROM "
                    + "ops_skip.items")).isEqualTo("1:one,2:planted,3:three");
            assertThat(daemon.output()).contains("GTID " + failing + " skipped by POST /skip from 127.0.0.1",
                    "replica started by POST /start from 127.0.0.1");
        } finally {
            daemon.process.destroyForcibly();
        }
    }

    @Test
    void stopPausesTheApplierAndHealthUntilStart() throws Exception {
        Daemon daemon = start("br_ops_pause", servers.source().gtidExecuted(), List.of());
        try {
            servers.source().execute("CREATE DATABASE ops_pause",
                    "CREATE TABLE ops_pause.items (id INT PRIMARY KEY, name VARCHAR(20))");
            servers.source().execute("INSERT INTO ops_pause.items VALUES (1, 'one')");
            awaitTrue(daemon, () -> get(daemon, "/health").statusCode() == 200);

            CommandResult stopped = CommandResult.run("stop", "--config", daemon.config.toString());
            assertThat(stopped.exitCode()).as(stopped.err()).isZero();
            assertThat(stopped.out()).startsWith("binrelay: applier paused by POST /stop from 127.0.0.1");
            HttpResponse<String> paused = get(daemon, "/health");
            assertThat(paused.statusCode()).isEqualTo(503);
            assertThat(paused.body()).isEqualTo("unhealthy: applier paused\n");
            assertThat(status(daemon).path("applier").path("state").asText()).isEqualTo("PAUSED");
            assertThat(metrics(daemon)).containsEntry("binrelay_applier_state{state=\"paused\"}", 1.0);

            servers.source().execute("INSERT INTO ops_pause.items VALUES (2, 'two')");
            GtidSet sourceSet = GtidSet.parse(servers.source().gtidExecuted());
            CommandResult notYet = CommandResult.run("wait", "--config", daemon.config.toString(), "--gtids",
                    sourceSet.toString(), "--timeout", "1");
            assertThat(notYet.exitCode()).as("paused: nothing is applied").isEqualTo(1);

            CommandResult started = CommandResult.run("start", "--config", daemon.config.toString());
            assertThat(started.exitCode()).as(started.err()).isZero();
            assertThat(started.out()).startsWith("binrelay: applier resumed by POST /start from 127.0.0.1");
            CommandResult waited = CommandResult.run("wait", "--config", daemon.config.toString(), "--gtids",
                    sourceSet.toString(), "--timeout", "60");
            assertThat(waited.exitCode()).as(waited.err()).isZero();
            awaitTrue(daemon, () -> get(daemon, "/health").statusCode() == 200);
            assertThat(servers.target().queryString("SELECT name FROM ops_pause.items WHERE id = 2")).isEqualTo("two");
            assertThat(daemon.output()).contains("applier paused by POST /stop from 127.0.0.1",
                    "applier running -> paused", "applier resumed by POST /start from 127.0.0.1");
        } finally {
            daemon.process.destroyForcibly();
        }
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

    private Daemon start(String checkpointSchema, String startGtids, List<String> runOptions) throws Exception {
        int port = freePort();
        Path config = Files.createTempFile(folder, "binrelay-", ".yaml");
        Files.writeString(config, """
                source:
                  host: 127.0.0.1
                  port: %d
                  user: root
                  serverId: 5004
                  startGtids: "%s"
                target:
                  url: %s
                  user: root
                applier:
                  workers: 2
                  scheduler: writeset
                checkpoint:
                  schema: %s
                progress:
                  intervalSeconds: 1
                http:
                  port: %d
                  token: %s
                  maxLagSeconds: 10
                """.formatted(servers.source().port(), startGtids, servers.target().jdbcUrl(), checkpointSchema, port,
                TOKEN));
        Path log = folder.resolve(checkpointSchema + ".log");
        Daemon daemon = new Daemon(ForkedDaemon.start(config, log, runOptions), config, log, port);
        awaitTrue(daemon, () -> {
            try {
                return get(daemon, "/status").statusCode() == 200
                        && status(daemon).path("state").asText().equals("RUNNING");
            } catch (IllegalStateException notListeningYet) {
                return false;
            }
        });
        return daemon;
    }

    private HttpResponse<String> get(Daemon daemon, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(daemon.url() + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("GET " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private JsonNode status(Daemon daemon) {
        try {
            return StatusDocument.JSON.readTree(get(daemon, "/status").body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Each sample of the Prometheus text, by name and labels as written (such as {@code m{worker="0"}}). */
    private Map<String, Double> metrics(Daemon daemon) {
        HttpResponse<String> response = get(daemon, "/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body().lines().filter(line -> !line.startsWith("#") && !line.isBlank())
                .collect(Collectors.toMap(line -> line.substring(0, line.lastIndexOf(' ')),
                        line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)), (a, b) -> b));
    }

    private static List<JsonNode> jsonLines(String output) {
        return output.lines().filter(line -> line.startsWith("{")).map(line -> {
            try {
                return StatusDocument.JSON.readTree(line);
            } catch (IOException e) {
                throw new AssertionError("not a JSON log line: " + line, e);
            }
        }).toList();
    }

    private static Gtid lastSourceGtid() {
        UUID uuid = UUID.fromString(servers.source().serverUuid());
        var intervals = GtidSet.parse(servers.source().gtidExecuted()).intervals(uuid);
        return new Gtid(uuid, intervals.get(intervals.size() - 1).end());
    }

    private static Gtid nextSourceGtid() {
        Gtid last = lastSourceGtid();
        return new Gtid(last.sourceId(), last.transactionId() + 1);
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
