package dev.binrelay.engine.assemble;

/**
 * A streamed transaction's reader lost the source before the transaction ended: the worker rolls back what it
 * applied of it; the transaction is read again from the source.
 */
public final class TransactionAbandonedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TransactionAbandonedException() {
        super("the source connection was lost in the middle of a streamed transaction", null, false, false);
    }
}
