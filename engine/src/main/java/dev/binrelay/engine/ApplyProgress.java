package dev.binrelay.engine;

import dev.binrelay.checkpoint.GtidSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the workers have applied: counts, the applied GTID set and the lag of the last applied transaction.
 * Workers update it after each commit; any thread reads it.
 */
final class ApplyProgress {
    private final LongAdder transactions = new LongAdder();
    private final LongAdder rows = new LongAdder();
    private final AtomicReference<GtidSet> applied;
    private volatile long lastOriginalCommitMicros;
    private volatile long lastAppliedMicros;
    private volatile String lastGtid = "";

    ApplyProgress(GtidSet appliedAtStart) {
        this.applied = new AtomicReference<>(appliedAtStart);
    }

    void applied(Transaction transaction) {
        transactions.increment();
        rows.add(transaction.rowCount());
        applied.updateAndGet(set -> set.add(transaction.gtid()));
        lastOriginalCommitMicros = transaction.originalCommitMicros();
        lastAppliedMicros = System.currentTimeMillis() * 1000;
        lastGtid = transaction.gtid().toString();
    }

    long transactions() {
        return transactions.sum();
    }

    long rows() {
        return rows.sum();
    }

    GtidSet appliedGtids() {
        return applied.get();
    }

    String lastGtid() {
        return lastGtid;
    }

    /** Seconds between the source's commit and ours, for the last transaction applied. */
    double lastLagSeconds() {
        long original = lastOriginalCommitMicros;
        if (original == 0) {
            return 0;
        }
        return Math.max(0, lastAppliedMicros - original) / 1_000_000.0;
    }
}
