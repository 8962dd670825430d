package dev.binrelay.devtools;

import dev.binrelay.cli.ExitCodes;
import dev.binrelay.cli.VersionProvider;
import ch.qos.logback.classic.Level;
import dev.binrelay.benchmarks.BenchSettings;
import dev.binrelay.benchmarks.Benchmark;
import dev.binrelay.benchmarks.Durability;
import dev.binrelay.engine.SchedulerKind;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code binrelay bench}: binrelay against MySQL's native replica on embedded servers (the benchmarks module), as
 * {@code catchup}, {@code lag}, {@code decode} or the {@code full} matrix that RESULTS.md records.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Benchmark binrelay against MySQL's native multi-threaded replica, on embedded MySQL 8.0.31 "
                + "servers (a source, a binrelay target and a native replica configured alike).",
                "Prints Markdown tables and writes results.md, results.json and catch-up charts (PNG) into a new "
                        + "folder under --out."},
        footer = {"", "Exit codes: 0 every target matched its source, 1 a run FAILED (its target differed, it timed "
                + "out or its applier stopped), 2 usage."})
public final class BenchCommand {
    private static final String ALL_SCHEDULERS = "serial,database,logical_clock,writeset";

    @Spec
    private CommandSpec spec;

    @Command(name = "catchup", mixinStandardHelpOptions = true, description = {"Catch-up: a backlog written while "
            + "both appliers are stopped, then each applier alone on it; transactions per second and binrelay's "
            + "ratio to the native replica at the same worker count.", "Defaults: --workers 4 --durability durable."})
    int catchup(@Mixin Options options) throws Exception {
        return run(Benchmark.Mode.CATCHUP, options, "4", "durable");
    }

    @Command(name = "lag", mixinStandardHelpOptions = true, description = {"Steady state: both replicas follow the "
            + "source at --rate transactions per second for --lag-seconds; lag p50/p99/max of each, from a heartbeat "
            + "row stamped every 100 ms.", "Defaults: --workers 4 --durability durable."})
    int lag(@Mixin Options options) throws Exception {
        return run(Benchmark.Mode.LAG, options, "4", "durable");
    }

    @Command(name = "keepup", mixinStandardHelpOptions = true, description = {"Keep-up: both replicas follow the "
            + "source while its clients write as fast as it takes for --keep-up-seconds; what each had applied of "
            + "what was written when the window ended, and its lag p50/p99/max.",
            "Defaults: --workers 4 --durability durable."})
    int keepup(@Mixin Options options) throws Exception {
        return run(Benchmark.Mode.KEEPUP, options, "4", "durable");
    }

    @Command(name = "decode", mixinStandardHelpOptions = true, description = {"Decode only: binrelay reads and "
            + "schedules the backlog with an applier that applies nothing; row events per second.",
            "Defaults: --workers 4 --durability durable."})
    int decode(@Mixin Options options) throws Exception {
        return run(Benchmark.Mode.DECODE, options, "4", "durable");
    }

    @Command(name = "full", mixinStandardHelpOptions = true, description = {"The whole matrix for RESULTS.md: for "
            + "each durability, one backlog, decode only, catch-up for every scheduler and worker count and the "
            + "native replica at every worker count, then a keep-up window (the source at full speed) and a lag window "
            + "at 80%% of the native replica's catch-up rate (writeset, 4 workers).",
            "Defaults: --workers 1,2,4,8 --durability durable,relaxed."})
    int full(@Mixin Options options) throws Exception {
        return run(Benchmark.Mode.FULL, options, "1,2,4,8", "durable,relaxed");
    }

