package dev.binrelay.applier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.binrelay.checkpoint.Gtid;
import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.engine.ApplierState;
import dev.binrelay.engine.ApplierStatus;
import dev.binrelay.engine.ApplyError;
import dev.binrelay.engine.ReaderState;
import dev.binrelay.engine.Replica;
import dev.binrelay.engine.ReplicaListener;
import dev.binrelay.engine.ReplicaState;
import dev.binrelay.engine.ReplicaStatus;
import dev.binrelay.engine.SchedulerKind;
import dev.binrelay.engine.SourceSettings;
import dev.binrelay.engine.SourceStatus;
import dev.binrelay.engine.event.Transaction;
import dev.binrelay.testkit.EmbeddedMySql;
import dev.binrelay.testkit.SourceAndTarget;
import dev.binrelay.testkit.TableChecksum;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * binrelay embedded in an application, as the README's "Embedding" section shows: the public API only, in a plain
 * JUnit test against testkit's servers. Status figures are checked against what the test did.
 */
class EmbeddingApiTest {
    @RegisterExtension
    static final SourceAndTarget servers = SourceAndTarget.create().keepSchemasBetweenTests();

    @Test
    void anApplicationFollowsItsReplicaThroughAwaitStatusPauseListenersAndAFailure() throws Exception {
        EmbeddedMySql source = servers.source();
        EmbeddedMySql target = servers.target();
        String before = source.gtidExecuted();
        List<Gtid> applied = new CopyOnWriteArrayList<>();
        List<ReplicaState> states = new CopyOnWriteArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();

        // --- the README example ---
        Replica replica = Replica.builder()
                .source(SourceSettings.builder(source.host(), source.port()).user(source.user())
                        .password(source.password()).serverId(4343).startGtids(before)
                        .heartbeat(Duration.ofSeconds(1)).connectTimeout(Duration.ofSeconds(10)).build())
                .applier(new JdbcApplier(new TargetSettings(target.jdbcUrl(), target.user(), target.password(),
                        "binrelay", "default")))
                .workers(4)
                .scheduler(SchedulerKind.WRITESET)
                .listener(new ReplicaListener() {
                    @Override
                    public void applied(Transaction transaction) {
                        applied.add(transaction.gtid());
                    }

                    @Override
                    public void failed(Throwable error) {
                        failures.add(error);
                    }

                    @Override
                    public void stateChanged(ReplicaState state) {
                        states.add(state);
                    }
                })
                .build();
        replica.start();
        // --- end of the README example's set-up ---
        try {
            assertThat(states).containsExactly(ReplicaState.STARTING, ReplicaState.RUNNING);

            source.execute("CREATE DATABASE shop",
                    "CREATE TABLE shop.orders (id INT PRIMARY KEY, item VARCHAR(40) NOT NULL, qty INT NOT NULL)");
            try (Connection connection = source.connect(); Statement statement = connection.createStatement()) {
                connection.setAutoCommit(false);
                for (int i = 0; i < 20; i++) {
                    for (int j = 0; j < 3; j++) {
                        int id = i * 3 + j;
                        statement.executeUpdate("INSERT INTO shop.orders VALUES (" + id + ", 'item " + id + "', 1)");
                    }
                    connection.commit();
                }
                for (int i = 0; i < 5; i++) {
                    statement.executeUpdate("UPDATE shop.orders SET qty = qty + 1 WHERE id IN (" + i + ", " + (i + 30)
                            + ")");
                    connection.commit();
                }
            }
            GtidSet executed = GtidSet.parse(source.gtidExecuted());
            assertThat(replica.awaitGtids(executed, Duration.ofSeconds(60))).as("caught up").isTrue();

            GtidSet written = executed.subtract(GtidSet.parse(before));
            assertThat(written.count()).isEqualTo(2 + 20 + 5);
            assertThat(applied).as("each applied transaction told once").doesNotHaveDuplicates()
                    .hasSize((int) written.count());
            assertThat(asSet(applied)).isEqualTo(written);

            ReplicaStatus status = replica.status();
            assertThat(status.state()).isEqualTo(ReplicaState.RUNNING);
            ApplierStatus applier = status.applier();
            assertThat(applier.state()).isEqualTo(ApplierState.RUNNING);
            assertThat(applier.transactionsApplied()).isEqualTo(27);
            assertThat(applier.rowsApplied()).isEqualTo(20 * 3 + 5 * 2);
            assertThat(GtidSet.parse(applier.executedGtids())).isEqualTo(executed);
            assertThat(applier.lastAppliedGtid()).isNotEmpty();
            assertThat(applier.inFlight()).isZero();
            assertThat(applier.heldBytes()).isZero();
            assertThat(applier.ringSize()).isEqualTo(1024);
            assertThat(applier.transactionsPerSecond()).as("recent rate").isPositive();
            assertThat(applier.lastError()).isNull();
            eventually("lag 0 once caught up", () -> replica.status().applier().lagSeconds(), 0.0);
            SourceStatus reader = status.source();
            assertThat(reader.state()).isEqualTo(ReaderState.CONNECTED);
            assertThat(reader.address()).isEqualTo(source.host() + ":" + source.port());
            assertThat(reader.serverUuid()).isEqualTo(source.serverUuid());
            assertThat(reader.binlogFile()).isNotEmpty();
            assertThat(reader.binlogPosition()).isPositive();
            assertThat(GtidSet.parse(reader.receivedGtids())).isEqualTo(executed);
            assertThat(reader.lastEventTime()).isNotNull();
            assertThat(reader.lastError()).isEmpty();

            // Paused: the reader goes on receiving, nothing is applied, and the lag grows.
            replica.pause();
            assertThat(replica.status().applier().state()).isEqualTo(ApplierState.PAUSED);
            TableChecksum whenPaused = checksum(target, "orders");
            for (int i = 100; i < 110; i++) {
                source.execute("INSERT INTO shop.orders VALUES (" + i + ", 'while paused', 1)");
            }
            GtidSet afterPause = GtidSet.parse(source.gtidExecuted());
            eventually("received while paused",
                    () -> GtidSet.parse(replica.status().source().receivedGtids()).containsAll(afterPause), true);
            Thread.sleep(1_100);
            ReplicaStatus paused = replica.status();
            assertThat(paused.applier().lagSeconds()).as("lag while paused").isGreaterThanOrEqualTo(1.0);
            assertThat(paused.applier().inFlight()).isEqualTo(10);
            assertThat(paused.applier().transactionsApplied()).isEqualTo(27);
            assertThat(replica.awaitGtids(afterPause, Duration.ofSeconds(1))).isFalse();
            assertThat(checksum(target, "orders")).as("target unchanged while paused").isEqualTo(whenPaused);

            replica.resume();
            assertThat(replica.awaitGtids(afterPause, Duration.ofSeconds(30))).as("caught up after resume").isTrue();
            assertThat(replica.status().applier().state()).isEqualTo(ApplierState.RUNNING);
            assertThat(checksum(target, "orders")).isEqualTo(checksum(source, "orders"));
            eventually("lag 0 again", () -> replica.status().applier().lagSeconds(), 0.0);

            // A transaction the target refuses stops the replica with the GTID, the table and the target's code.
            target.execute("DROP TABLE shop.orders");
            source.execute("INSERT INTO shop.orders VALUES (500, 'refused', 1)");
            Gtid refused = lastGtid(source);
            assertThat(replica.awaitTermination(Duration.ofSeconds(30))).isTrue();
            assertThat(replica.state()).isEqualTo(ReplicaState.FAILED);
            ApplyError error = replica.status().applier().lastError();
            assertThat(replica.status().applier().state()).isEqualTo(ApplierState.ERROR);
            assertThat(error).isNotNull();
            assertThat(error.gtid()).isEqualTo(refused.toString());
            assertThat(error.table()).isEqualTo("shop.orders");
            assertThat(error.targetErrorCode()).isEqualTo(1146);
            assertThat(error.message()).contains(refused.toString());
            assertThat(error.time()).isNotNull();
            assertThat(replica.status().applier().lagSeconds()).as("not running").isNull();
            assertThat(replica.status().source().state()).isEqualTo(ReaderState.STOPPED);
            assertThat(failures).hasSize(1);
            assertThat(failures.get(0)).hasMessageContaining(refused.toString());
            assertThat(states).endsWith(ReplicaState.FAILED);
            assertThat(applied).doesNotContain(refused);
        } finally {
            replica.stop();
        }
    }

    private static GtidSet asSet(List<Gtid> gtids) {
        GtidSet set = GtidSet.empty();
        for (Gtid gtid : gtids) {
            set = set.add(gtid);
        }
        return set;
    }

    private static Gtid lastGtid(EmbeddedMySql server) {
        UUID uuid = UUID.fromString(server.serverUuid());
        var intervals = GtidSet.parse(server.gtidExecuted()).intervals(uuid);
        return new Gtid(uuid, intervals.get(intervals.size() - 1).end());
    }

    private static TableChecksum checksum(EmbeddedMySql server, String table) throws SQLException {
        try (Connection connection = server.connect()) {
            return TableChecksum.of(connection, "shop", table);
        }
    }

    /** Waits up to 10 s for {@code value} to equal {@code expected}. */
    private static <T> void eventually(String what, Supplier<T> value, T expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!expected.equals(value.get()) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(value.get()).as(what).isEqualTo(expected);
    }
}
