package dev.binrelay.engine;

/**
 * Decides which worker applies a transaction. Called on the reader thread, in source order, once per transaction.
 */
interface Scheduler {
    int assign(Transaction transaction);

    /** One worker, one transaction at a time, in source order: the baseline. */
    final class Serial implements Scheduler {
        @Override
        public int assign(Transaction transaction) {
            return 0;
        }
    }
}
