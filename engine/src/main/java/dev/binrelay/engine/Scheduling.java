package dev.binrelay.engine;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Places each transaction in the ring: asks the {@link Scheduler} policy for its dependency, turns statements (DDL)
 * and whatever the policy calls a barrier into barriers (everything before committed, nothing after started), and
 * picks the worker. A transaction that depends on the one just before it goes to that one's worker, so that chains
 * run on one worker and can share a commit; independent ones go round-robin.
 *
 * <p>{@link #place} runs on the reader thread only; the counters may be read from any thread.
 */
final class Scheduling {
    /** Returned by a policy for a transaction that must run alone. */
    static final long BARRIER = Long.MIN_VALUE;

    private final Scheduler policy;
    private final SchedulerKind kind;
    private final int workers;
    private long lastBarrier = -1;
    private long lastSequence = -1;
    private int lastWorker;
    private int nextWorker;
    private final AtomicLong scheduled = new AtomicLong();
    private final AtomicLong barriers = new AtomicLong();
    private final AtomicLong independent = new AtomicLong();

    Scheduling(SchedulerKind kind, Scheduler policy, int workers) {
        this.kind = kind;
        this.policy = policy;
        this.workers = workers;
    }

    void place(Transaction transaction, long sequence, TransactionSlot slot) {
        long dependency;
        if (transaction.hasStatement()) {
            dependency = BARRIER;
            if (policy instanceof WritesetScheduler writeset) {
                writeset.schemaChangedAt(sequence);
            } else {
                policy.reset();
            }
        } else {
            dependency = policy.dependency(transaction, sequence);
        }
        if (dependency == BARRIER) {
            barriers.incrementAndGet();
            dependency = sequence - 1;
            lastBarrier = sequence;
        } else {
            dependency = Math.max(dependency, lastBarrier);
        }
        if (dependency < sequence - 1) {
            independent.incrementAndGet();
        }
        int worker;
        if (dependency == sequence - 1 && lastSequence == sequence - 1) {
            worker = lastWorker;
        } else {
            worker = nextWorker;
            nextWorker = (nextWorker + 1) % workers;
        }
        slot.waitFor = dependency;
        slot.worker = worker;
        lastWorker = worker;
        lastSequence = sequence;
        scheduled.incrementAndGet();
    }

    SchedulerKind kind() {
        return kind;
    }

    long scheduled() {
        return scheduled.get();
    }

    long barriers() {
        return barriers.get();
    }

    /** Transactions that did not have to wait for the one just before them: what the policy made parallel. */
    long independent() {
        return independent.get();
    }

    String policyDetail() {
        return policy.describe();
    }
}
