package dev.binrelay.applier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.binrelay.checkpoint.CheckpointStore;
import dev.binrelay.checkpoint.Gtid;
import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.engine.apply.Applier;
import dev.binrelay.engine.Replica;
import dev.binrelay.engine.ReplicaException;
import dev.binrelay.engine.ReplicaState;
import dev.binrelay.engine.SourceSettings;
import dev.binrelay.testkit.EmbeddedMySql;
import dev.binrelay.testkit.SourceAndTarget;
import dev.binrelay.testkit.TableChecksum;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * binrelay replicas between the servers of a {@link SourceAndTarget}, for a test class (register it as a static
 * {@code @RegisterExtension}; it runs the servers' lifecycle, so they are not registered apart). User schemas are
 * dropped on both servers before each test, and replicas then begin at the source's current position unless
 * {@link #fixStartPositionNow()} says otherwise.
 */
final class ReplicaFixture implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {
    private final SourceAndTarget servers;
    private String startGtids = "current";

    /** A source with GTIDs and a target, as {@link SourceAndTarget#create()}. */
    ReplicaFixture() {
        this(SourceAndTarget.create());
    }

    /** @param servers the servers, for a test that needs other ones than the default source and target */
    ReplicaFixture(SourceAndTarget servers) {
        this.servers = servers;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        servers.beforeAll(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        servers.afterAll(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        servers.beforeEach(context);
        startGtids = "current";
    }

    /** The source server. */
    EmbeddedMySql source() {
        return servers.source();
    }

    /** The target server. */
    EmbeddedMySql target() {
        return servers.target();
    }

    /** The other target, where the servers were chosen with {@link SourceAndTarget#withSecondTarget}. */
    EmbeddedMySql secondTarget() {
        return servers.secondTarget();
    }

    /** Drops user schemas on both sides; replicas started afterwards begin at the source's current position. */
    void reset() {
        servers.dropUserSchemas();
        startGtids = "current";
    }

    /** Makes replicas with an empty checkpoint start after the source's gtid_executed as of now. */
    void fixStartPositionNow() {
        startGtids = servers.sourceGtids();
    }

    SourceSettings sourceSettings() {
        return SourceSettings.builder(source().host(), source().port()).user(source().user())
                .password(source().password())
                .serverId(4242).startGtids(startGtids).heartbeat(Duration.ofSeconds(1))
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    TargetSettings targetSettings() {
        return new TargetSettings(target().jdbcUrl(), target().user(), target().password(), "binrelay", "default");
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
        GtidSet wanted = GtidSet.parse(source().gtidExecuted());
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
        try (Connection connection = target().connect()) {
            return new CheckpointStore("binrelay", "default").load(connection);
        }
    }

    /** Asserts that every table of each schema holds the same rows on source and target. */
    void assertTablesMatch(String... schemas) throws SQLException {
        try (Connection sourceConnection = source().connect(); Connection targetConnection = target().connect()) {
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
        UUID uuid = UUID.fromString(source().serverUuid());
        var intervals = GtidSet.parse(source().gtidExecuted()).intervals(uuid);
        return new Gtid(uuid, intervals.get(intervals.size() - 1).end());
    }
}
