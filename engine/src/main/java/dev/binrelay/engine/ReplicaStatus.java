package dev.binrelay.engine;

/**
 * A snapshot of a replica, for progress lines and status pages.
 *
 * @param state                 the lifecycle state
 * @param sourceConnected       whether the binlog connection is up
 * @param sourcePosition        the binlog file and position last read
 * @param transactionsApplied   transactions applied since start
 * @param rowsApplied           row changes applied since start
 * @param skippedErrors         row changes skipped on a target error listed in {@code applier.skipErrors}, by all
 *                              workers since start (each skip is also logged at WARN)
 * @param inFlight              transactions read and not yet applied
 * @param lagSeconds            source commit to target commit of the last transaction applied; 0 when idle
 * @param appliedGtids          the target's applied GTID set, as text
 * @param lastAppliedGtid       the last GTID applied
 * @param error                 the error that stopped the replica, or empty
 * @param scheduler             the scheduler's view (null before start)
 * @param workers               per-worker counters
 */
public record ReplicaStatus(ReplicaState state, boolean sourceConnected, String sourcePosition,
                            long transactionsApplied, long rowsApplied, long skippedErrors, long inFlight,
                            double lagSeconds, String appliedGtids, String lastAppliedGtid, String error,
                            SchedulerStatus scheduler, java.util.List<WorkerStatus> workers) {
}
