package dev.binrelay.benchmarks;

import dev.binrelay.engine.SchedulerKind;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What a benchmark run measures and on what.
 *
 * @param workload      the workload name ({@link Workloads#NAMES})
 * @param tables        sbtest tables (or schemas, for multi_schema)
 * @param tableSize     rows per table before the backlog
 * @param clientThreads source client threads (single_thread always uses one)
 * @param seconds       how long the catch-up backlog is written
 * @param maxBacklog    the backlog stops at this many transactions even before {@code seconds} (0: no limit)
 * @param lagSeconds    how long the steady-state (lag) window lasts
 * @param rate          source transactions per second in the lag window ({@code lag}; {@code full} takes 80% of
 *                      the native replica's catch-up rate)
 * @param keepUpSeconds how long the source writes at full speed while both replicas follow ({@code keepup},
 *                      {@code full})
 * @param workers       worker counts, for binrelay and the native replica alike
 * @param schedulers    binrelay schedulers ({@code serial} runs with one worker only: it applies one transaction at a
 *                      time whatever the count)
 * @param durabilities  target durability settings, each with its own backlog
 * @param tracking      the source's {@code binlog_transaction_dependency_tracking}: COMMIT_ORDER or WRITESET
 * @param batchSize     binrelay's {@code applier.batchSize}
 * @param targetBinlog  whether both targets keep a binary log (with {@code log_replica_updates}), as a promotable
 *                      replica does
 * @param out           where result folders are written
 */
public record BenchSettings(String workload, int tables, int tableSize, int clientThreads, int seconds,
                            long maxBacklog, int lagSeconds, int rate, int keepUpSeconds, List<Integer> workers,
                            List<SchedulerKind> schedulers, List<Durability> durabilities, String tracking,
                            int batchSize, boolean targetBinlog, Path out) {

    /** Validates the settings; every message names the option. */
    public BenchSettings {
        Workloads.check(workload);
        tracking = tracking.trim().toUpperCase(Locale.ROOT);
        if (!tracking.equals("COMMIT_ORDER") && !tracking.equals("WRITESET")) {
            throw new IllegalArgumentException("--tracking must be commit_order or writeset, not " + tracking);
        }
        positive("--tables", tables);
        positive("--table-size", tableSize);
        positive("--threads", clientThreads);
        positive("--seconds", seconds);
        positive("--lag-seconds", lagSeconds);
        positive("--rate", rate);
        positive("--keep-up-seconds", keepUpSeconds);
        positive("--batch-size", batchSize);
        if (maxBacklog < 0) {
            throw new IllegalArgumentException("--max-backlog must be 0 (no limit) or more, not " + maxBacklog);
        }
        for (int count : workers) {
            if (count < 1 || count > 64) {
                throw new IllegalArgumentException("--workers must be between 1 and 64, not " + count);
            }
        }
        if (workers.isEmpty() || schedulers.isEmpty() || durabilities.isEmpty()) {
            throw new IllegalArgumentException("--workers, --schedulers and --durability need at least one value");
        }
        workers = List.copyOf(workers);
        schedulers = List.copyOf(schedulers);
        durabilities = List.copyOf(durabilities);
    }

    /** The worker counts a scheduler runs with: serial with one only. */
    List<Integer> workersFor(SchedulerKind scheduler) {
        return scheduler == SchedulerKind.SERIAL ? List.of(1) : workers;
    }

    private static void positive(String option, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(option + " must be at least 1, not " + value);
        }
    }
}
