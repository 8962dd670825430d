package dev.binrelay.engine.schedule;

import dev.binrelay.engine.SchedulerKind;
import dev.binrelay.engine.event.Transaction;
import dev.binrelay.engine.pipeline.TransactionSlot;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Places each transaction in the ring: asks the {@link Scheduler} policy for its dependency, turns statements (DDL)
 * and whatever the policy calls a barrier into barriers (everything before committed, nothing after started), and
 * picks the worker. Workers take runs of up to {@code runLength} consecutive transactions in turn, so that each
 * worker can commit its run at once (a commit per transaction would cost more than parallelism gains on a small
 * machine). Streamed transactions (too large to hold, their rows still arriving) are barriers too. A run that is
 * full goes on only with a transaction that depends on the one just before it (a chain: elsewhere it could not start
 * before the run committed); any other transaction starts the next worker's run. Waiting for the last barrier does
 * not count as a dependency: the barrier's worker commits it on its own, at once.
 *
 * <p>{@link #place} runs on the reader thread only; the counters may be read from any thread.
 */
public final class Scheduling {
    /** Returned by a policy for a transaction that must run alone. */
    static final long BARRIER = Long.MIN_VALUE;

    private final Scheduler policy;
    private final SchedulerKind kind;
    private final int workers;
    private final int runLength;
    private int run;
    private long runStart = Long.MIN_VALUE;
    private long lastBarrier = -1;
    private long lastSequence = Long.MIN_VALUE;
    private int lastWorker = -1;
    private final AtomicLong scheduled = new AtomicLong();
    private final AtomicLong barriers = new AtomicLong();
    private final AtomicLong independent = new AtomicLong();
    private final AtomicLong streamed = new AtomicLong();

    public Scheduling(SchedulerKind kind, Scheduler policy, int workers, int runLength) {
        this.kind = kind;
        this.policy = policy;
        this.workers = workers;
        this.runLength = runLength;
    }

    public void place(Transaction transaction, long sequence, TransactionSlot slot) {
        long dependency;
        if (transaction.hasStatement()) {
            dependency = BARRIER;
            policy.schemaChangedAt(sequence);
        } else if (transaction.streamed()) {
            dependency = BARRIER; // its rows are not known yet: no policy can place it
            streamed.incrementAndGet();
        } else {
            dependency = policy.dependency(transaction, sequence);
        }
        // What the policy saw decides the worker; the last barrier only delays the start. Every later transaction
        // waits for that barrier, so counting it would keep every one of them in the barrier's run, on one worker.
        long ownDependency;
        if (dependency == BARRIER) {
            barriers.incrementAndGet();
            dependency = sequence - 1;
            ownDependency = dependency;
            lastBarrier = sequence;
        } else {
            ownDependency = dependency;
            dependency = Math.max(dependency, lastBarrier);
        }
        if (dependency < sequence - 1) {
            independent.incrementAndGet();
        }
        int worker;
        boolean follows = lastSequence == sequence - 1;
        // A full run goes on only for a transaction that needs the one just before it: elsewhere that would start
        // after the run's commit anyway. One that needs an earlier transaction of the run goes to the next worker
        // and starts when the run has committed: kept here, every later transaction naming the same early one (a
        // source commit group, a schema seen before) would join the run, and the run would never end.
        if (follows && (run < runLength || ownDependency == sequence - 1)) {
            worker = lastWorker;
            run++;
        } else {
            worker = (lastWorker + 1) % workers;
            run = 1;
            runStart = sequence;
        }
        slot.waitFor = dependency;
        slot.worker = worker;
        lastWorker = worker;
        lastSequence = sequence;
        scheduled.incrementAndGet();
    }

    public SchedulerKind kind() {
        return kind;
    }

    public long scheduled() {
        return scheduled.get();
    }

    public long streamed() {
        return streamed.get();
    }

    public long barriers() {
        return barriers.get();
    }

    /** Transactions that did not have to wait for the one just before them: what the policy made parallel. */
    public long independent() {
        return independent.get();
    }

    public String policyDetail() {
        return policy.describe();
    }
}
