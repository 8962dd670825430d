package dev.binrelay.engine;

import dev.binrelay.checkpoint.GtidSet;

/**
 * Where transactions go: a target database and its checkpoint. The engine calls {@link #open} once before it reads
 * the source, then hands each transaction to one {@link Worker}.
 *
 * <p>Implementations must apply each transaction atomically together with its checkpoint, so that after a crash the
 * set returned by {@link #open} is exactly the set of transactions whose changes are on the target.
 */
public interface Applier extends AutoCloseable {

    /**
     * Connects to the target, prepares the checkpoint store and returns the GTID set already applied.
     *
     * @param source what the engine learnt about the source (for session context)
     * @throws ReplicaException naming the target and the cause when the target cannot be used
     */
    GtidSet open(SourceInfo source);

    /**
     * Records GTIDs as applied without applying anything (an initial position, or an operator's skip), in one
     * target transaction.
     */
    void markApplied(GtidSet gtids);

    /** A worker for one engine thread. Workers are not thread-safe; each is used by one thread at a time. */
    Worker worker(int index);

    /** Releases the target connections. */
    @Override
    void close();

    /** Applies transactions on one engine thread. */
    interface Worker extends AutoCloseable {
        /**
         * Applies one source transaction and its checkpoint in one target transaction and commits it; on any failure
         * rolls back and throws, leaving nothing of it on the target.
         *
         * @throws ApplyException naming the GTID, the table, the statement kind and the target's error
         */
        void apply(Transaction transaction);

        @Override
        void close();
    }
}
