package dev.binrelay.devtools;

import dev.binrelay.cli.ExitCodes;
import dev.binrelay.cli.VersionProvider;
import dev.binrelay.cli.config.BinrelayConfig;
import dev.binrelay.cli.daemon.ProgressSample;
import dev.binrelay.cli.daemon.ReplicaFactory;
import dev.binrelay.engine.SchedulerKind;
import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.engine.Replica;
import dev.binrelay.engine.ReplicaException;
import dev.binrelay.engine.ReplicaState;
import dev.binrelay.testkit.EmbeddedMySql;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code binrelay demo}: starts an embedded MySQL source and target, replicates a live workload from one to the other
 * with binrelay, then proves the copy exact by checksumming every table and comparing GTID sets.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Replicate a live workload between two embedded MySQL servers and verify the copy.",
                "Needs nothing but Java and libaio: MySQL 8.0.31 comes inside binrelay and is unpacked into "
                        + "~/.cache/binrelay (or $BINRELAY_CACHE) on first use."},
        footer = {"", "Exit codes: 0 source and target identical, 1 they differ or the replica failed, 2 usage."})
public final class DemoCommand implements Callable<Integer> {
    /** binrelay's server_id on the demo source; the embedded servers use ids from 100 up. */
    private static final long DEMO_SERVER_ID = 4242;
    private static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(120);
    private static final long TICK_MILLIS = 1000;

    @Spec
    private CommandSpec spec;

