package dev.binrelay.cli.command;

import dev.binrelay.cli.ExitCodes;
import dev.binrelay.cli.VersionProvider;
import dev.binrelay.cli.config.BinrelayConfig;
import dev.binrelay.cli.config.ChannelConfigs;
import dev.binrelay.cli.config.ConfigException;
import dev.binrelay.cli.config.ConfigLoader;
import dev.binrelay.cli.daemon.ChannelSet;
import dev.binrelay.cli.daemon.HttpApi;
import dev.binrelay.cli.daemon.LogFormat;
import dev.binrelay.cli.daemon.ReplicaController;
import dev.binrelay.cli.daemon.ReplicaFactory;
import dev.binrelay.cli.daemon.ReplicaMetrics;
import dev.binrelay.cli.daemon.ReplicaMonitor;
import dev.binrelay.applier.JdbcApplier;
import dev.binrelay.engine.Replica;
import dev.binrelay.engine.ReplicaException;
import dev.binrelay.engine.ReplicaState;
import dev.binrelay.applier.JdbcApplier;
import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.snapshot.Snapshot;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code binrelay run --config FILE}: replicates until told to stop (SIGTERM or SIGINT, which finish the transaction
 * in flight and exit 0) or until the replica fails (exit 1). With {@code http.port} set it serves the HTTP API and
 * keeps running after a failure, so that an operator can look, skip and start again.
 */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Replicate from the source to the target until stopped.",
                "SIGTERM or Ctrl-C finishes the transaction in flight, then exits 0. A failure exits 1, unless "
                        + "http.port is set: then the daemon stays up for 'binrelay status', skip and start."},
        footer = {"", "Config keys (YAML; * required, string values may use $${ENV_VAR}):",
                "  source:     host*, port (3306), user*, password or passwordFile, serverId*,",
                "              startGtids (empty: all | current | a GTID set), heartbeatSeconds (5),",
                "              mode (auto | gtid | position; auto: position when gtid_mode is not ON),",
                "              startFile, startPosition (4) (position mode, empty checkpoint; none: current)",
                "              ssl.mode (preferred | disabled | required | verify_ca | verify_identity;",
                "              verify_ca when only ssl.ca is set), ssl.ca, ssl.cert, ssl.key (PEM files),",
                "              ignoreServerIds (the target's server_id; skip transactions that originated",
                "              on these servers, for two-way replication; [] for none)",
                "  target:     url* (jdbc:mysql://...), user*, password or passwordFile,",
                "              ssl.mode (as the url says, else preferred), ssl.ca, ssl.cert, ssl.key,",
                "              requireReadOnly (false)",
                "  applier:    workers (1), scheduler (serial), ringSize (1024),",
                "              skipErrors (none; a list of error codes such as [1062, 1032])",
                "  checkpoint: schema (binrelay), channel (default)",
                "  progress:   intervalSeconds (5; 0 for none)",
                "  snapshot:   mode (never | initial: copy the source first when the checkpoint is empty),",
                "              schemas (all but mysql, sys, *_schema and the checkpoint schema), threads (4),",
                "              chunkRows (10000)",
                "  http:       port (none: no HTTP API), bind (127.0.0.1), token (none: control refused),",
                "              maxLagSeconds (30, for GET /health)",
                "  filters:    doDb, ignoreDb, doTable, ignoreTable (db.table), wildDoTable, wildIgnoreTable",
                "              (db.table with % and _), rewriteDb (\"from -> to\"): lists, none by default",
                "  channels:   a list of {name, source, applier, filters, snapshot} replicating several sources",
                "              into the target (top-level source/applier/... are their defaults; README)",
                "", "Exit codes: 0 stopped on request, 1 replica failed, 2 bad configuration or usage."})
