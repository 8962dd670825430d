package dev.binrelay.benchmarks;

import dev.binrelay.testkit.EmbeddedMySql;
import java.util.List;
import java.util.function.Supplier;

/**
 * The three servers of a comparison between binrelay and MySQL's own replica: a source, the target binrelay applies
 * to, and the server MySQL's replica applies to. The benchmark ({@link #start(Durability, String, boolean)}) and the
 * differential tester (its {@code FuzzServers}) both keep theirs here.
 */
public record Topology(EmbeddedMySql source, EmbeddedMySql binrelayTarget, EmbeddedMySql nativeReplica)
        implements AutoCloseable {

    /** Starts the three servers at once (each takes seconds to start); when one fails, the others are closed. */
    public static Topology start(Supplier<EmbeddedMySql> source, Supplier<EmbeddedMySql> binrelayTarget,
                                 Supplier<EmbeddedMySql> nativeReplica) {
        List<EmbeddedMySql> started = EmbeddedMySql.startTogether(source, binrelayTarget, nativeReplica);
        return new Topology(started.get(0), started.get(1), started.get(2));
    }

    /**
     * The benchmark's servers: a source (binary log, GTIDs, ROW format, the asked dependency tracking) and two targets
     * with the very same option list (durability, binary log, GTIDs, and the replica settings, which the binrelay
     * target simply never uses), so they differ only in who applies to them.
     */
    static Topology start(Durability durability, String tracking, boolean targetBinlog) {
        // The source is never the bottleneck we measure: it keeps the fast flushing of testkit's default.
        return start(() -> EmbeddedMySql.builder().name("bench-source").binlog(true).gtid(true)
                        .option("--binlog-transaction-dependency-tracking=" + tracking).start(),
                () -> target("bench-binrelay-target", durability, targetBinlog),
                () -> target("bench-native-replica", durability, targetBinlog));
    }

    private static EmbeddedMySql target(String name, Durability durability, boolean binlog) {
        return EmbeddedMySql.builder().name(name).durable(durability == Durability.DURABLE).binlog(binlog).gtid(true)
                // The native replica's settings (the issue's), given to both targets; binrelay's never starts a channel.
                .option("--replica-parallel-type=LOGICAL_CLOCK")
                .option("--replica-preserve-commit-order=ON")
                .option("--log-replica-updates=" + (binlog ? "ON" : "OFF"))
                // Each run starts its applier itself, after its data directory was restored.
                .option("--skip-replica-start=ON")
                // A fixed relay log name inside the data directory, so that a saved directory carries the backlog.
                .option("--relay-log=relay")
                .start();
    }

    /** Every server, for statements they all get. */
    public List<EmbeddedMySql> all() {
        return List.of(source, binrelayTarget, nativeReplica);
    }

    @Override
    public void close() {
        for (EmbeddedMySql server : all()) {
            server.close();
        }
    }
}
