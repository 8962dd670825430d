package dev.binrelay.cli;

import dev.binrelay.engine.Replica;
import dev.binrelay.engine.ApplierStatus;
import dev.binrelay.engine.ReplicaStatus;
import dev.binrelay.engine.SourceStatus;
import dev.binrelay.engine.SchedulerStatus;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs what an operator of a running replica needs to see: one line whenever its state or source connection changes
 * and, every progress interval, a progress line such as
 * {@code applied 12345 tx (812.0 tx/s), 40210 rows, in flight 3, lag 0.41 s, source binlog.000002:12345}.
 */
final class ReplicaMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaMonitor.class);
    /** How often state changes are looked for; progress lines come at their own, longer interval. */
    private static final long POLL_MILLIS = 1000;

    private final Replica replica;
    private final long progressIntervalNanos;
    private final ScheduledExecutorService timer;
    // Only the timer thread touches these.
    private String lastCondition;
    private ProgressSample lastProgress;

    private ReplicaMonitor(Replica replica, Duration progressInterval) {
        this.replica = replica;
        this.progressIntervalNanos = progressInterval.toNanos();
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "binrelay-monitor");
            thread.setDaemon(true);
            return thread;
        });
        ReplicaStatus status = replica.status();
        this.lastCondition = condition(status);
        this.lastProgress = ProgressSample.now(status.applier().transactionsApplied());
    }

    /**
     * Starts watching a started replica.
     *
     * @param progressInterval how often to log progress; zero for never
     */
    static ReplicaMonitor start(Replica replica, Duration progressInterval) {
        ReplicaMonitor monitor = new ReplicaMonitor(replica, progressInterval);
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
        return line + String.format(Locale.ROOT, ", %s x%d, parallelism %.2f, independent %d, barriers %d",
                scheduler.scheduler().configName(), scheduler.workers(), scheduler.averageParallelism(),
                scheduler.independent(), scheduler.barriers());
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    private void poll() {
        try {
            ReplicaStatus status = replica.status();
            String condition = condition(status);
            if (!condition.equals(lastCondition)) {
                LOG.info("state {}", condition);
                lastCondition = condition;
            }
            ProgressSample sample = ProgressSample.now(status.applier().transactionsApplied());
            // Half a poll of slack, so that timer jitter does not push a 5 s interval to 6 s.
            if (progressIntervalNanos > 0 && sample.nanoTime() - lastProgress.nanoTime() >= progressIntervalNanos
                    - POLL_MILLIS * 500_000) {
                LOG.info(progressLine(status, sample.ratePerSecondSince(lastProgress)));
                lastProgress = sample;
            }
        } catch (RuntimeException e) {
            // A failed status read must not end the scheduled task: the next poll tries again.
            LOG.warn("reading the replica status failed: {}", e.toString());
        }
    }

    private static String condition(ReplicaStatus status) {
        return status.state() + ", source " + status.source().state().name().toLowerCase(Locale.ROOT) + ", applier "
                + status.applier().state().name().toLowerCase(Locale.ROOT);
    }
}
