package dev.binrelay.applier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.engine.Replica;
import dev.binrelay.engine.ReplicaState;
import dev.binrelay.engine.SchedulerKind;
import dev.binrelay.engine.SourceSettings;
import dev.binrelay.testkit.FaultProxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Faults between binrelay and its source while the source is under load, through a {@link FaultProxy}: connections
 * cut (also right after a binlog rotation), a silent connection (stalled: only the heartbeat watchdog can tell), a
 * source that refuses connections for a while, and a source restart. The reader reconnects from what it received
 * in full; in the end the target equals the source and the checkpoint equals the source's gtid_executed.
 */
class SourceFaultTest {
    @RegisterExtension
    static final ReplicaFixture fixture = new ReplicaFixture();

    @Test
    void everySourceFaultUnderLoadLosesAndRepeatsNothing() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(fixture.source().host(), fixture.source().port())) {
            SourceSettings throughProxy = SourceSettings.builder(proxy.host(), proxy.port())
                    .user(fixture.source().user()).password(fixture.source().password()).serverId(4242)
                    .startGtids(fixture.source().gtidExecuted()).heartbeat(Duration.ofSeconds(1))
                    .connectTimeout(Duration.ofSeconds(3)).build();
            Replica replica = fixture.startReplica(builder -> builder.source(throughProxy)
                    .scheduler(SchedulerKind.WRITESET).workers(4));
            fixture.source().execute("CREATE DATABASE sf",
                    "CREATE TABLE sf.counters (id INT PRIMARY KEY, n BIGINT NOT NULL)",
                    "CREATE TABLE sf.events (id BIGINT AUTO_INCREMENT PRIMARY KEY, counter INT NOT NULL, body TEXT)");
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicLong committed = new AtomicLong();
            Thread load = new Thread(() -> writeUntilStopped(running, committed), "resilient-load");
            load.start();
            try {
                int accepted = proxy.connectionsAccepted();
                for (int cut = 0; cut < 3; cut++) {
                    awaitRecovered(replica, committed);
                    proxy.cutAll();
                }
                awaitRecovered(replica, committed);
                fixture.source().execute("FLUSH BINARY LOGS"); // a rotation right before the reconnect
                proxy.cutAll();

                awaitRecovered(replica, committed);
                proxy.stall(); // silent, not closed: only the heartbeat watchdog notices
                Thread.sleep(6_000);
                proxy.resume();

                awaitRecovered(replica, committed);
                proxy.refuse(true);
                proxy.cutAll();
                Thread.sleep(2_000);
                proxy.refuse(false);

                awaitRecovered(replica, committed);
                fixture.source().restart();
                awaitRecovered(replica, committed);
                assertThat(proxy.connectionsAccepted() - accepted).as("reconnections through the proxy")
                        .isGreaterThanOrEqualTo(7);
            } finally {
                running.set(false);
                load.join();
            }
            try {
                fixture.awaitCaughtUp(replica);
                assertThat(replica.state()).as("failure: %s", replica.failure()).isEqualTo(ReplicaState.RUNNING);
                fixture.assertTablesMatch("sf");
                GtidSet executed = GtidSet.parse(fixture.source().gtidExecuted());
                assertThat(fixture.targetCheckpoint()).isEqualTo(executed);
                assertThat(replica.appliedGtids()).isEqualTo(executed);
            } finally {
                replica.stop();
            }
        }
    }

    /**
     * Waits until the load committed more and the replica applied everything the source had then: the reader is
     * connected again, so the next fault meets a working stream.
     */
    private static void awaitRecovered(Replica replica, AtomicLong committed) throws InterruptedException {
        long target = committed.get() + 50;
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (committed.get() < target) {
            assertThat(System.nanoTime()).as("the load commits again within 90 s").isLessThan(deadline);
            Thread.sleep(10);
        }
        GtidSet wanted = GtidSet.parse(fixture.source().gtidExecuted());
        while (!replica.appliedGtids().containsAll(wanted)) {
            assertThat(replica.state()).as("failure: %s", replica.failure()).isEqualTo(ReplicaState.RUNNING);
            assertThat(System.nanoTime()).as("the replica recovers within 90 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    /** Writes transactions, reconnecting whenever the source goes away, until told to stop. */
    private static void writeUntilStopped(AtomicBoolean running, AtomicLong committed) {
        Random random = new Random(5);
        while (running.get()) {
            try (Connection connection = fixture.source().connect();
                 Statement statement = connection.createStatement()) {
                connection.setAutoCommit(false);
                while (running.get()) {
                    int counter = 1 + random.nextInt(100);
                    statement.execute("INSERT INTO sf.counters VALUES (" + counter + ", 1) ON DUPLICATE KEY UPDATE "
                            + "n = n + 1");
                    statement.execute("INSERT INTO sf.events (counter, body) VALUES (" + counter + ", REPEAT('e', "
                            + random.nextInt(300) + "))");
                    connection.commit();
                    committed.incrementAndGet();
                }
            } catch (SQLException e) {
                // The source is restarting, or a commit's outcome is unknown: either way the target must end equal
                // to whatever the source ends with. Try again shortly.
                sleepQuietly(200);
            }
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
