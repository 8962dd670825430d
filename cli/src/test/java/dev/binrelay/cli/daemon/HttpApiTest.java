package dev.binrelay.cli.daemon;

import dev.binrelay.cli.config.BinrelayConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.binrelay.engine.SchedulerKind;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP API's own rules, on a daemon whose replica has not started (no server needed): who may control it, which
 * methods and parameters each resource takes, and what an idle replica reports.
 */
class HttpApiTest {
    private static final String TOKEN = "t0ken-for-tests";
    private static final String UUID = "3e11fa47-71ca-11e1-9e33-c80aa9429562";

    private final HttpClient client = HttpClient.newHttpClient();
    private HttpApi api;

    @AfterEach
    void stopServer() {
        if (api != null) {
            api.close();
        }
    }

    @Test
    void controlWithoutTheTokenOrWithAWrongOneIsUnauthorized() throws Exception {
        start(TOKEN);

        for (String path : new String[] {"/stop", "/start", "/skip?gtid=" + UUID + ":5"}) {
            HttpResponse<String> none = send("POST", path, null);
            assertThat(none.statusCode()).as(path).isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"binrelay\"");
            assertThat(error(none)).isEqualTo("control needs the header 'Authorization: Bearer <http.token>'");
            assertThat(send("POST", path, "Bearer wrong-token").statusCode()).as(path).isEqualTo(401);
            assertThat(send("POST", path, TOKEN).statusCode()).as("no 'Bearer '").isEqualTo(401);
        }
    }

    @Test
    void controlWithoutAConfiguredTokenIsForbiddenWhateverTheHeader() throws Exception {
        start("");

        HttpResponse<String> response = send("POST", "/stop", "Bearer ");

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(error(response)).contains("set http.token");
        assertThat(send("POST", "/start", null).statusCode()).isEqualTo(403);
    }

    @Test
    void aSkipWhileTheApplierIsNotPausedOrFailedIsAConflict() throws Exception {
        start(TOKEN);

        HttpResponse<String> response = send("POST", "/skip?gtid=" + UUID + ":5", "Bearer " + TOKEN);

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(error(response)).startsWith("the applier is stopped: stop it first");
        HttpResponse<String> notAGtid = send("POST", "/skip?gtid=" + UUID + ":1-5", "Bearer " + TOKEN);
        assertThat(notAGtid.statusCode()).isEqualTo(400);
        assertThat(error(notAGtid)).startsWith("gtid takes one GTID");
    }

    @Test
    void wrongMethodsPathsAndParametersAreRefused() throws Exception {
        start(TOKEN);

        HttpResponse<String> getStop = send("GET", "/stop", "Bearer " + TOKEN);
        assertThat(getStop.statusCode()).isEqualTo(405);
        assertThat(getStop.headers().firstValue("Allow")).hasValue("POST");
        assertThat(send("POST", "/status", null).statusCode()).isEqualTo(405);
        assertThat(send("GET", "/nothing", null).statusCode()).isEqualTo(404);
        assertThat(send("GET", "/wait", null).statusCode()).isEqualTo(400);
        assertThat(error(send("GET", "/wait?gtids=nonsense", null))).startsWith("GET /wait?gtids=<GTID set>");
        assertThat(error(send("GET", "/wait?gtids=" + UUID + ":1&timeout=-1", null)))
                .isEqualTo("timeout must be 0-3600 seconds, not -1");
    }

    @Test
    void aWaitForWhatIsNotAppliedTimesOutNamingWhatIsMissing() throws Exception {
        start(TOKEN);

        HttpResponse<String> response = send("GET", "/wait?gtids=" + UUID + ":1-3&timeout=0", null);

        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(error(response)).isEqualTo("not applied after 0 s: still missing " + UUID + ":1-3");
    }

    @Test
    void anIdleReplicaIsUnhealthyAndReportsStoppedEverywhere() throws Exception {
        start(TOKEN);

        HttpResponse<String> health = send("GET", "/health", null);
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(health.body()).isEqualTo("unhealthy: applier stopped\n");

        JsonNode status = StatusDocument.JSON.readTree(send("GET", "/status", null).body());
        assertThat(status.path("state").asText()).isEqualTo("NEW");
        assertThat(status.path("applier").path("state").asText()).isEqualTo("STOPPED");
        assertThat(status.path("controller").path("requested").asText()).isEqualTo("RUNNING");

        HttpResponse<String> metrics = send("GET", "/metrics", null);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("text/plain; version=0.0.4"));
        assertThat(metrics.body()).contains("binrelay_applier_state{state=\"stopped\"} 1.0",
                "binrelay_applier_state{state=\"running\"} 0.0", "binrelay_replica_state{state=\"new\"} 1.0",
                "binrelay_applier_transactions_total 0.0", "binrelay_worker_transactions_total{worker=\"1\"} 0.0",
                "binrelay_worker_dependency_misses_total{worker=\"1\"} 0.0",
                "jvm_memory_used_bytes", "jvm_threads_live_threads", "process_uptime_seconds");
    }

    private void start(String token) throws Exception {
        BinrelayConfig config = new BinrelayConfig(
                new BinrelayConfig.Source("127.0.0.1", 1, "repl", "", 1001, "", 5),
                new BinrelayConfig.Target("jdbc:mysql://127.0.0.1:1/", "binrelay", ""),
                BinrelayConfig.Applier.defaults(2, SchedulerKind.WRITESET, Set.of()),
                new BinrelayConfig.Checkpoint("binrelay", "default"), new BinrelayConfig.Progress(0),
                BinrelayConfig.Snapshot.never(), new BinrelayConfig.Http("127.0.0.1", 1, token, 30));
        ReplicaMetrics metrics = new ReplicaMetrics(2);
        ReplicaController controller = new ReplicaController(() -> ReplicaFactory.create(config,
                ReplicaFactory.applier(config, metrics.poolMetrics())), gtid -> "not expected");
        // Port 0: any free port.
        api = HttpApi.start(new BinrelayConfig.Http("127.0.0.1", 0, token, 30), controller, metrics);
    }

    private HttpResponse<String> send(String method, String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String error(HttpResponse<String> response) throws Exception {
        return StatusDocument.JSON.readTree(response.body()).path("error").asText();
    }
}
