package dev.binrelay.engine.pipeline;

import dev.binrelay.engine.event.Transaction;
import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.checkpoint.PositionAnchor;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the workers have applied: counts, the applied GTID set, the recent rate and the last transaction. Workers
 * update it after each commit; any thread reads it, and {@link #awaitApplied} waits on it.
 */
public final class ApplyProgress {
    private final LongAdder transactions = new LongAdder();
    private final LongAdder rows = new LongAdder();
    private final AtomicReference<GtidSet> applied;
    private final ApplyRate rate = new ApplyRate(System.nanoTime());
    /** Threads in {@link #awaitApplied}: commits notify only when someone waits. */
    private final AtomicInteger waiters = new AtomicInteger();
    private volatile String lastGtid = "";
    /** Position mode's anchors; null when replicating by GTID. */
    private final AppliedPositions positions;

    /** Progress when replicating by GTID. */
    public ApplyProgress(GtidSet appliedAtStart) {
        this(appliedAtStart, null);
    }

    /** @param positions position mode's anchors, null when replicating by GTID */
    public ApplyProgress(GtidSet appliedAtStart, AppliedPositions positions) {
        this.applied = new AtomicReference<>(appliedAtStart);
        this.positions = positions;
    }

    /** Worker {@code worker} committed {@code transaction}. */
    void applied(int worker, Transaction transaction) {
        transactions.increment();
        rows.add(transaction.rowCount());
        applied.updateAndGet(set -> set.add(transaction.gtid()));
        lastGtid = transaction.gtid().toString();
        if (positions != null) {
            positions.committed(worker, transaction);
        }
    }

    /**
     * Position mode: where a restart would read from ({@code file:pos}, the end of the newest transaction every
     * earlier one of which is applied too); null when replicating by GTID.
     */
    public String appliedPosition() {
        PositionAnchor anchor = positions == null ? null : positions.resumeFrom(appliedGtids());
        return anchor == null ? null : anchor.end().toString();
    }

    /** A target commit of {@code count} transactions, each already reported to {@link #applied}. */
    void committed(int count) {
        rate.add(count, System.nanoTime());
        if (waiters.get() > 0) {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    /**
     * Waits until {@code gtids} are applied or {@code timeout} passed (returns early now and then, so that the caller
     * can look at the replica's state); returns whether they are applied.
     */
    public boolean awaitApplied(GtidSet gtids, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        waiters.incrementAndGet();
        try {
            synchronized (this) {
                while (!appliedGtids().containsAll(gtids)) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                }
                return true;
            }
        } finally {
            waiters.decrementAndGet();
        }
    }

    public long transactions() {
        return transactions.sum();
    }

    public long rows() {
        return rows.sum();
    }

    public GtidSet appliedGtids() {
        return applied.get();
    }

    public String lastGtid() {
        return lastGtid;
    }

    /** Transactions committed per second, recently (see {@link ApplyRate}). */
    public double transactionsPerSecond() {
        return rate.perSecond(System.nanoTime());
    }
}
