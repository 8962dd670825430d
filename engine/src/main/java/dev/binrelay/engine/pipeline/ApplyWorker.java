package dev.binrelay.engine.pipeline;

import dev.binrelay.engine.ReplicaListener;
import dev.binrelay.engine.WorkerStatus;
import dev.binrelay.engine.apply.Applier;
import dev.binrelay.engine.apply.ApplyException;
import dev.binrelay.engine.apply.TransientErrors;
import dev.binrelay.engine.event.Transaction;
import com.lmax.disruptor.EventHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker: a Disruptor event handler that applies the slots the scheduler gave it and passes over the others.
 *
 * <p>Before a transaction starts, everything it depends on must be committed. Consecutive transactions of this worker
 * (ring sequences without a gap) share one target commit, up to {@code batchSize}, and the commit happens as soon as
 * the run breaks, the ring has nothing more for now, or a dependency would have to be waited for (a worker never
 * waits while holding uncommitted changes, so workers cannot wait on each other's locks). With commit order
 * preserved, a commit waits until every earlier transaction has committed, so the target only ever shows states the
 * source had.
 *
 * <p>A transaction that starts while something before its batch is not yet committed runs speculatively: if it fails
 * with a key or foreign-key error ({@link TransientErrors#isMissedDependency}), it overtook a transaction it depends on
 * that the scheduler did not see. The batch is rolled back, applied again once everything before it committed, and
 * the miss counted; only an error that persists then is real (skipped under {@code applier.skipErrors}, or stopping
 * the replica). Telling the two apart costs one volatile read per transaction.
 *
 * <p>Runs on its processor's thread only; counters are read from any thread.
 */
final class ApplyWorker implements EventHandler<TransactionSlot> {
    private static final Logger LOG = LoggerFactory.getLogger(ApplyWorker.class);
    /** Few spins: on a small machine a spinning worker takes the CPU the target needs to commit what it waits for. */
    private static final int SPINS_BEFORE_PARKING = 20;
    /**
     * The longest a waiting worker sleeps before it looks at a stop, a pause or its deadline again; the commit it
     * waits for wakes it before that ({@link CommitTracker#await}).
     */
    private static final long PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /**
     * How long a worker waits for commit order while holding its locks. The source's clock can call two
     * transactions independent that lock the same row on the target (a transaction may read last_committed just
     * before the one whose lock it waited for is counted as committed); then the earlier one waits for our lock while
     * we wait for it to commit. After this long we roll back, wait without locks, and apply again.
     */
    private static final long COMMIT_ORDER_PATIENCE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /** Pause before retrying after a lost target connection: doubled each time, up to the cap. */
    private static final long FIRST_PAUSE_MILLIS = 200;
    private static final long MAX_PAUSE_MILLIS = 5_000;
    /** How often a paused worker looks whether it may go on: resuming is rare and need not be instant. */
    private static final long PAUSED_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final int index;
    private final Applier.Worker target;
    private final CommitTracker tracker;
    private final ApplyProgress progress;
    private final WorkerControl control;
    private final ReplicaListener listener;
    private final MissedDependencies missed;
    private final boolean preserveCommitOrder;
    private final int batchSize;
    private final int retries;
    private final List<Transaction> batch = new ArrayList<>();
    private long batchFirst = -1;
    private long batchLast = -1;

    private volatile long transactions;
    private volatile long rows;
    private volatile long commits;
    private volatile long busyNanos;
    private volatile long dependencyWaitNanos;
    private volatile long commitOrderWaitNanos;
    private volatile long replays;
    private volatile long dependencyMisses;
    private volatile String lastGtid = "";
    private volatile String lastError = "";
    /** In {@link #onEvent} and not resting for a pause: it may apply something. Read by {@link ApplyPipeline#pause}. */
    private volatile boolean busy;

    ApplyWorker(int index, Applier.Worker target, CommitTracker tracker, ApplyProgress progress, WorkerControl control,
                ReplicaListener listener, MissedDependencies missed, boolean preserveCommitOrder, int batchSize,
                int retries) {
        this.index = index;
        this.target = target;
        this.tracker = tracker;
        this.progress = progress;
        this.control = control;
        this.listener = listener;
        this.missed = missed;
        this.preserveCommitOrder = preserveCommitOrder;
        this.batchSize = batchSize;
        this.retries = retries;
    }

    @Override
    public void onEvent(TransactionSlot slot, long sequence, boolean endOfBatch) {
        // Written before the pause flag is read, while pause() writes the flag before reading this: one of the two
        // sees the other, so pause() never returns while this worker goes on to apply.
        busy = true;
        try {
            handle(slot, sequence, endOfBatch);
        } finally {
            busy = false;
        }
    }

    private void handle(TransactionSlot slot, long sequence, boolean endOfBatch) {
        if (control.closed()) {
            finishOnStop();
            return;
        }
        try {
            if (control.paused()) {
                if (!batch.isEmpty()) {
                    commitBatch(); // commits the run we hold, or rolls it back and waits to apply it again
                }
                awaitResumed();
            }
            if (slot.worker != index) {
                if (!batch.isEmpty()) {
                    commitBatch(); // our run of consecutive sequences ends here
                }
                return;
            }
            Transaction transaction = slot.transaction;
            if (!batch.isEmpty() && !canJoinBatch(transaction, sequence, slot.waitFor)) {
                commitBatch();
            }
            if (batch.isEmpty()) {
                long start = System.nanoTime();
                awaitCommittedThrough(slot.waitFor);
                dependencyWaitNanos += System.nanoTime() - start;
                batchFirst = sequence;
            }
            batch.add(transaction);
            batchLast = sequence;
            slot.transaction = null;
            if (transaction.streamed()) {
                applyStreamed(transaction);
                return;
            }
            applyReplayingConflicts(transaction);
            if (endOfBatch || batch.size() >= batchSize || transaction.hasStatement()) {
                commitBatch();
            }
        } catch (PipelineClosedException stopping) {
            rollbackBatch();
        } catch (RuntimeException e) {
            lastError = String.valueOf(e.getMessage());
            rollbackBatch();
            control.fail(e);
        }
    }

    @Override
    public void onShutdown() {
        rollbackBatch();
        target.close();
    }

    WorkerStatus status() {
        return new WorkerStatus(index, transactions, rows, commits, replays, dependencyMisses, target.skippedErrors(),
                TimeUnit.NANOSECONDS.toMillis(busyNanos), TimeUnit.NANOSECONDS.toMillis(dependencyWaitNanos),
                TimeUnit.NANOSECONDS.toMillis(commitOrderWaitNanos),
                lastGtid, lastError);
    }

    long busyNanos() {
        return busyNanos;
    }

    /** Whether it may be applying (false while idle or resting for a pause). */
    boolean busy() {
        return busy;
    }

    /**
     * A transaction joins the open batch only if it follows it without a gap, the batch has room, it is not DDL, and
     * what it depends on is committed or is in the batch itself (applied earlier on the same connection).
     */
    private boolean canJoinBatch(Transaction transaction, long sequence, long waitFor) {
        if (sequence != batchLast + 1 || batch.size() >= batchSize || transaction.hasStatement()
                || transaction.streamed()) {
            return false;
        }
        return tracker.isCommittedThrough(waitFor >= batchFirst ? batchFirst - 1 : waitFor);
    }

    private void commitBatch() {
        flushReplayingConflicts();
        if (preserveCommitOrder) {
            long start = System.nanoTime();
            if (!awaitCommittedThrough(batchFirst - 1, start + COMMIT_ORDER_PATIENCE_NANOS)) {
                // Releases our locks while we wait (see COMMIT_ORDER_PATIENCE_NANOS), or while paused: the run is
                // applied again once the earlier transactions committed and the applier runs.
                replayBatch(null);
            }
            commitOrderWaitNanos += System.nanoTime() - start;
        }
        long start = System.nanoTime();
        commitRetrying();
        busyNanos += System.nanoTime() - start;
        batchCommitted();
    }

    /**
     * Commits the batch. When the connection is lost during the commit, its outcome is unknown: once the target answers
     * again, its checkpoint says whether the batch's last transaction (and so, the commit being atomic, the whole
     * batch) committed; if not, the batch is applied again and committed.
     */
    private void commitRetrying() {
        ApplyException failure;
        try {
            target.commit();
            return;
        } catch (ApplyException e) {
            failure = e;
        }
        for (int attempt = 1; ; attempt++) {
            retryOrGiveUp(failure, attempt);
            try {
                Transaction last = lastRecordedAtCommit();
                if (TransientErrors.isConnectionLost(failure.targetErrorCode()) && target.isCommitted(last.gtid())) {
                    LOG.info("worker {}: the commit of {} transaction(s) through {} took effect before the connection "
                            + "was lost", index, batch.size(), last.label());
                    return;
                }
                reapplyBatch(failure);
                target.commit();
                return;
            } catch (ApplyException e) {
                failure = e;
            }
        }
    }

    /**
     * The batch's last transaction whose GTID this commit writes: an echo's is written only with a later change (see
     * {@link Transaction#echo}), so asking about a trailing echo would take a commit that took effect for one that
     * did not, and apply the batch twice.
     */
    private Transaction lastRecordedAtCommit() {
        for (int i = batch.size() - 1; i > 0; i--) {
            Transaction transaction = batch.get(i);
            if (!transaction.echo() || transaction.hasStatement()) {
                return transaction;
            }
        }
        return batch.get(0);
    }

    /**
     * Applies a streamed transaction, alone (it is a barrier: everything before it committed, nothing after it
     * started), and commits it. It cannot be replayed, since its changes were read once; with nothing else running,
     * only another session on the target can conflict with it, and that error stops the replica. If the reader
     * abandoned it (source connection lost), nothing of it is kept and its ring slot is passed: the reader hands it
     * on again, whole or streamed, under a new sequence.
     */
    private void applyStreamed(Transaction transaction) {
        long start = System.nanoTime();
        try {
            target.apply(transaction);
        } catch (RuntimeException e) {
            if (control.closed() && !transaction.abandoned()) {
                throw new PipelineClosedException(); // stopping while its rows were still arriving: roll back
            }
            if (!transaction.abandoned()) {
                throw e;
            }
            rollbackBatch();
            control.released(transaction);
            tracker.markCommitted(batchFirst);
            LOG.info("worker {}: transaction {} rolled back: the source connection was lost before its end; it is "
                    + "read again", index, transaction.label());
            return;
        } finally {
            busyNanos += System.nanoTime() - start;
        }
        commitBatch();
    }

    /** Reports the batch's transactions as committed, in order, tells the listeners, and empties it. */
    private void batchCommitted() {
        commits++;
        long sequence = batchFirst;
        for (Transaction transaction : batch) {
            tracker.markCommitted(sequence++);
            control.released(transaction);
            progress.applied(index, transaction);
            transactions++;
            rows += transaction.rowCount();
            lastGtid = transaction.gtid().toString();
        }
        progress.committed(batch.size());
        for (Transaction transaction : batch) {
            listener.applied(transaction);
        }
        batch.clear();
    }

    /** On a graceful stop: commit what may be committed without waiting for anyone, roll back the rest. */
    private void finishOnStop() {
        if (batch.isEmpty()) {
            return;
        }
        if (!preserveCommitOrder || tracker.isCommittedThrough(batchFirst - 1)) {
            try {
                target.commit();
                batchCommitted();
                return;
            } catch (RuntimeException e) {
                // Not committed: the batch is read and applied again after the restart.
                lastError = String.valueOf(e.getMessage());
                LOG.warn("worker {}: committing its last {} transaction(s) while stopping failed, rolled back: {}",
                        index, batch.size(), e.getMessage());
            }
        }
        rollbackBatch();
    }

    private void rollbackBatch() {
        if (!batch.isEmpty()) {
            batch.clear();
        }
        try {
            target.rollback();
        } catch (RuntimeException e) {
            // Nothing of the batch was committed either way; the applier drops the connection.
            LOG.debug("worker {}: rollback failed: {}", index, e.toString());
        }
    }

    /**
     * Applies a transaction of the open batch. A deadlock or lock wait timeout (a conflict the scheduler could not
     * see), or in a speculative run a key or foreign-key error (a dependency it did not see), rolls the batch back,
     * waits until every earlier transaction committed, and applies the batch again.
     */
    private void applyReplayingConflicts(Transaction transaction) {
        long start = System.nanoTime();
        // The batch's own earlier transactions are on this connection: only what precedes the batch can be missing.
        boolean speculative = !tracker.isCommittedThrough(batchFirst - 1);
        try {
            if (speculative) {
                target.applySpeculatively(transaction);
            } else {
                target.apply(transaction);
            }
        } catch (ApplyException e) {
            replayConflict(e, speculative);
        } finally {
            busyNanos += System.nanoTime() - start;
        }
    }

    /**
     * Sends what the applier holds of the batch ({@link Applier.Worker#flush}) before it commits; its errors are
     * handled as {@link #applyReplayingConflicts} handles a transaction's, speculative if something before the batch
     * is uncommitted now, when the statements run.
     */
    private void flushReplayingConflicts() {
        long start = System.nanoTime();
        boolean speculative = !tracker.isCommittedThrough(batchFirst - 1);
        try {
            target.flush();
        } catch (ApplyException e) {
            replayConflict(e, speculative);
        } finally {
            busyNanos += System.nanoTime() - start;
        }
    }

    /**
     * A batch's transaction failed with {@code e}: replays the batch if it may be a conflict; else throws, after
     * naming the failing transaction if {@code e} may be any of several sent together ({@link #applyEachAlone}).
     */
    private void replayConflict(ApplyException e, boolean speculative) {
        if (speculative && TransientErrors.isMissedDependency(e.targetErrorCode())) {
            replayMissedDependency(e);
        } else if (TransientErrors.isTransient(e.targetErrorCode())) {
            replayBatch(e);
        } else if (batch.size() > 1) {
            applyEachAlone();
        } else {
            throw e;
        }
    }

    /**
     * Flushes the batch applied again; a lasting error that may be any of several transactions' is named
     * ({@link #applyEachAlone}).
     */
    private void flushNamingFailure() {
        try {
            target.flush();
        } catch (ApplyException e) {
            if (batch.size() < 2 || TransientErrors.isTransient(e.targetErrorCode())) {
                throw e;
            }
            applyEachAlone();
        }
    }

    /**
     * The batch failed with an error that is not a conflict, found when statements of several of its transactions
     * went to the target together (the target does not say whose statement failed): rolled back and applied again,
     * once everything before it committed, sending each transaction alone, so that the error, if it comes again,
     * names the transaction it belongs to (what an operator would skip); an error that does not come again was
     * passing, and the batch goes on to its commit.
     */
    private void applyEachAlone() {
        replays++;
        target.rollback();
        awaitCommittedThrough(batchFirst - 1);
        try {
            for (Transaction transaction : batch) {
                target.apply(transaction);
                target.flush();
            }
        } catch (ApplyException e) {
            if (!TransientErrors.isTransient(e.targetErrorCode())) {
                throw e;
            }
            replayBatch(e); // a conflict with another worker meanwhile, retried as any
        }
    }

    /**
     * After a speculative run failed with {@code miss}: applies the batch again once everything before it committed,
     * no longer speculatively, so that an error now is real; a conflict meanwhile is replayed as usual.
     */
    private void replayMissedDependency(ApplyException miss) {
        dependencyMisses++; // written by this worker's thread only
        missed.record(index, miss);
        try {
            reapply(miss);
        } catch (ApplyException e) {
            if (!TransientErrors.isTransient(e.targetErrorCode())) {
                throw e;
            }
            replayBatch(e);
        }
    }

    /**
     * Applies the batch again after {@code cause} (null when commit order waited too long or a pause came), retrying
     * transient errors up to {@code applier.retries} times.
     */
    private void replayBatch(ApplyException cause) {
        ApplyException failure = cause;
        for (int attempt = 1; ; attempt++) {
            if (failure != null) {
                retryOrGiveUp(failure, attempt);
            }
            try {
                reapplyBatch(failure);
                return;
            } catch (ApplyException e) {
                if (!TransientErrors.isTransient(e.targetErrorCode())) {
                    throw e;
                }
                failure = e;
            }
        }
    }

    /** Counts a replay, then {@link #reapply}. */
    private void reapplyBatch(ApplyException cause) {
        replays++;
        reapply(cause);
    }

    /** Rolls the batch back, waits without holding locks until every earlier transaction committed, applies it again. */
    private void reapply(ApplyException cause) {
        for (Transaction transaction : batch) {
            if (transaction.streamed()) {
                // Its rows were read once and are gone; a restart reads it from the source again.
                throw new ApplyException("GTID " + transaction.label() + ": a streamed transaction (larger than "
                        + "applier.largeTransactionBytes) cannot be applied again after: "
                        + (cause == null ? "a commit-order timeout" : cause.getMessage()),
                        transaction.label(), cause == null ? "" : cause.table(),
                        cause == null ? 0 : cause.targetErrorCode(), cause);
            }
        }
        target.rollback();
        awaitCommittedThrough(batchFirst - 1);
        for (Transaction transaction : batch) {
            target.apply(transaction);
        }
        flushNamingFailure(); // its errors are the replay's: nothing of it runs speculatively now
    }

    /**
     * Gives up after {@code applier.retries} attempts; otherwise logs the retry and, after a lost connection, pauses
     * (doubling, capped) so that a restarting target is not hammered. Conflicts need no pause: the replay waits for the
     * earlier transactions they conflicted with.
     */
    private void retryOrGiveUp(ApplyException failure, int attempt) {
        if (!TransientErrors.isTransient(failure.targetErrorCode()) || attempt > retries) {
            throw new ApplyException(failure.getMessage() + (attempt > 1 ? " (gave up after " + (attempt - 1)
                    + " retries, applier.retries)" : ""), failure.gtid(), failure.table(), failure.targetErrorCode(),
                    failure);
        }
        if (!TransientErrors.isConnectionLost(failure.targetErrorCode())) {
            LOG.debug("worker {}: retry {} of {} after a conflict: {}", index, attempt, retries, failure.getMessage());
            return;
        }
        long pause = Math.min(MAX_PAUSE_MILLIS, FIRST_PAUSE_MILLIS << Math.min(attempt - 1, 16));
        LOG.warn("worker {}: {}; retry {} of {} in {} ms", index, failure.getMessage(), attempt, retries, pause);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pause);
        while (System.nanoTime() < deadline) {
            if (control.closed()) {
                throw new PipelineClosedException();
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    /**
     * Waits, holding no uncommitted changes, until {@code sequence} is committed and the pipeline is not paused: what
     * comes next is applied only once the applier runs.
     */
    private void awaitCommittedThrough(long sequence) {
        while (!awaitCommittedThrough(sequence, Long.MAX_VALUE) || control.paused()) {
            awaitResumed();
        }
    }

    /**
     * Waits until {@code sequence} is committed; returns false if {@code deadlineNanos} came first or a pause was asked
     * for (the caller then lets go of the changes it holds).
     */
    private boolean awaitCommittedThrough(long sequence, long deadlineNanos) {
        int spins = 0;
        while (!tracker.isCommittedThrough(sequence)) {
            if (control.closed()) {
                throw new PipelineClosedException();
            }
            if (control.paused()) {
                return false;
            }
            if (spins++ < SPINS_BEFORE_PARKING) {
                Thread.onSpinWait();
            } else {
                long now = System.nanoTime();
                if (now - deadlineNanos > 0) {
                    return false;
                }
                tracker.await(sequence, Math.min(PARK_NANOS, deadlineNanos - now));
            }
        }
        return true;
    }

    /** Rests, holding nothing, while the pipeline is paused. */
    private void awaitResumed() {
        if (!control.paused()) {
            return;
        }
        busy = false;
        try {
            while (control.paused()) {
                if (control.closed()) {
                    throw new PipelineClosedException();
                }
                LockSupport.parkNanos(PAUSED_PARK_NANOS);
            }
        } finally {
            busy = true;
        }
    }
}
