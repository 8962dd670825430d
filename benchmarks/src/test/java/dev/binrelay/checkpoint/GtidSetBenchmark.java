package dev.binrelay.checkpoint;

import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * GtidSet on the hot path: {@code add} (once per applied transaction), {@code contains} (the assembler's duplicate
 * check, once per transaction read) and {@code union}/{@code containsAll} (checkpoint loads, catch-up checks), on a
 * set with {@code gaps} holes, as a parallel replica's applied set has while workers commit out of order.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class GtidSetBenchmark {
    private static final UUID SOURCE = UUID.fromString("3e11fa47-71ca-11e1-9e33-c80aa9429562");
    private static final UUID OTHER = UUID.fromString("8a94f357-aab4-11df-86ab-c80aa9429562");

    @Param({"1", "64"})
    int gaps;

    private GtidSet applied;
    private GtidSet other;
    private Gtid next;
    private Gtid present;

    @Setup
    public void setUp() {
        GtidSetBuilder builder = new GtidSetBuilder();
        long id = 1;
        for (int gap = 0; gap < gaps; gap++) {
            builder.add(SOURCE, id, id + 999);
            id += 1001; // one transaction missing after each run
        }
        builder.add(OTHER, 1, 5000);
        applied = builder.build();
        GtidSetBuilder otherBuilder = new GtidSetBuilder();
        for (int gap = 0; gap < gaps; gap++) {
            otherBuilder.add(SOURCE, gap * 1001L + 1000, gap * 1001L + 1000);
        }
        other = otherBuilder.build();
        next = new Gtid(SOURCE, id + 1);
        present = new Gtid(SOURCE, id / 2);
    }

    @Benchmark
    public GtidSet add() {
        return applied.add(next);
    }

    @Benchmark
    public boolean contains() {
        return applied.contains(present);
    }

    @Benchmark
    public GtidSet union() {
        return applied.union(other);
    }

    @Benchmark
    public boolean containsAll() {
        return applied.containsAll(other);
    }
}
