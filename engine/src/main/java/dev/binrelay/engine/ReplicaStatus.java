package dev.binrelay.engine;

import java.util.List;

/**
 * A snapshot of a replica, for progress lines, status pages and metrics: what {@code SHOW REPLICA STATUS} and
 * {@code performance_schema.replication_applier_status_by_worker} tell of a MySQL replica.
 *
 * @param state     the lifecycle state
 * @param source    the binlog reader
 * @param applier   the workers' side as a whole
 * @param scheduler the scheduler's view (null before start)
 * @param workers   per-worker counters
 * @param mode      how the replica follows the source: GTID or POSITION once started, the configured mode before
 */
public record ReplicaStatus(ReplicaState state, SourceStatus source, ApplierStatus applier, SchedulerStatus scheduler,
                            List<WorkerStatus> workers, SourceMode mode) {
    /** The status of a replica that follows the source by GTID. */
    public ReplicaStatus(ReplicaState state, SourceStatus source, ApplierStatus applier, SchedulerStatus scheduler,
                         List<WorkerStatus> workers) {
        this(state, source, applier, scheduler, workers, SourceMode.GTID);
    }
}
