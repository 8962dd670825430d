package dev.binrelay.engine;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Which ring sequences are committed on the target, as a low-water mark: {@link #committedThrough()} is the highest
 * sequence S such that every sequence up to S is committed (or was never to be applied). Workers report each
 * commit with {@link #markCommitted}; whichever worker fills the gap advances the mark.
 *
 * <p>Thread-safe and lock-free. Marks are kept in an array the size of the ring: a sequence can be marked only while
 * its slot is not yet reused, which the ring's gating guarantees.
 */
final class CommitTracker {
    private final AtomicLongArray committed;
    private final int mask;
    private final AtomicLong watermark;

    CommitTracker(int ringSize, long startBefore) {
        this.committed = new AtomicLongArray(ringSize);
        for (int i = 0; i < ringSize; i++) {
            committed.set(i, Long.MIN_VALUE);
        }
        this.mask = ringSize - 1;
        this.watermark = new AtomicLong(startBefore);
    }

    /** Every sequence up to this one is committed. */
    long committedThrough() {
        return watermark.get();
    }

    /** Whether {@code sequence} and everything before it is committed. */
    boolean isCommittedThrough(long sequence) {
        return watermark.get() >= sequence;
    }

    void markCommitted(long sequence) {
        committed.set((int) (sequence & mask), sequence);
        // Advance over every contiguous committed sequence. A racing marker either sees our mark or we see theirs,
        // because each writes its mark before reading the watermark.
        while (true) {
            long current = watermark.get();
            long next = current + 1;
            if (committed.get((int) (next & mask)) != next) {
                return;
            }
            watermark.compareAndSet(current, next);
        }
    }
}
