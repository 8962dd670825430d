package dev.binrelay.engine.pipeline;

import com.lmax.disruptor.Sequence;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Which ring sequences are committed on the target, as a low-water mark: {@link #committedThrough()} is the highest
 * sequence S such that every sequence up to S is committed (or was never to be applied). Workers report each
 * commit with {@link #markCommitted}; whichever worker fills the gap advances the mark.
 *
 * <p>Threads wait for the mark with {@link #await}: the commit that moves it far enough wakes them.
 *
 * <p>Thread-safe and lock-free. Marks are kept in an array the size of the ring. The mark is also a gating
 * {@link Sequence} of the ring ({@link #gate()}): the producer never reuses the slot of a transaction that is applied
 * but not yet committed (a worker's processor passes a slot when it applied it, which with shared commits and relaxed
 * order can be long before it committed), so no two live sequences ever share an array entry.
 */
public final class CommitTracker {
    /** Threads that can wait at once: the workers, the reader and a few others (more only poll). */
    static final int WAITER_SLOTS = 128;

    private final AtomicLongArray committed;
    private final int mask;
    private final Sequence watermark;
    /**
     * Threads parked in {@link #await} and the sequence each waits for: the commit that moves the mark there wakes
     * them, so that a waiting thread costs nothing until then (polling on a small machine takes the CPU the target
     * needs to commit what is waited for).
     */
    private final AtomicReferenceArray<Thread> waiters = new AtomicReferenceArray<>(WAITER_SLOTS);
    private final AtomicLongArray waitingFor = new AtomicLongArray(WAITER_SLOTS);
    /** One more than the highest slot ever taken: commits look no further. */
    private final AtomicInteger slotsInUse = new AtomicInteger();

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
        boolean advanced = false;
        while (true) {
            long current = watermark.get();
            long next = current + 1;
            if (committed.get((int) (next & mask)) != next) {
                break;
            }
            advanced |= watermark.compareAndSet(current, next);
        }
        if (advanced) {
            wakeWaiters(watermark.get());
        }
    }

    /**
     * Parks the calling thread until {@code sequence} is committed through, for at most {@code timeoutNanos}; it may
     * also return earlier (the caller checks again, and whatever else it waits on). A waiter writes what it waits
     * for and then reads the mark, a commit moves the mark and then reads what is waited for: one of the two sees
     * the other, so no wake-up is lost.
     */
    public void await(long sequence, long timeoutNanos) {
        if (isCommittedThrough(sequence)) {
            return;
        }
        Thread self = Thread.currentThread();
        int slot = -1;
        for (int i = 0; i < WAITER_SLOTS && slot < 0; i++) {
            if (waiters.get(i) == null && waiters.compareAndSet(i, null, self)) {
                slot = i;
            }
        }
        if (slot < 0) {
            LockSupport.parkNanos(this, timeoutNanos); // every slot taken: poll
            return;
        }
        slotsInUse.accumulateAndGet(slot + 1, Math::max);
        try {
            waitingFor.set(slot, sequence);
            // The mark's read must not move before that write (the Disruptor's Sequence.get is an acquire read).
            VarHandle.fullFence();
            if (!isCommittedThrough(sequence)) {
                LockSupport.parkNanos(this, timeoutNanos);
            }
        } finally {
            waiters.compareAndSet(slot, self, null); // unless the commit that woke us took it already
        }
    }

    private void wakeWaiters(long mark) {
        int slots = slotsInUse.get();
        for (int i = 0; i < slots; i++) {
            Thread waiter = waiters.get(i);
            // Taking the slot wakes each waiter once, however many commits pass before it runs.
            if (waiter != null && waitingFor.get(i) <= mark && waiters.compareAndSet(i, waiter, null)) {
                LockSupport.unpark(waiter);
            }
        }
    }
}
