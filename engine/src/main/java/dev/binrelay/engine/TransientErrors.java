package dev.binrelay.engine;

/**
 * The one place that decides which target errors are worth applying a transaction again for: conflicts with another
 * session that a replay after the conflicting work committed resolves. Everything else stops the replica.
 */
final class TransientErrors {
    /** ER_LOCK_DEADLOCK: InnoDB chose this transaction as a deadlock victim. */
    static final int DEADLOCK = 1213;
    /** ER_LOCK_WAIT_TIMEOUT: another session held a lock too long. */
    static final int LOCK_WAIT_TIMEOUT = 1205;

    private TransientErrors() {
    }

    static boolean isTransient(int targetErrorCode) {
        return targetErrorCode == DEADLOCK || targetErrorCode == LOCK_WAIT_TIMEOUT;
    }
}
