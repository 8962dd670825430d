package dev.binrelay.verify;

import dev.binrelay.checkpoint.CheckpointStore;
import dev.binrelay.checkpoint.GtidSet;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/**
 * The target's checkpoint (the GTID set binrelay recorded as applied, in the same target transactions as the rows),
 * polled until it holds a set of source GTIDs. Reads with autocommit on, so every poll sees the latest commits.
 */
final class TargetCheckpoint {
    /** First pause between polls: a replica that is caught up usually gets there within milliseconds. */
    private static final long FIRST_PAUSE_MILLIS = 2;
    /** Longest pause: the source may hold a chunk's locks while we wait, so do not oversleep. */
    private static final long LONGEST_PAUSE_MILLIS = 50;

    private final Connection target;
    private final CheckpointStore store;
    private final Duration maxWait;

    TargetCheckpoint(Connection target, CheckpointStore store, Duration maxWait) {
        this.target = target;
        this.store = store;
        this.maxWait = maxWait;
    }

    /** The longest {@link #awaitContains} waits. */
    Duration maxWait() {
        return maxWait;
    }

    /** The checkpoint now. */
    GtidSet load() throws SQLException {
        return store.load(target);
    }

    /**
     * Waits until the checkpoint holds every GTID of {@code wanted}, at most the configured maximum.
     *
     * @return the GTIDs still missing: empty when the target got there
     */
    GtidSet awaitContains(GtidSet wanted) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + maxWait.toNanos();
        long pause = FIRST_PAUSE_MILLIS;
        while (true) {
            GtidSet missing = wanted.subtract(load());
            if (missing.isEmpty() || System.nanoTime() - deadline >= 0) {
                return missing;
            }
            Thread.sleep(pause);
            pause = Math.min(pause * 2, LONGEST_PAUSE_MILLIS);
        }
    }
}
