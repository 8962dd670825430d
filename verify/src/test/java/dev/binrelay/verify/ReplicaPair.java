package dev.binrelay.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.binrelay.applier.JdbcApplier;
import dev.binrelay.applier.TargetSettings;
import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.engine.Replica;
import dev.binrelay.engine.ReplicaState;
import dev.binrelay.engine.ReplicationFilter;
import dev.binrelay.engine.SourceSettings;
import dev.binrelay.testkit.EmbeddedMySql;
import dev.binrelay.testkit.SourceAndTarget;
import java.time.Duration;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A binrelay replica on demand between the servers of a {@link SourceAndTarget}, for a test class (a static
 * {@code @RegisterExtension}; it runs the servers' lifecycle, so they are not registered apart). User schemas (and the
 * checkpoint) are dropped on both before each test, and replicas of a test start after everything earlier tests did.
 */
final class ReplicaPair implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {
    private final SourceAndTarget servers = SourceAndTarget.create();
    private String startGtids = "";

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
        startGtids = servers.sourceGtids();
    }

    /** The source server. */
    EmbeddedMySql source() {
        return servers.source();
    }

    /** The target server. */
    EmbeddedMySql target() {
        return servers.target();
    }

    /** Starts a replica from the position of the test's start to the target, checkpoint binrelay/default. */
    Replica startReplica() {
        return startReplica(ReplicationFilter.NONE);
    }

    /** As {@link #startReplica()}, replicating what {@code filter} keeps, where it says. */
    Replica startReplica(ReplicationFilter filter) {
        Replica replica = Replica.builder()
                .filter(filter)
                .source(SourceSettings.builder(source().host(), source().port()).user(source().user())
                        .password(source().password()).serverId(4343).startGtids(startGtids)
                        .heartbeat(Duration.ofSeconds(1)).connectTimeout(Duration.ofSeconds(10)).build())
                .applier(new JdbcApplier(new TargetSettings(target().jdbcUrl(), target().user(), target().password(),
                        "binrelay", "default")))
                .build();
        replica.start();
        return replica;
    }

    /** Waits until the replica has applied all the source has executed. */
    void awaitCaughtUp(Replica replica) throws InterruptedException {
        GtidSet wanted = GtidSet.parse(source().gtidExecuted());
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!replica.appliedGtids().containsAll(wanted)) {
            assertThat(replica.state()).as("replica state, failure: %s", replica.failure())
                    .isEqualTo(ReplicaState.RUNNING);
            assertThat(System.nanoTime()).as("caught up within 90 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** A verifier from this source to this target, checkpoint binrelay/default. */
    Verifier.Builder verifier() {
        return Verifier.builder()
                .source(source().jdbcUrl(), source().user(), source().password())
                .target(target().jdbcUrl(), target().user(), target().password());
    }
}
