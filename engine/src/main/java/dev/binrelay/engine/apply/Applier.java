package dev.binrelay.engine.apply;

import dev.binrelay.engine.ReplicaException;
import dev.binrelay.engine.SourceInfo;
import dev.binrelay.engine.event.Transaction;
import dev.binrelay.checkpoint.Gtid;
import dev.binrelay.checkpoint.BinlogPosition;
import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.checkpoint.PositionAnchor;
import java.util.List;
import java.util.function.Supplier;

/**
 * Where transactions go: a target database and its checkpoint. The engine calls {@link #open} once before it reads
 * the source, then gives each worker thread its own {@link Worker}.
 *
 * <p>Implementations must record each transaction's checkpoint in the same target transaction as its changes, so
 * that after a crash the set returned by {@link #open} is exactly the set of transactions whose changes are on the
 * target.
 */
public interface Applier extends AutoCloseable {

    /**
     * Connects to the target, prepares the checkpoint store and returns the GTID set already applied.
     *
     * @param source  what the engine learnt about the source
     * @param workers how many workers will apply at once
     * @throws ReplicaException naming the target and the cause when the target cannot be used
     */
    GtidSet open(SourceInfo source, int workers);

    /**
     * Records GTIDs as applied without applying anything (an initial position, or an operator's skip), in one
     * target transaction.
     */
    void markApplied(GtidSet gtids);

    /**
     * Position mode (a source without GTIDs), after {@link #open}: prepares the anchor store and returns every anchor
     * recorded (see {@link dev.binrelay.checkpoint.PositionAnchors}). When there is none yet (a first start), records
     * the origin anchor at {@code start} first. Workers then record, with each transaction whose
     * {@link Transaction#endPosition()} is set, their anchor in the same target transaction.
     *
     * @throws ReplicaException naming the target and the cause
     */
    default List<PositionAnchor> positionAnchors(Supplier<BinlogPosition> start) {
        throw new ReplicaException("this applier cannot replicate by binary log position (source.mode position)");
    }

    /** A worker for one engine thread. Workers are not thread-safe; each is used by one thread. */
    Worker worker(int index);

    /**
     * The schema of this applier's checkpoint on the target: the reader removes its rows and DDL from every
     * transaction, and reads the origin server_id of what binrelay applied from it (see the README, "Two-way
     * replication"); null if the applier keeps no checkpoint in the target's tables. Known after {@link #open}.
     */
    default String checkpointSchema() {
        return null;
    }

    /**
     * The target's {@code @@server_id}, read by {@link #open}: transactions that originated there are echoes, skipped
     * unless {@code source.ignoreServerIds} says otherwise; 0 if unknown.
     */
    default long targetServerId() {
        return 0;
    }

    /** The target's table keys, for the writeset scheduler; null if this applier cannot tell. */
    default KeyCatalog keyCatalog() {
        return null;
    }

    /** Releases the target connections. */
    @Override
    void close();

    /**
     * Applies transactions on one engine thread, in target transactions the engine ends: it may apply several
     * transactions and then {@link #commit} them together.
     */
    interface Worker extends AutoCloseable {
        /**
         * Applies one source transaction and records its checkpoint, in the open target transaction, without
         * committing. A transaction holding a statement (DDL) is applied alone: the engine commits before and after
         * it.
         *
         * @throws ApplyException naming the GTID, the table, the statement kind and the target's error
         */
        void apply(Transaction transaction);

        /**
         * Like {@link #apply}, for a transaction that runs before every transaction ahead of it has committed (parallel
         * apply): it may fail only because it overtook one it depends on that the scheduler did not see. An error
         * {@link TransientErrors#isMissedDependency} accepts must then be thrown, never skipped under an
         * error-skipping policy: the engine rolls back, waits for the earlier transactions and calls {@link #apply}
         * again, where the error, should it persist, is real. An applier that never skips needs nothing more.
         *
         * @throws ApplyException as {@link #apply}
         */
        default void applySpeculatively(Transaction transaction) {
            apply(transaction);
        }

        /**
         * Sends to the target what {@link #apply} left to go with the batch's later transactions (an applier may hold
         * the statements of several transactions to send them in one round trip). The engine calls it before each
         * commit, while it still may replay the batch: an error is thrown as {@link #apply} throws it (naming the
         * transaction), and like {@link #applySpeculatively}'s when something before the batch is still uncommitted
         * (the engine knows which, from when it calls). {@link #commit} sends what is left too. An applier that sends
         * each transaction in {@link #apply} needs nothing more.
         *
         * @throws ApplyException as {@link #apply}
         */
        default void flush() {
        }

        /** Commits every transaction applied since the last commit, with their checkpoints. */
        void commit();

        /**
         * Whether the target has committed this transaction (its checkpoint holds the GTID): asked after a commit
         * whose outcome a lost connection hid.
         *
         * @throws ApplyException when the target cannot be asked (with the error code of the failure)
         */
        boolean isCommitted(Gtid gtid);

        /**
         * Row changes this worker skipped under an error-skipping policy, in committed transactions; read from any
         * thread. An applier that never skips returns 0.
         */
        default long skippedErrors() {
            return 0;
        }

        /** Rolls back every transaction applied since the last commit; never throws for a lost connection. */
        void rollback();

        @Override
        void close();
    }
}
