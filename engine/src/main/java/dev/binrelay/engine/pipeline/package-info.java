/**
 * Stage 5, the pipeline: {@link dev.binrelay.engine.pipeline.ApplyPipeline} is the
 * bounded Disruptor ring between the reader and the {@code ApplyWorker}s, one per
 * {@code Applier.Worker}; the workers share a {@code WorkerControl} (closed, paused, held bytes, fatal errors) and a
 * {@code CommitTracker} (the low-water mark of committed sequences that dependencies and commit order wait for), and
 * report what they applied ({@code ApplyProgress}, {@code ApplyRate}, {@code Lag}, {@code MissedDependencies},
 * {@code AppliedPositions}).
 */
package dev.binrelay.engine.pipeline;
