package dev.binrelay.benchmarks.differential;

import dev.binrelay.benchmarks.Topology;
import dev.binrelay.testkit.EmbeddedMySql;
import dev.binrelay.testkit.NativeReplica;
import java.sql.SQLException;
import java.time.Duration;

/**
 * The three servers a tester keeps up across rounds (a {@link Topology}): the source (binary log, GTIDs, ROW),
 * binrelay's target, and a reference target that MySQL's own replica applies to (LOGICAL_CLOCK, 4 workers, commit
 * order preserved). Between rounds {@link #reset()} gives all three a clean slate: no user schema, no binary log, no
 * GTIDs.
 */
final class FuzzServers implements AutoCloseable {
    final EmbeddedMySql source;
    final EmbeddedMySql target;
    final EmbeddedMySql reference;
    private final Topology servers;
    private final NativeReplica referenceReplica;

    private FuzzServers(Topology servers) {
        this.servers = servers;
        this.source = servers.source();
        this.target = servers.binrelayTarget();
        this.reference = servers.nativeReplica();
        this.referenceReplica = new NativeReplica(reference, source);
    }

    /** Starts the three servers at once. */
    static FuzzServers start() {
        return new FuzzServers(Topology.start(
                () -> EmbeddedMySql.builder().name("fuzz-source").binlog(true).gtid(true)
                        .option("--binlog-transaction-dependency-tracking=WRITESET").start(),
                () -> EmbeddedMySql.builder().name("fuzz-binrelay-target").start(),
                () -> EmbeddedMySql.builder().name("fuzz-reference").binlog(true).gtid(true)
                        .option("--replica-parallel-type=LOGICAL_CLOCK").option("--replica-parallel-workers=4")
                        .option("--replica-preserve-commit-order=ON").option("--skip-replica-start=ON")
                        .option("--relay-log=relay").start()));
    }

    /**
     * A clean slate for the next round: the reference's channel removed, every user schema (and binrelay's checkpoint)
     * dropped everywhere, the source's and the reference's binary logs and GTIDs reset; then the reference follows the
     * source again from its (empty) beginning.
     */
    void reset() {
        referenceReplica.remove();
        for (EmbeddedMySql server : servers.all()) {
            server.dropUserSchemas();
        }
        NativeReplica.resetBinaryLogs(source);
        NativeReplica.resetBinaryLogs(reference);
        referenceReplica.configure();
        referenceReplica.start();
    }

    /**
     * Waits until the reference replica executed every source GTID; returns null then, or why it did not (its
     * applier or receiver error with its workers' errors, or the timeout).
     */
    String awaitReference(String sourceGtids, Duration timeout) throws SQLException {
        try {
            return referenceReplica.awaitApplied(sourceGtids, timeout) ? null
                    : "MySQL's replica did not reach " + sourceGtids + " within " + timeout.toSeconds() + " s";
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
    }

    @Override
    public void close() {
        servers.close();
    }
}
