package dev.binrelay.engine;

/**
 * How the apply pipeline runs (the {@code applier.*} settings).
 *
 * @param scheduler           the dependency policy
 * @param ringSize            ring slots, a power of two
 * @param preserveCommitOrder commit in source order (the target shows only states the source had)
 * @param batchSize           at most this many consecutive transactions of one worker share a target commit
 * @param writesetHistory     keys the writeset scheduler remembers before it resets to a barrier
 */
record PipelineSettings(SchedulerKind scheduler, int ringSize, boolean preserveCommitOrder, int batchSize,
                        int writesetHistory) {
}
