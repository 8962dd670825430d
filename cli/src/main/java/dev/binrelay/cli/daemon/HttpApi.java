package dev.binrelay.cli.daemon;

import dev.binrelay.cli.command.CheckpointSkip;
import dev.binrelay.cli.command.ControlRefusedException;
import dev.binrelay.cli.config.BinrelayConfig;
import dev.binrelay.cli.config.ConfigException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.binrelay.checkpoint.Gtid;
import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.engine.ReplicaException;
import java.io.IOException;
import java.net.InetSocketAddress;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.binrelay.engine.ReplicaStatus;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's HTTP API on {@code http.bind:http.port} (JDK's built-in server): {@code GET /status}, {@code /health},
 * {@code /metrics} and {@code /wait} for anyone who can connect; {@code POST /stop}, {@code /start} and {@code /skip}
 * only with {@code Authorization: Bearer <http.token>}. Errors are {@code {"error": "..."}} with a status code that
 * says what kind: 400 bad request, 401 no or wrong token, 403 no token configured, 404, 405, 409 not in this state,
 * 500 the replica or target failed, 503 too busy, 504 a wait timed out.
 */
public final class HttpApi implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    /** Request threads. Waits block one each, so they get fewer than all: status reads always find a thread. */
    private static final int THREADS = 8;
    private static final int MAX_WAITS = THREADS - 2;
    public static final int DEFAULT_WAIT_SECONDS = 30;
    public static final int MAX_WAIT_SECONDS = 3600;
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService threads;
    private final ChannelSet channels;
    private final ReplicaMetrics metrics;
    private final ControlToken token;
    private final int maxLagSeconds;
    private final Semaphore waits = new Semaphore(MAX_WAITS);

    private HttpApi(HttpServer server, ExecutorService threads, ChannelSet channels, ReplicaMetrics metrics,
                    BinrelayConfig.Http config) {
        this.server = server;
        this.threads = threads;
        this.channels = channels;
        this.metrics = metrics;
        this.token = new ControlToken(config.token());
        this.maxLagSeconds = config.maxLagSeconds();
    }

    /**
     * Starts serving on {@code config}'s address.
     *
     * @throws IOException when it cannot listen there (such as a port in use)
     */
    public static HttpApi start(BinrelayConfig.Http config, ReplicaController controller, ReplicaMetrics metrics)
            throws IOException {
        return start(config, ChannelSet.single("default", controller), metrics);
    }

    /**
     * Starts serving {@code channels} on {@code config}'s address. With several channels, {@code /status} shows each,
     * {@code /health} judges each, and the other requests name one with {@code ?channel=NAME}.
     *
     * @throws IOException when it cannot listen there (such as a port in use)
     */
    public static HttpApi start(BinrelayConfig.Http config, ChannelSet channels, ReplicaMetrics metrics)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(config.bind(), config.port()), 0);
        AtomicInteger count = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(THREADS, runnable -> {
            Thread thread = new Thread(runnable, "binrelay-http-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        HttpApi api = new HttpApi(server, threads, channels, metrics, config);
        server.createContext("/", api::handle);
        server.setExecutor(threads);
        server.start();
        LOG.info("HTTP API on http://{}:{} (control {})", config.bind(), api.port(),
                config.hasToken() ? "with http.token" : "refused: no http.token");
        return api;
    }

    /** The port it listens on. */
    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            route(exchange);
        } catch (IOException e) {
            LOG.debug("HTTP client went away: {}", e.toString());
        } catch (ChannelSet.UnknownChannelException e) {
            HttpReply.error(exchange, 400, e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("HTTP {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI().getPath(), e);
            HttpReply.error(exchange, 500, String.valueOf(e.getMessage()));
        } finally {
            exchange.close();
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        switch (path) {
            case "/status" -> read(exchange, () -> HttpReply.json(exchange, 200, status(exchange)));
            case "/health" -> read(exchange, () -> health(exchange));
            case "/metrics" -> read(exchange, () -> HttpReply.send(exchange, 200, PROMETHEUS_TEXT, scrape()));
            case "/wait" -> read(exchange, () -> await(exchange));
            case "/stop" -> control(exchange, () -> HttpReply.done(exchange,
                    controller(exchange).pause(who(exchange))));
            case "/start" -> control(exchange, () -> HttpReply.done(exchange,
                    controller(exchange).resume(who(exchange))));
            case "/skip" -> control(exchange, () -> skip(exchange));
            default -> HttpReply.error(exchange, 404, "no such resource " + path + ": GET /status, /health, /metrics, "
                    + "/wait; POST /stop, /start, /skip");
        }
    }

    /** A request body: sends the response, may throw {@link IOException}. */
    private interface Action {
        void run() throws IOException;
    }

    private void read(HttpExchange exchange, Action action) throws IOException {
        String method = exchange.getRequestMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            HttpReply.error(exchange, 405, exchange.getRequestURI().getPath() + " takes GET, not " + method);
            return;
        }
        action.run();
    }

    private void control(HttpExchange exchange, Action action) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (!exchange.getRequestMethod().equals("POST")) {
            exchange.getResponseHeaders().set("Allow", "POST");
            HttpReply.error(exchange, 405, path + " takes POST, not " + exchange.getRequestMethod());
            return;
        }
        switch (token.check(exchange.getRequestHeaders().getFirst("Authorization"))) {
            case NOT_CONFIGURED -> {
                LOG.warn("control request POST {} from {} refused: no http.token configured", path, client(exchange));
                HttpReply.error(exchange, 403, "control is disabled: set http.token in the config to allow POST "
                        + "/stop, /start and /skip");
                return;
            }
            case UNAUTHORIZED -> {
                LOG.warn("control request POST {} from {} refused: missing or wrong bearer token", path,
                        client(exchange));
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"binrelay\"");
                HttpReply.error(exchange, 401, "control needs the header 'Authorization: Bearer <http.token>'");
                return;
            }
            case ALLOWED -> {
                // go on
            }
        }
        try {
            action.run();
        } catch (ControlRefusedException | CheckpointSkip.RefusedException e) {
            LOG.info("POST {} from {} refused: {}", path, client(exchange), e.getMessage());
            HttpReply.error(exchange, 409, e.getMessage());
        } catch (ReplicaException | ConfigException e) {
            HttpReply.error(exchange, 500, e.getMessage());
        }
    }

    /** The controller of the request's {@code channel} parameter (optional with one channel). */
    private ReplicaController controller(HttpExchange exchange) {
        return channels.select(HttpReply.query(exchange).get("channel"));
    }

    /**
     * One channel's document (today's shape) without {@code channels:} or with {@code ?channel=NAME}; else
     * {@code {"channels": [{"name": ..., <the channel's document>}, ...]}}.
     */
    private ObjectNode status(HttpExchange exchange) {
        String name = HttpReply.query(exchange).get("channel");
        if (!channels.multiple() || name != null) {
            ReplicaController controller = channels.select(name);
            return StatusDocument.of(controller.replicaStatus(), controller.status());
        }
        ObjectNode root = StatusDocument.JSON.createObjectNode();
        ArrayNode list = root.putArray("channels");
        channels.all().forEach((channel, controller) -> list.addObject().put("name", channel)
                .setAll(StatusDocument.of(controller.replicaStatus(), controller.status())));
        return root;
    }

    private String scrape() {
        Map<String, ReplicaStatus> statuses = new LinkedHashMap<>();
        Map<String, ControllerStatus> views = new LinkedHashMap<>();
        channels.all().forEach((channel, controller) -> {
            statuses.put(channel, controller.replicaStatus());
            views.put(channel, controller.status());
        });
        return metrics.scrape(statuses, views);
    }

    private void health(HttpExchange exchange) throws IOException {
        HealthCheck health = channels.multiple() ? HealthCheck.ofChannels(channels.all(), maxLagSeconds)
                : HealthCheck.of(channels.select(null).replicaStatus(), maxLagSeconds);
        HttpReply.send(exchange, health.healthy() ? 200 : 503, HttpReply.TEXT_TYPE,
                (health.healthy() ? "ok: " : "unhealthy: ") + health.reason() + "\n");
    }

    private void skip(HttpExchange exchange) throws IOException {
        String text = HttpReply.query(exchange).get("gtid");
        if (text == null || text.isBlank()) {
            HttpReply.error(exchange, 400, "POST /skip needs ?gtid=<uuid>:<transaction number>");
            return;
        }
        Gtid gtid;
        try {
            gtid = Gtid.parse(text.strip());
        } catch (IllegalArgumentException e) {
            HttpReply.error(exchange, 400, "gtid takes one GTID, <uuid>:<transaction number>: " + e.getMessage());
            return;
        }
        HttpReply.done(exchange, controller(exchange).skip(gtid, who(exchange)));
    }

    private void await(HttpExchange exchange) throws IOException {
        Map<String, String> query;
        try {
            query = HttpReply.query(exchange);
        } catch (IllegalArgumentException e) {
            HttpReply.error(exchange, 400, "bad query string: " + e.getMessage());
            return;
        }
        if (query.getOrDefault("gtids", "").isBlank()) {
            HttpReply.error(exchange, 400, "GET /wait needs ?gtids=<GTID set>, optionally &timeout=<seconds> "
                    + "(default " + DEFAULT_WAIT_SECONDS + ")");
            return;
        }
        GtidSet gtids;
        long seconds;
        try {
            gtids = GtidSet.parse(query.get("gtids").strip());
            seconds = Long.parseLong(query.getOrDefault("timeout", Integer.toString(DEFAULT_WAIT_SECONDS)).strip());
        } catch (IllegalArgumentException e) {
            HttpReply.error(exchange, 400, "GET /wait?gtids=<GTID set>&timeout=<seconds>: " + e.getMessage());
            return;
        }
        if (seconds < 0 || seconds > MAX_WAIT_SECONDS) {
            HttpReply.error(exchange, 400, "timeout must be 0-" + MAX_WAIT_SECONDS + " seconds, not " + seconds);
            return;
        }
        ReplicaController controller = controller(exchange);
        if (!waits.tryAcquire()) {
            HttpReply.error(exchange, 503, "too many waits in progress (" + MAX_WAITS + "): try again later");
            return;
        }
        try {
            if (controller.awaitGtids(gtids, Duration.ofSeconds(seconds))) {
                HttpReply.json(exchange, 200, StatusDocument.JSON.createObjectNode()
                        .put("result", "applied: " + gtids).put("gtids", gtids.toString()));
            } else {
                HttpReply.error(exchange, 504, "not applied after " + seconds + " s: still missing "
                        + controller.missing(gtids));
            }
        } finally {
            waits.release();
        }
    }

    private static String who(HttpExchange exchange) {
        return exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " from " + client(exchange);
    }

    private static String client(HttpExchange exchange) {
        return exchange.getRemoteAddress().getAddress().getHostAddress();
    }
}
