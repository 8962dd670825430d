package dev.binrelay.engine.apply;

import java.util.Set;

/**
 * The one place that decides which target errors are worth applying a transaction again for: conflicts with another
 * session (a replay after the conflicting work committed resolves them), a lost or refused target connection (a
 * new connection, after a pause, resolves it) and, for a transaction that ran before everything ahead of it had
 * committed, a key or foreign-key error (a dependency the scheduler missed: applying it again after its predecessors
 * resolves it, or shows that the error is real). Everything else stops the replica. Public so that an applier's own
 * target reads (table shapes, keys) retry what the workers retry, and its error-skipping policy spares what a replay
 * may resolve.
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

    /**
     * What a transaction meets when it overtook one it depends on: a duplicate key (ER_DUP_ENTRY 1062,
     * ER_DUP_ENTRY_WITH_KEY_NAME 1586), no row matching the before image (ER_KEY_NOT_FOUND 1032, which the applier
     * reports for an UPDATE or DELETE that matched nothing), and a foreign key that fails (ER_ROW_IS_REFERENCED_2 1451,
     * ER_NO_REFERENCED_ROW_2 1452, and their older forms ER_ROW_IS_REFERENCED 1217, ER_NO_REFERENCED_ROW 1216).
     */
    private static final Set<Integer> MISSED_DEPENDENCY = Set.of(1032, 1062, 1216, 1217, 1451, 1452, 1586);

    private TransientErrors() {
    }

    public static boolean isTransient(int targetErrorCode) {
        return isConflict(targetErrorCode) || isConnectionLost(targetErrorCode);
    }

    static boolean isConflict(int targetErrorCode) {
        return targetErrorCode == DEADLOCK || targetErrorCode == LOCK_WAIT_TIMEOUT;
    }

    /** Whether the target connection was lost: a commit in flight may or may not have taken effect. */
    public static boolean isConnectionLost(int targetErrorCode) {
        return CONNECTION_LOST.contains(targetErrorCode);
    }

    /**
     * Whether the error is one a transaction meets when it ran before a transaction it depends on had committed: in
     * such a run it is a dependency the scheduler missed, not yet an error (see the README, "Parallel apply").
     */
    public static boolean isMissedDependency(int targetErrorCode) {
        return MISSED_DEPENDENCY.contains(targetErrorCode);
    }
}
