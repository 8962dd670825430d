package dev.binrelay.engine.assemble;

import dev.binrelay.engine.event.Transaction;

/**
 * Where the {@link TransactionAssembler} hands complete transactions: the apply pipeline in a running replica, a list
 * in a test. Called on the reader thread only, once per transaction, in source order.
 */
public interface TransactionSink {
    /**
     * Takes a transaction; may block while the next stage is full.
     *
     * @throws dev.binrelay.engine.pipeline.PipelineClosedException once the next stage stopped
     */
    void accept(Transaction transaction);

    /**
     * Whether the next stage is stopping: a streamed transaction's reader stops waiting for room. A sink that never
     * stops (a test's list) keeps the default.
     */
    default boolean closed() {
        return false;
    }
}
