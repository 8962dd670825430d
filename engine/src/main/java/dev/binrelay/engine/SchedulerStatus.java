package dev.binrelay.engine;

/**
 * The scheduler's view of parallel apply.
 *
 * @param scheduler           the policy
 * @param workers             worker threads
 * @param scheduled           transactions placed in the ring
 * @param independent         of those, how many did not have to wait for the one just before them
 * @param barriers            transactions that ran alone (DDL, cascading parent changes, rows without a known
 *                            identity, history resets)
 * @param streamed            transactions too large to hold, streamed to their worker in chunks (they ran alone too)
 * @param inFlight            transactions placed and not yet committed
 * @param heldBytes           decoded data in the ring, not yet committed (estimated heap bytes)
 * @param averageParallelism  workers' busy time divided by elapsed time: how many worked at once on average
 * @param detail              policy-specific counters (writeset history use)
 * @param dependencyMisses    dependencies the policy missed, by table (the safety net applied them again)
 */
public record SchedulerStatus(SchedulerKind scheduler, int workers, long scheduled, long independent, long barriers,
                              long streamed, long inFlight, long heldBytes, double averageParallelism, String detail,
                              DependencyMisses dependencyMisses) {
}