    private int run(Benchmark.Mode mode, Options options, String defaultWorkers, String defaultDurability)
            throws Exception {
        BenchSettings settings;
        try {
            settings = options.settings(defaultWorkers, defaultDurability);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        // Every run starts and stops replicas: their INFO lines would bury the benchmark's own progress lines.
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("dev.binrelay")).setLevel(Level.WARN);
        Benchmark benchmark = new Benchmark(mode, settings, spec.commandLine().getOut());
        benchmark.run("./binrelay " + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
        return benchmark.allTargetsMatched() ? 0 : ExitCodes.FAILED;
    }

    /** The options every bench command takes. */
    static final class Options {
        @Option(names = "--workload", paramLabel = "NAME", defaultValue = "oltp_write_only", description = "oltp_"
                + "write_only, oltp_insert, update_index, hot_rows, multi_schema, single_thread, large_tx or "
                + "tpcc_like (foreign keys, a keyless table; --tables warehouses, --table-size items) "
                + "(default: ${DEFAULT-VALUE}).")
        String workload;

        @Option(names = "--tables", paramLabel = "N", defaultValue = "4",
                description = "sbtest tables (schemas for multi_schema, warehouses for tpcc_like) "
                        + "(default: ${DEFAULT-VALUE}).")
        int tables;

        @Option(names = "--table-size", paramLabel = "ROWS", defaultValue = "10000",
                description = "Rows per table before the backlog (default: ${DEFAULT-VALUE}).")
        int tableSize;

        @Option(names = "--threads", paramLabel = "N", defaultValue = "16",
                description = "Source client threads (default: ${DEFAULT-VALUE}).")
        int threads;

        @Option(names = "--seconds", paramLabel = "S", defaultValue = "20",
                description = "The catch-up backlog is written for at most this long (default: ${DEFAULT-VALUE}).")
        int seconds;

        @Option(names = "--max-backlog", paramLabel = "TX", defaultValue = "30000",
                description = "... or until it holds this many transactions, 0 for no limit: a backlog of the same "
                        + "size on any machine (default: ${DEFAULT-VALUE}).")
        long maxBacklog;

        @Option(names = "--lag-seconds", paramLabel = "S", defaultValue = "30",
                description = "Length of a lag window (default: ${DEFAULT-VALUE}).")
        int lagSeconds;

        @Option(names = "--rate", paramLabel = "TX/S", defaultValue = "300",
                description = "Source transactions per second in a lag window (default: ${DEFAULT-VALUE}; full "
                        + "takes 80%% of the native replica's catch-up rate instead).")
        int rate;

        @Option(names = "--keep-up-seconds", paramLabel = "S", defaultValue = "60",
                description = "How long the source writes at full speed in a keep-up window (default: "
                        + "${DEFAULT-VALUE}).")
        int keepUpSeconds;

        @Option(names = "--workers", paramLabel = "N[,N...]",
                description = "Worker counts, for binrelay and the native replica alike (serial always runs with 1).")
        String workers;

        @Option(names = "--schedulers", paramLabel = "NAME[,NAME...]", defaultValue = ALL_SCHEDULERS,
                description = "binrelay schedulers (default: ${DEFAULT-VALUE}).")
        String schedulers;

        @Option(names = "--durability", paramLabel = "durable|relaxed[,...]",
                description = "Target durability: durable (sync_binlog=1, innodb_flush_log_at_trx_commit=1) or "
                        + "relaxed (0 and 2), the same on both targets.")
        String durability;

        @Option(names = "--tracking", paramLabel = "writeset|commit_order", defaultValue = "writeset",
                description = "The source's binlog_transaction_dependency_tracking (default: ${DEFAULT-VALUE}, the "
                        + "only behaviour of MySQL 8.4 and 9.x, which dropped the variable; commit_order is 8.0's "
                        + "default, for a run beside it).")
        String tracking;

        @Option(names = "--batch-size", paramLabel = "N", defaultValue = "16",
                description = "binrelay's applier.batchSize (default: ${DEFAULT-VALUE}).")
        int batchSize;

        @Option(names = "--target-binlog", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "Both targets keep a binary log with log_replica_updates, as a promotable replica "
                        + "does (default: on; --no-target-binlog turns it off on both).")
        boolean targetBinlog;

        @Option(names = "--out", paramLabel = "DIR", defaultValue = "benchmarks/results",
                description = "Where result folders are written (default: ${DEFAULT-VALUE}).")
        Path out;

        BenchSettings settings(String defaultWorkers, String defaultDurability) {
            return new BenchSettings(workload, tables, tableSize, threads, seconds, maxBacklog, lagSeconds, rate,
                    keepUpSeconds,
                    list("--workers", workers == null ? defaultWorkers : workers, Integer::parseInt),
                    list("--schedulers", schedulers, SchedulerKind::parse),
                    list("--durability", durability == null ? defaultDurability : durability, Durability::parse),
                    tracking, batchSize, targetBinlog, out);
        }

        private static <T> List<T> list(String option, String values, Function<String, T> parse) {
            try {
                return Arrays.stream(values.split(",")).map(String::trim).filter(v -> !v.isEmpty()).map(parse)
                        .distinct().toList();
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + ": not a number: " + e.getMessage());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(option + ": " + e.getMessage());
            }
        }
    }
}
