package dev.binrelay.engine;

import dev.binrelay.engine.apply.Applier;
import dev.binrelay.engine.event.Transaction;
import dev.binrelay.engine.pipeline.ApplyPipeline;
import dev.binrelay.engine.pipeline.ApplyProgress;
import dev.binrelay.engine.pipeline.PipelineSettings;
import dev.binrelay.checkpoint.Gtid;
import dev.binrelay.checkpoint.GtidSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The reader-to-worker hand-off alone: {@link ApplyPipeline#publish} of complete transactions (placing, the ring,
 * batching, commit-order tracking, progress) to workers whose target does nothing. Time per transaction, from
 * publishing a block of transactions until the last one is committed.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RingHandOffBenchmark {
    private static final int BLOCK = 4096;
    private static final UUID SOURCE = UUID.fromString("3e11fa47-71ca-11e1-9e33-c80aa9429562");

    @Param({"serial", "logical_clock"})
    String scheduler;

    @Param({"1", "4"})
    int workers;

    private final List<Transaction> block = new ArrayList<>();
    private ApplyPipeline pipeline;

    @Setup(Level.Iteration)
    public void start() {
        PipelineSettings settings = new PipelineSettings(SchedulerKind.parse(scheduler), 1024, true, 16, 25_000,
                4L << 20, 64L << 20, 10);
        List<Applier.Worker> targets = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            targets.add(new NothingApplied());
        }
        pipeline = new ApplyPipeline(settings, targets, null, new ApplyProgress(GtidSet.empty()), new ReplicaListener() {
        }, error -> {
            throw new IllegalStateException(error);
        });
        pipeline.start();
        block.clear();
        for (int i = 0; i < BLOCK; i++) {
            // Independent on the source's clock: each may run in parallel with the one before.
            block.add(new Transaction(new Gtid(SOURCE, i + 1), 0, i + 1, 0, 0, List.of(), 0));
        }
    }

    @TearDown(Level.Iteration)
    public void stop() {
        pipeline.stop(Duration.ofSeconds(5));
    }

    @Benchmark
    @OperationsPerInvocation(BLOCK)
    public void handOff() {
        for (Transaction transaction : block) {
            pipeline.accept(transaction);
        }
        while (pipeline.inFlight() > 0) {
            LockSupport.parkNanos(1_000);
        }
    }

    /** A target that applies and commits nothing. */
    private static final class NothingApplied implements Applier.Worker {
        @Override
        public void apply(Transaction transaction) {
        }

        @Override
        public void commit() {
        }

        @Override
        public boolean isCommitted(Gtid gtid) {
            return true;
        }

        @Override
        public void rollback() {
        }

        @Override
        public void close() {
        }
    }
}
