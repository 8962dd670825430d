package dev.binrelay.engine;

/**
 * One worker's counters, like a row of {@code performance_schema.replication_applier_status_by_worker}.
 *
 * @param index                 the worker number
 * @param transactions          transactions it committed
 * @param rows                  row changes in them
 * @param commits               target commits (fewer than transactions when it merged several into one)
 * @param replays               times it rolled back and applied its open batch again (lock conflicts, deadlocks,
 *                              commit-order timeouts, lost connections); dependency misses are counted apart
 * @param dependencyMisses      times a transaction of its failed with a key or foreign-key error because it ran
 *                              before one it depends on committed, and the batch was applied again after it
 * @param skippedErrors         row changes it skipped on a target error listed in {@code applier.skipErrors}
 * @param busyMillis            time spent applying and committing
 * @param dependencyWaitMillis  time spent waiting for a transaction it depends on
 * @param commitOrderWaitMillis time spent waiting for earlier transactions to commit first
 * @param lastGtid              the last GTID it committed
 * @param lastError             the error that stopped it, or empty
 */
public record WorkerStatus(int index, long transactions, long rows, long commits, long replays, long dependencyMisses,
                           long skippedErrors, long busyMillis, long dependencyWaitMillis, long commitOrderWaitMillis,
                           String lastGtid, String lastError) {
}
