package dev.binrelay.engine.pipeline;

import com.lmax.disruptor.Sequence;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Which ring sequences are committed on the target, as a low-water mark: {@link #committedThrough()} is the highest
 * sequence S such that every sequence up to S is committed (or was never to be applied). Workers report each
 * commit with {@link #markCommitted}; whichever worker fills the gap advances the mark.
 *
 * <p>Thread-safe and lock-free. Marks are kept in an array the size of the ring. The mark is also a gating
 * {@link Sequence} of the ring ({@link #gate()}): the producer never reuses the slot of a transaction that is applied
 * but not yet committed (a worker's processor passes a slot when it applied it, which with shared commits and relaxed
 * order can be long before it committed), so no two live sequences ever share an array entry.
 */
public final class CommitTracker {
    private final AtomicLongArray committed;
    private final int mask;
    private final Sequence watermark;

    public CommitTracker(int ringSize, long startBefore) {
        this.committed = new AtomicLongArray(ringSize);
        for (int i = 0; i < ringSize; i++) {
            committed.set(i, Long.MIN_VALUE);
        }
        this.mask = ringSize - 1;
        this.watermark = new Sequence(startBefore);
    }

    /** The low-water mark as a ring gating sequence. */
    Sequence gate() {
        return watermark;
    }

    /** Every sequence up to this one is committed. */
    public long committedThrough() {
        return watermark.get();
    }

    /** Whether {@code sequence} and everything before it is committed. */
    boolean isCommittedThrough(long sequence) {
        return watermark.get() >= sequence;
    }

    public void markCommitted(long sequence) {
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
