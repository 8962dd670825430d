package dev.binrelay.cli.daemon;

import java.time.Instant;

/**
 * The daemon's own view next to its replica's status: what the operator asked for and what was done.
 *
 * @param requested      what the last control action asked for: running, paused, or stopped (after a skip, until
 *                       the next start)
 * @param replicaStarts  replicas started by this daemon (1 until a start after a failure or a skip builds another)
 * @param lastAction     the last control action, such as {@code applier paused by POST /stop from 127.0.0.1}; empty
 *                       if none
 * @param lastActionTime when it happened, null if none
 * @param skippedGtids   the GTIDs this daemon recorded as applied without applying them, as a GTID set
 */
public record ControllerStatus(Requested requested, int replicaStarts, String lastAction, Instant lastActionTime,
                        String skippedGtids) {

    /** What the operator asked the replica to do. */
    public enum Requested {
        /** Replicate (the initial request, and after a start). */
        RUNNING,
        /** Applier paused by a stop; the reader goes on until the ring is full. */
        PAUSED,
        /** Replica stopped for a skip; nothing runs until a start builds a new replica. */
        STOPPED
    }
}
