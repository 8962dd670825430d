package dev.binrelay.engine;

import dev.binrelay.engine.pipeline.Lag;

/**
 * The workers' side, the applying half of {@code SHOW REPLICA STATUS}.
 *
 * @param state                  running, paused, stopped or failed
 * @param executedGtids          the GTID set applied on the target (checkpoint plus what this replica applied)
 * @param lastAppliedGtid        the last GTID applied, empty if none since start
 * @param lagSeconds             seconds behind the source (see README, "Lag"): 0 when caught up; null when unknown
 *                               (not running)
 * @param transactionsApplied    transactions applied since start
 * @param rowsApplied            row changes in them
 * @param skippedErrors          row changes skipped on an error listed in {@code applier.skipErrors}
 * @param transactionsPerSecond  recent apply rate
 * @param inFlight               transactions received and not yet committed
 * @param ringSize               slots in the ring
 * @param heldBytes              decoded data waiting in the ring (estimated heap bytes)
 * @param lastError              the error that stopped the applier, or null
 * @param appliedPosition        position mode: {@code file:pos} a restart would read from, the end of the newest
 *                               transaction applied with every one before it (its synthetic GTID is in
 *                               {@code executedGtids}); null when replicating by GTID or before start
 */
public record ApplierStatus(ApplierState state, String executedGtids, String lastAppliedGtid, Double lagSeconds,
                            long transactionsApplied, long rowsApplied, long skippedErrors,
                            double transactionsPerSecond, long inFlight, int ringSize, long heldBytes,
                            ApplyError lastError, String appliedPosition) {
    /** The applier's status when replicating by GTID. */
    public ApplierStatus(ApplierState state, String executedGtids, String lastAppliedGtid, Double lagSeconds,
                         long transactionsApplied, long rowsApplied, long skippedErrors,
                         double transactionsPerSecond, long inFlight, int ringSize, long heldBytes,
                         ApplyError lastError) {
        this(state, executedGtids, lastAppliedGtid, lagSeconds, transactionsApplied, rowsApplied, skippedErrors,
                transactionsPerSecond, inFlight, ringSize, heldBytes, lastError, null);
    }
}
