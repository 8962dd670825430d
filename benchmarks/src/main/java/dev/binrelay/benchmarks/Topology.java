package dev.binrelay.benchmarks;

import dev.binrelay.testkit.EmbeddedMySql;
import java.util.List;

/**
 * The three servers of a run: a source (binary log, GTIDs, ROW format, the asked dependency tracking), the target
 * binrelay applies to, and MySQL's own replica. The two targets start with the very same option list (durability,
 * binary log, GTIDs, and the replica settings, which the binrelay target simply never uses), so they differ only in
 * who applies to them.
 */
final class Topology implements AutoCloseable {
    final EmbeddedMySql source;
    final EmbeddedMySql binrelayTarget;
    final EmbeddedMySql nativeReplica;

    private Topology(EmbeddedMySql source, EmbeddedMySql binrelayTarget, EmbeddedMySql nativeReplica) {
        this.source = source;
        this.binrelayTarget = binrelayTarget;
        this.nativeReplica = nativeReplica;
    }

    /** Starts the three servers at once (each takes seconds to start). */
    static Topology start(Durability durability, String tracking, boolean targetBinlog) {
        // The source is never the bottleneck we measure: it keeps the fast flushing of testkit's default.
        List<EmbeddedMySql> started = EmbeddedMySql.startTogether(
                () -> EmbeddedMySql.builder().name("bench-source").binlog(true).gtid(true)
                        .option("--binlog-transaction-dependency-tracking=" + tracking).start(),
                () -> target("bench-binrelay-target", durability, targetBinlog),
                () -> target("bench-native-replica", durability, targetBinlog));
        return new Topology(started.get(0), started.get(1), started.get(2));
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
    List<EmbeddedMySql> all() {
        return List.of(source, binrelayTarget, nativeReplica);
    }

    @Override
    public void close() {
        for (EmbeddedMySql server : all()) {
            server.close();
        }
    }
}
