package dev.binrelay.cli.daemon;

import dev.binrelay.engine.ApplierState;
import dev.binrelay.engine.ApplierStatus;
import dev.binrelay.engine.DependencyMisses;
import dev.binrelay.engine.ReaderState;
import dev.binrelay.engine.ReplicaStatus;
import dev.binrelay.engine.SourceStatus;
import dev.binrelay.engine.SchedulerStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs what an operator of a running replica needs to see: one line per change of the replica's state, of the source
 * reader's or of the applier's (with the error that caused it) and, every progress interval, a progress line such as
 * {@code applied 12345 tx (812.0 tx/s), 40210 rows, in flight 3, lag 0.41 s, source binlog.000002:12345}.
 */
public final class ReplicaMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaMonitor.class);
    /** How often state changes are looked for; progress lines come at their own, longer interval. */
    private static final long POLL_MILLIS = 1000;

    private final String logPrefix;
    private final Supplier<ReplicaStatus> statuses;
    private final long progressIntervalNanos;
    private final ScheduledExecutorService timer;
    // Only the timer thread touches these.
    private ReplicaStatus lastStatus;
    private ProgressSample lastProgress;

    private ReplicaMonitor(String logPrefix, Supplier<ReplicaStatus> statuses, Duration progressInterval) {
        this.logPrefix = logPrefix;
        this.statuses = statuses;
        this.progressIntervalNanos = progressInterval.toNanos();
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "binrelay-monitor");
            thread.setDaemon(true);
            return thread;
        });
        ReplicaStatus status = statuses.get();
        this.lastStatus = status;
        this.lastProgress = ProgressSample.now(status.applier().transactionsApplied());
    }

    /**
     * Starts watching the replica whose status {@code statuses} gives (the daemon's current one).
     *
     * @param progressInterval how often to log progress; zero for never
     */
    public static ReplicaMonitor start(Supplier<ReplicaStatus> statuses, Duration progressInterval) {
        return start("", statuses, progressInterval);
    }

    /** Like {@link #start(Supplier, Duration)}, each line starting with {@code logPrefix}, such as {@code [shard1] }. */
    public static ReplicaMonitor start(String logPrefix, Supplier<ReplicaStatus> statuses, Duration progressInterval) {
        ReplicaMonitor monitor = new ReplicaMonitor(logPrefix, statuses, progressInterval);
        monitor.timer.scheduleAtFixedRate(monitor::poll, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
        return monitor;
    }

    /** The progress line for {@code status}, with {@code rate} transactions per second. */
    static String progressLine(ReplicaStatus status, double rate) {
        ApplierStatus applier = status.applier();
        SourceStatus source = status.source();
        String line = String.format(Locale.ROOT, "applied %d tx (%.1f tx/s), %d rows, in flight %d, lag %s, "
                + "source %s", applier.transactionsApplied(), rate, applier.rowsApplied(), applier.inFlight(),
                applier.lagSeconds() == null ? "unknown" : String.format(Locale.ROOT, "%.2f s", applier.lagSeconds()),
                source.binlogFile().isEmpty() ? "(not connected)" : source.binlogFile() + ":" + source.binlogPosition());
        if (applier.skippedErrors() > 0) {
            line += ", rows skipped on error " + applier.skippedErrors();
        }
        SchedulerStatus scheduler = status.scheduler();
        if (scheduler == null) {
            return line;
        }
        line += String.format(Locale.ROOT, ", %s x%d, parallelism %.2f, independent %d, barriers %d",
                scheduler.scheduler().configName(), scheduler.workers(), scheduler.averageParallelism(),
                scheduler.independent(), scheduler.barriers());
        return line + dependencyMisses(scheduler.dependencyMisses());
    }

    /**
     * {@code , dependency misses 7 (db1.child 5, db1.t 2)} with the three tables missed most, or nothing when there was
     * none: a scheduler that guesses wrong shows up in the log.
     */
    static String dependencyMisses(DependencyMisses misses) {
        if (misses.total() == 0) {
            return "";
        }
        String tables = misses.byTable().entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(3)
                .map(entry -> entry.getKey() + " " + entry.getValue()).collect(Collectors.joining(", "));
        return ", dependency misses " + misses.total() + " (" + tables
                + (misses.byTable().size() > 3 ? ", ..." : "") + ")";
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    private void poll() {
        try {
            ReplicaStatus status = statuses.get();
            for (String change : changes(lastStatus, status)) {
                LOG.info(logPrefix + change);
            }
            lastStatus = status;
            ProgressSample sample = ProgressSample.now(status.applier().transactionsApplied());
            if (sample.transactions() < lastProgress.transactions()) {
                lastProgress = sample; // a new replica counts from zero again
            }
            // Half a poll of slack, so that timer jitter does not push a 5 s interval to 6 s.
            if (progressIntervalNanos > 0 && sample.nanoTime() - lastProgress.nanoTime() >= progressIntervalNanos
                    - POLL_MILLIS * 500_000) {
                LOG.info(logPrefix + progressLine(status, sample.ratePerSecondSince(lastProgress)));
                lastProgress = sample;
            }
        } catch (RuntimeException e) {
            // A failed status read must not end the scheduled task: the next poll tries again.
            LOG.warn(logPrefix + "reading the replica status failed: {}", e.toString());
        }
    }

    /**
     * One line per state that changed from {@code before} to {@code after}: the replica's, the source reader's (with
     * its last IO error) and the applier's (with its last error), such as
     * {@code applier running -> error: GTID ...: INSERT on shop.orders failed: target error 1062 ...}.
     */
    static List<String> changes(ReplicaStatus before, ReplicaStatus after) {
        List<String> lines = new ArrayList<>();
        if (before.state() != after.state()) {
            lines.add("replica " + lower(before.state()) + " -> " + lower(after.state()));
        }
        SourceStatus source = after.source();
        if (before.source().state() != source.state()) {
            lines.add("source reader " + lower(before.source().state()) + " -> " + lower(source.state())
                    + (source.lastError().isEmpty() || source.state() == ReaderState.CONNECTED
                    ? "" : ": " + source.lastError()));
        }
        ApplierStatus applier = after.applier();
        if (before.applier().state() != applier.state()) {
            lines.add("applier " + lower(before.applier().state()) + " -> " + lower(applier.state())
                    + (applier.lastError() == null || applier.state() != ApplierState.ERROR
                    ? "" : ": " + applier.lastError().message()));
        }
        return lines;
    }

    private static String lower(Enum<?> state) {
        return state.name().toLowerCase(Locale.ROOT);
    }
}
