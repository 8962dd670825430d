package dev.binrelay.applier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.binrelay.checkpoint.CheckpointStore;
import dev.binrelay.checkpoint.Gtid;
import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.engine.Applier;
import dev.binrelay.engine.Replica;
import dev.binrelay.engine.ReplicaException;
import dev.binrelay.engine.ReplicaState;
import dev.binrelay.engine.SourceSettings;
import dev.binrelay.testkit.EmbeddedMySql;
import dev.binrelay.testkit.TableChecksum;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A source, a target and replicas between them, shared by a test class (register it as a static
 * {@code @RegisterExtension}); user schemas are dropped on both before each test.
 */
final class ReplicaFixture implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {
    EmbeddedMySql source;
    EmbeddedMySql target;
    private final Supplier<EmbeddedMySql> sourceStarter;
    private String startGtids = "current";

    ReplicaFixture() {
        this(EmbeddedMySql::startSource);
    }

    /** @param sourceStarter starts the source, for a test that needs other options than the default source's */
    ReplicaFixture(Supplier<EmbeddedMySql> sourceStarter) {
        this.sourceStarter = sourceStarter;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        source = sourceStarter.get();
        target = EmbeddedMySql.startTarget();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        // null when the source starter skipped the class (an assumption failed) before anything started
        if (source != null) {
            source.close();
        }
        if (target != null) {
            target.close();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        reset();
    }

    /** Drops user schemas on both sides; replicas started afterwards begin at the source's current position. */
    void reset() {
        source.dropUserSchemas();
        target.dropUserSchemas();
        startGtids = "current";
    }

    /** Makes replicas with an empty checkpoint start after the source's gtid_executed as of now. */
    void fixStartPositionNow() {
        startGtids = source.gtidExecuted();
    }

    SourceSettings sourceSettings() {
        return new SourceSettings(source.host(), source.port(), source.user(), source.password(), 4242, startGtids,
                Duration.ofSeconds(1), Duration.ofSeconds(10));
    }

    TargetSettings targetSettings() {
        return new TargetSettings(target.jdbcUrl(), target.user(), target.password(), "binrelay", "default");
    }

    Replica startReplica() {
        return startReplica(builder -> { });
    }

    /** Starts a replica with the fixture's source and target and whatever else {@code options} sets. */
    Replica startReplica(Consumer<Replica.Builder> options) {
        return startReplica(new JdbcApplier(targetSettings()), options);
    }

    Replica startReplica(Applier applier) {
        return startReplica(applier, builder -> { });
    }

    Replica startReplica(Applier applier, Consumer<Replica.Builder> options) {
        Replica.Builder builder = Replica.builder().source(sourceSettings()).applier(applier);
        options.accept(builder);
        Replica replica = builder.build();
        replica.start();
        return replica;
    }

    /**
     * Starts a replica that is to fail on a transaction, for {@link #assertFailsWith}: the failure may come before
     * {@code start()} returns (which then throws it), so the replica is returned either way.
     */
    Replica startReplicaExpectingFailure(Applier applier) {
        Replica replica = Replica.builder().source(sourceSettings()).applier(applier).build();
        try {
            replica.start();
        } catch (ReplicaException e) {
            if (replica.failure() == null) {
                throw e; // not a transaction's failure: the start itself failed
            }
        }
        return replica;
    }

    /** Waits until the replica has applied all the source has executed. */
    void awaitCaughtUp(Replica replica) throws InterruptedException {
        GtidSet wanted = GtidSet.parse(source.gtidExecuted());
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!replica.appliedGtids().containsAll(wanted)) {
            assertThat(replica.state()).as("replica state, failure: %s", replica.failure())
                    .isEqualTo(ReplicaState.RUNNING);
            assertThat(System.nanoTime()).as("caught up within 90 s; applied %s, wanted %s",
                    replica.appliedGtids(), wanted).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** The GTID set recorded in the target's checkpoint table. */
    GtidSet targetCheckpoint() throws SQLException {
        try (Connection connection = target.connect()) {
            return new CheckpointStore("binrelay", "default").load(connection);
        }
    }

    /** Asserts that every table of each schema holds the same rows on source and target. */
    void assertTablesMatch(String... schemas) throws SQLException {
        try (Connection sourceConnection = source.connect(); Connection targetConnection = target.connect()) {
            for (String schema : schemas) {
                List<String> sourceTables = TableChecksum.tables(sourceConnection, schema);
                assertThat(TableChecksum.tables(targetConnection, schema)).as("tables of %s", schema)
                        .isEqualTo(sourceTables);
                assertThat(sourceTables).as("tables of %s", schema).isNotEmpty();
                for (String table : sourceTables) {
                    assertThat(TableChecksum.of(targetConnection, schema, table)).as("%s.%s", schema, table)
                            .isEqualTo(TableChecksum.of(sourceConnection, schema, table));
                }
            }
        }
    }

    /** Waits until the replica stopped on its own and asserts it failed with every fragment in its message. */
    static void assertFailsWith(Replica replica, String... fragments) {
        assertThat(replica.awaitTermination(Duration.ofSeconds(30))).as("replica stopped").isTrue();
        assertThat(replica.state()).isEqualTo(ReplicaState.FAILED);
        for (String fragment : fragments) {
            assertThat(replica.failure()).hasMessageContaining(fragment);
        }
    }

    /** The newest transaction the source executed. */
    Gtid lastSourceGtid() {
        UUID uuid = UUID.fromString(source.serverUuid());
        var intervals = GtidSet.parse(source.gtidExecuted()).intervals(uuid);
        return new Gtid(uuid, intervals.get(intervals.size() - 1).end());
    }
}
