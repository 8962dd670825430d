package dev.binrelay.engine.pipeline;

import dev.binrelay.engine.SchedulerKind;

/**
 * How the apply pipeline runs (the {@code applier.*} settings).
 *
 * @param scheduler           the dependency policy
 * @param ringSize            ring slots, a power of two
 * @param preserveCommitOrder commit in source order (the target shows only states the source had)
 * @param batchSize           at most this many consecutive transactions of one worker share a target commit
 * @param writesetHistory     keys the writeset scheduler remembers before it resets to a barrier
 * @param largeTransactionBytes transactions estimated larger are streamed to their worker in chunks
 * @param queueBytes          decoded data (estimated) the ring may hold before the reader waits
 * @param retries             times a transaction is applied again after a transient target error before giving up
 */
public record PipelineSettings(SchedulerKind scheduler, int ringSize, boolean preserveCommitOrder, int batchSize,
                        int writesetHistory, long largeTransactionBytes, long queueBytes,
                        int retries) {
}