public final class RunCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);
    /** How long one wait for the replica's end lasts before waiting again; any long time will do. */
    private static final Duration WAIT_SLICE = Duration.ofHours(1);

    @Spec
    private CommandSpec spec;

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
            description = "The YAML configuration file.")
    private Path configFile;

    @Option(names = "--log-format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (default) or json: one JSON object per log line, for log shippers.")
    private LogFormat logFormat;

    private final AtomicBoolean endReported = new AtomicBoolean();
    /** Counted down by the shutdown hook; the daemon with an HTTP API waits for nothing else. */
    private final CountDownLatch shutdown = new CountDownLatch(1);

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        BinrelayConfig config;
        Snapshot snapshot;
        try {
            config = ConfigLoader.load(configFile);
            // Built once, unused, so that a value the engine refuses is reported before anything connects.
            for (BinrelayConfig.Channel channel : config.effectiveChannels()) {
                createReplica(channel.config(), ReplicaFactory.applier(channel.config()));
            }
            snapshot = ReplicaFactory.snapshot(config);
        } catch (ConfigException e) {
            return fail(err, e.getMessage(), ExitCodes.BAD_CONFIG);
        }
        boolean multiple = !config.channels().isEmpty();
        if (multiple) {
            LOG.info("config {}: {}, {}, {} channels", configFile, config.target(), config.http(),
                    config.channels().size());
            for (BinrelayConfig.Channel channel : config.channels()) {
                LOG.info("channel {}: {}, {}, {}", channel.name(), channel.config().source(),
                        channel.config().applier(), channel.config().checkpoint());
            }
        } else {
            LOG.info("config {}: {}, {}, {}, {}, {}, {}", configFile, config.source(), config.target(),
                    config.applier(), config.checkpoint(), config.snapshot(), config.http());
        }
        Map<String, GtidSet> catchUpWindows = new LinkedHashMap<>();
        try {
            if (config.snapshot().mode() == BinrelayConfig.SnapshotMode.INITIAL) {
                snapshot.runIfCheckpointEmpty(); // only without channels: ChannelConfigs refuses it with them
            }
            // A resumed copy's catch-up window stays idempotent across restarts until it is applied: every replica
            // this daemon builds (a start after a failure or a skip too) gets it.
            for (BinrelayConfig.Channel channel : config.effectiveChannels()) {
                catchUpWindows.put(channel.name(),
                        Snapshot.catchUpWindow(ReplicaFactory.targetSettings(channel.config())));
            }
        } catch (ReplicaException e) {
            return fail(err, e.getMessage(), ExitCodes.FAILED);
        }
        ReplicaMetrics metrics = null;
        if (config.http().enabled()) {
            Map<String, Integer> workers = new LinkedHashMap<>();
            config.channels().forEach(channel -> workers.put(channel.name(), channel.config().applier().workers()));
            metrics = multiple ? new ReplicaMetrics(workers) : new ReplicaMetrics(config.applier().workers());
        }
        Map<String, ReplicaController> controllers = new LinkedHashMap<>();
        for (BinrelayConfig.Channel channel : config.effectiveChannels()) {
            controllers.put(channel.name(), controller(channel, multiple ? "[" + channel.name() + "] " : "",
                    catchUpWindows.get(channel.name()), metrics));
        }
        return run(config, new ChannelSet(controllers), metrics, err);
    }

    /** The controller of one channel: each replica it builds has its own applier (and pool) on the shared target. */
    private ReplicaController controller(BinrelayConfig.Channel channel, String logPrefix, GtidSet catchUpWindow,
                                         ReplicaMetrics metrics) {
        BinrelayConfig config = channel.config();
        return new ReplicaController(logPrefix, () -> {
            JdbcApplier applier = ReplicaFactory.applier(config,
                    metrics == null ? null : metrics.poolMetrics(channel.name()));
            applier.applyIdempotently(catchUpWindow);
            return createReplica(config, applier);
        }, gtid -> CheckpointSkip.skip(config, gtid));
    }

    private int run(BinrelayConfig config, ChannelSet channels, ReplicaMetrics metrics, PrintWriter err) {
        HttpApi http = null;
        if (config.http().enabled()) {
            try {
                http = HttpApi.start(config.http(), channels, metrics);
            } catch (IOException e) {
                return fail(err, "cannot serve HTTP on http.bind " + config.http().bind() + ", http.port "
                        + config.http().port() + ": " + e.getMessage(), ExitCodes.FAILED);
            }
        }
        HttpApi server = http;
        Thread shutdownHook = new Thread(() -> stopOnSignal(channels, server, err), "binrelay-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        int started = 0;
        for (Map.Entry<String, ReplicaController> channel : channels.all().entrySet()) {
            try {
                channel.getValue().start();
                started++;
            } catch (ReplicaException e) {
                if (!channels.multiple()) {
                    removeHook(shutdownHook);
                    closeQuietly(server);
                    return fail(err, e.getMessage(), ExitCodes.FAILED);
                }
                // One channel's failure stops only that channel: the others run, an operator can start it again.
                LOG.error("[{}] channel failed to start: {}", channel.getKey(), e.getMessage());
            }
        }
        if (started == 0) {
            removeHook(shutdownHook);
            closeQuietly(server);
            return fail(err, "no channel could start (see the log)", ExitCodes.FAILED);
        }
        List<ReplicaMonitor> monitors = new ArrayList<>();
        channels.all().forEach((name, controller) -> monitors.add(ReplicaMonitor.start(
                channels.multiple() ? "[" + name + "] " : "", controller::replicaStatus,
                Duration.ofSeconds(config.progress().intervalSeconds()))));
        try {
            if (server == null) {
                for (ReplicaController controller : channels.all().values()) {
                    while (!controller.replica().awaitTermination(WAIT_SLICE)) {
                        // keep waiting: the replica runs until a signal or a failure ends it
                    }
                }
            } else {
                awaitShutdown();
            }
        } finally {
            monitors.forEach(ReplicaMonitor::close);
        }
        removeHook(shutdownHook);
        closeQuietly(server);
        return reportEnd(channels, err);
    }

    private Replica createReplica(BinrelayConfig config, JdbcApplier applier) {
        try {
            return ReplicaFactory.create(config, applier);
        } catch (ConfigException e) {
            throw new ConfigException(configFile + ": " + e.getMessage());
        }
    }

    private void awaitShutdown() {
        try {
            shutdown.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs in the JVM's shutdown: stops cleanly, then ends the JVM with our exit code instead of 128 + signal. */
    private void stopOnSignal(ChannelSet channels, HttpApi http, PrintWriter err) {
        if (channels.all().values().stream().anyMatch(controller -> !controller.replica().state().terminal())) {
            LOG.info("stop requested: finishing the transaction in flight");
        }
        closeQuietly(http);
        channels.all().values().forEach(ReplicaController::shutDown);
        int exitCode = reportEnd(channels, err);
        shutdown.countDown();
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(exitCode);
    }

    /**
     * Prints how each failed channel's replica ended (once, whichever of the main thread and the shutdown hook gets
     * here first); exit code 1 when any failed.
     */
    private int reportEnd(ChannelSet channels, PrintWriter err) {
        List<String> failures = new ArrayList<>();
        channels.all().forEach((name, controller) -> {
            Replica replica = controller.replica();
            if (replica.state() == ReplicaState.FAILED) {
                Throwable failure = replica.failure();
                failures.add("binrelay: " + (channels.multiple() ? "channel " + name : "replica") + " failed: "
                        + (failure == null ? "unknown error" : failure.getMessage()));
            }
        });
        if (!failures.isEmpty() && endReported.compareAndSet(false, true)) {
            failures.forEach(err::println);
            err.flush();
        }
        return failures.isEmpty() ? ExitCodes.OK : ExitCodes.FAILED;
    }

    private static int fail(PrintWriter err, String message, int exitCode) {
        err.println("binrelay: " + message);
        err.flush();
        return exitCode;
    }

    private static void closeQuietly(HttpApi http) {
        if (http != null) {
            http.close();
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shutdownInProgress) {
            // The hook is already running and will end the JVM itself.
        }
    }
}
