package dev.binrelay.engine.pipeline;

import dev.binrelay.engine.event.Transaction;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * What the pipeline and its workers share, in one place so that a worker needs no reference to the pipeline: whether
 * it is closed or paused, the decoded bytes the workers hold, and where a fatal error goes. Thread-safe: the flags
 * are volatile, the byte count atomic.
 */
final class WorkerControl {
    private final Consumer<Throwable> onFatal;
    /** Decoded data handed over and not yet committed, estimated. */
    private final AtomicLong heldBytes = new AtomicLong();
    private volatile boolean closed;
    private volatile boolean paused;

    WorkerControl(Consumer<Throwable> onFatal) {
        this.onFatal = onFatal;
    }

    boolean closed() {
        return closed;
    }

    /** Stops taking transactions for good. */
    void close() {
        closed = true;
    }

    boolean paused() {
        return paused;
    }

    void pause(boolean paused) {
        this.paused = paused;
    }

    /** A worker failed: close at once, on its thread, so that nothing after the failed transaction is applied. */
    void fail(Throwable error) {
        closed = true;
        onFatal.accept(error);
    }

    /** The reader handed this transaction over: its memory counts against the budget. */
    void held(Transaction transaction) {
        heldBytes.addAndGet(transaction.heapBytes());
    }

    /** A worker committed (or dropped) this transaction: its memory no longer counts against the budget. */
    void released(Transaction transaction) {
        heldBytes.addAndGet(-transaction.heapBytes());
    }

    long heldBytes() {
        return heldBytes.get();
    }
}