    @Option(names = "--seconds", paramLabel = "N", defaultValue = "20",
            description = "How long the workload runs (default: ${DEFAULT-VALUE}).")
    private int seconds;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "4",
            description = "Client threads writing to the source (default: ${DEFAULT-VALUE}).")
    private int threads;

    @Option(names = "--scheduler", paramLabel = "NAME", defaultValue = "writeset",
            description = "serial, database, logical_clock or writeset (default: ${DEFAULT-VALUE}).")
    private String scheduler;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "4",
            description = "binrelay's worker threads (default: ${DEFAULT-VALUE}).")
    private int workers;

    private PrintWriter out;
    private PrintWriter err;

    @Override
    public Integer call() throws Exception {
        if (seconds < 1) {
            throw new ParameterException(spec.commandLine(), "--seconds must be at least 1, not " + seconds);
        }
        if (threads < 1 || threads > 64) {
            throw new ParameterException(spec.commandLine(), "--threads must be between 1 and 64, not " + threads);
        }
        if (workers < 1 || workers > 64) {
            throw new ParameterException(spec.commandLine(), "--workers must be between 1 and 64, not " + workers);
        }
        try {
            SchedulerKind.parse(scheduler);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--scheduler: " + e.getMessage());
        }
        out = spec.commandLine().getOut();
        err = spec.commandLine().getErr();
        say("binrelay demo: starting an embedded MySQL source and target (the first run unpacks and initialises "
                + "MySQL 8.0.31: allow two minutes)");
        try (DemoEnvironment environment = DemoEnvironment.start()) {
            try {
                return run(environment);
            } catch (Exception e) {
                if (environment.interrupted()) {
                    // Ctrl-C closed the servers under our feet; the JVM is exiting with the signal's code anyway.
                    return ExitCodes.FAILED;
                }
                throw e;
            }
        }
    }

    private int run(DemoEnvironment environment) throws Exception {
        EmbeddedMySql source = environment.source();
        EmbeddedMySql target = environment.target();
        say(String.format(Locale.ROOT, "source %s:%d (binary log, GTIDs, ROW format), target %s:%d", source.host(),
                source.port(), target.host(), target.port()));
        ShopSchema.create(source);
        say("created database shop on the source: customers (" + ShopSchema.SEED_CUSTOMERS
                + " rows), orders, events");

        BinrelayConfig config = demoConfig(source, target, SchedulerKind.parse(scheduler), workers);
        Replica replica = ReplicaFactory.create(config);
        environment.replica(replica);
        say("starting binrelay: serial applier, 1 worker, from the start of the source's binary log");
        try {
            replica.start();
        } catch (ReplicaException e) {
            return failure(e.getMessage());
        }

        say(String.format(Locale.ROOT, "running the workload: %d client thread(s) for %d s", threads, seconds));
        ShopWorkload workload = ShopWorkload.start(source, threads);
        DemoTicker ticker = new DemoTicker(source, replica);
        while (ticker.elapsedSeconds() < seconds && workload.failure() == null && !failed(replica)) {
            ticker.tick();
        }
        workload.stop();
        if (workload.failure() != null) {
            return failure("demo client failed: " + workload.failure());
        }
        say(String.format(Locale.ROOT, "workload done: %d transactions committed (%d rolled back after a lock "
                + "conflict); waiting for binrelay to catch up", workload.commits(), workload.rollbacks()));

        GtidSet sourceGtids = GtidSet.parse(source.gtidExecuted());
        long deadline = System.nanoTime() + CATCH_UP_TIMEOUT.toNanos();
        while (!replica.appliedGtids().containsAll(sourceGtids) && !failed(replica)
                && System.nanoTime() < deadline) {
            ticker.tick();
        }
        if (failed(replica)) {
            // The engine publishes FAILED an instant before the error itself; its termination follows both.
            replica.awaitTermination(Duration.ofSeconds(30));
            return failure("replica failed: " + replica.failure().getMessage());
        }
        say(replica.appliedGtids().containsAll(sourceGtids)
                ? "binrelay caught up: applied " + replica.appliedGtids().count() + " transactions"
                : "binrelay did not catch up within " + CATCH_UP_TIMEOUT.toSeconds() + " s");

        Verification verification = SchemaComparer.compare(source, target, ShopSchema.DATABASE,
                replica.appliedGtids(), config.checkpoint());
        replica.stop(); // before printing, so that its log lines do not follow the verdict
        out.println();
        out.println("comparing every table of shop on the source and the target:");
        verification.printTo(out);
        return verification.matches() ? ExitCodes.OK : ExitCodes.FAILED;
    }

    private void say(String line) {
        out.println(line);
        out.flush();
    }

    private int failure(String message) {
        err.println("binrelay: " + message);
        err.flush();
        return ExitCodes.FAILED;
    }

    private static boolean failed(Replica replica) {
        return replica.state() == ReplicaState.FAILED;
    }

    private static BinrelayConfig demoConfig(EmbeddedMySql source, EmbeddedMySql target, SchedulerKind kind,
                                             int workers) {
        return new BinrelayConfig(
                new BinrelayConfig.Source(source.host(), source.port(), source.user(), source.password(),
                        DEMO_SERVER_ID, "", 5),
                new BinrelayConfig.Target(target.jdbcUrl(), target.user(), target.password()),
                BinrelayConfig.Applier.defaults(workers, kind, Set.of()),
                new BinrelayConfig.Checkpoint("binrelay", "default"),
                new BinrelayConfig.Progress(0),
                BinrelayConfig.Snapshot.never(), BinrelayConfig.Http.OFF);
    }

    /** Prints the demo's once-a-second progress line: source commits, applied, how far behind, lag, rate. */
    private final class DemoTicker {
        private final EmbeddedMySql source;
        private final Replica replica;
        private final long startNanos = System.nanoTime();
        private ProgressSample last;

        DemoTicker(EmbeddedMySql source, Replica replica) {
            this.source = source;
            this.replica = replica;
            this.last = ProgressSample.now(replica.appliedGtids().count());
        }

        long elapsedSeconds() {
            return (System.nanoTime() - startNanos) / 1_000_000_000L;
        }

        /** Sleeps until the next whole second of the demo, then prints a line. */
        void tick() throws InterruptedException {
            long elapsedMillis = (System.nanoTime() - startNanos) / 1_000_000L;
            Thread.sleep(TICK_MILLIS - elapsedMillis % TICK_MILLIS);
            long sourceCommits = GtidSet.parse(source.gtidExecuted()).count();
            ProgressSample now = ProgressSample.now(replica.appliedGtids().count());
            say(String.format(Locale.ROOT, "[%3d s] source %6d commits | applied %6d (%6.1f tx/s) | behind %5d | "
                            + "lag %.2f s", elapsedSeconds(), sourceCommits, now.transactions(),
                    now.ratePerSecondSince(last), Math.max(0, sourceCommits - now.transactions()),
                    replica.status().applier().lagSeconds()));
            last = now;
        }
    }
}
