package dev.binrelay.engine;

import java.util.Set;

/**
 * The one place that decides which target errors are worth applying a transaction again for: conflicts with another
 * session (a replay after the conflicting work committed resolves them) and a lost or refused target connection (a
 * new connection, after a pause, resolves it). Everything else stops the replica. Public so that an applier's own
 * target reads (table shapes, keys) retry what the workers retry.
 */
public final class TransientErrors {
    /** ER_LOCK_DEADLOCK: InnoDB chose this transaction as a deadlock victim. */
    static final int DEADLOCK = 1213;
    /** ER_LOCK_WAIT_TIMEOUT: another session held a lock too long. */
    static final int LOCK_WAIT_TIMEOUT = 1205;
    /**
     * The connection is gone or could not be made: server shutdown (1053), too many connections (1040), connection or
     * session killed (1927, 3169, 1317), disconnected for inactivity (4031), and the client's own codes for a lost,
     * gone or refused server (2013, 2006, 2003; the applier reports a driver communication failure as 2013).
     */
    private static final Set<Integer> CONNECTION_LOST = Set.of(1040, 1053, 1317, 1927, 2003, 2006, 2013, 3169, 4031);

    private TransientErrors() {
    }

    static boolean isTransient(int targetErrorCode) {
        return isConflict(targetErrorCode) || isConnectionLost(targetErrorCode);
    }

    static boolean isConflict(int targetErrorCode) {
        return targetErrorCode == DEADLOCK || targetErrorCode == LOCK_WAIT_TIMEOUT;
    }

    /** Whether the target connection was lost: a commit in flight may or may not have taken effect. */
    public static boolean isConnectionLost(int targetErrorCode) {
        return CONNECTION_LOST.contains(targetErrorCode);
    }
}
