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
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A source and a target for a test class (a static {@code @RegisterExtension}), with a binrelay replica between them
 * on demand; user schemas (and the checkpoint) are dropped on both before each test.
 */
final class ReplicaPair implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {
    EmbeddedMySql source;
    EmbeddedMySql target;
    private String startGtids = "";

    @Override
    public void beforeAll(ExtensionContext context) {
        CompletableFuture<EmbeddedMySql> startingTarget = CompletableFuture.supplyAsync(EmbeddedMySql::startTarget);
        source = EmbeddedMySql.startSource();
        target = startingTarget.join();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (source != null) {
            source.close();
        }
        if (target != null) {
            target.close();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        source.dropUserSchemas();
        target.dropUserSchemas();
        // Replicas of this test start after everything earlier tests did.
        startGtids = source.gtidExecuted();
    }

    /** Starts a replica from the position of the test's start to the target, checkpoint binrelay/default. */
    Replica startReplica() {
        return startReplica(ReplicationFilter.NONE);
    }

    /** As {@link #startReplica()}, replicating what {@code filter} keeps, where it says. */
    Replica startReplica(ReplicationFilter filter) {
        Replica replica = Replica.builder()
                .filter(filter)
                .source(new SourceSettings(source.host(), source.port(), source.user(), source.password(), 4343,
                        startGtids, Duration.ofSeconds(1), Duration.ofSeconds(10)))
                .applier(new JdbcApplier(new TargetSettings(target.jdbcUrl(), target.user(), target.password(),
                        "binrelay", "default")))
                .build();
        replica.start();
        return replica;
    }

    /** Waits until the replica has applied all the source has executed. */
    void awaitCaughtUp(Replica replica) throws InterruptedException {
        GtidSet wanted = GtidSet.parse(source.gtidExecuted());
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
                .source(source.jdbcUrl(), source.user(), source.password())
                .target(target.jdbcUrl(), target.user(), target.password());
    }
}
