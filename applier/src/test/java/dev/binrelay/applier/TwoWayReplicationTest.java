package dev.binrelay.applier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.binrelay.checkpoint.CheckpointStore;
import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.engine.Replica;
import dev.binrelay.engine.ReplicaState;
import dev.binrelay.engine.SourceSettings;
import dev.binrelay.testkit.EmbeddedMySql;
import dev.binrelay.testkit.SourceAndTarget;
import dev.binrelay.testkit.TableChecksum;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two servers with binary logs replicate into each other through two binrelay replicas, without echo. */
class TwoWayReplicationTest {
    private static final int ROWS_PER_SIDE = 60;
    private static final int INCREMENTS = 3;

    /** A (the source) and B (the target): both with binary log and GTIDs, each the other's source. */
    @RegisterExtension
    static final SourceAndTarget servers = SourceAndTarget.create().withTarget(EmbeddedMySql::startSource)
            .keepSchemasBetweenTests();

    @Test
    void concurrentWritersAndDdlOnBothSidesEndIdenticalWithEachRowOnceAndEachCheckpointHoldingTheOther()
            throws Exception {
        EmbeddedMySql a = servers.source();
        EmbeddedMySql b = servers.target();
        a.execute("CREATE DATABASE shared", "CREATE TABLE shared.items (id INT PRIMARY KEY, side CHAR(1), "
                + "c INT NOT NULL)");
        b.execute("CREATE DATABASE shared", "CREATE TABLE shared.items (id INT PRIMARY KEY, side CHAR(1), "
                + "c INT NOT NULL)");
        Replica aToB = replica(a, b, 7101);
        Replica bToA = replica(b, a, 7102);
        ExecutorService writers = Executors.newFixedThreadPool(2);
        try {
            Future<?> onA = writers.submit(() -> write(a, 1, "a"));
            Future<?> onB = writers.submit(() -> write(b, 2, "b"));
            onA.get();
            onB.get();

            awaitQuiet(aToB, bToA);

            for (String table : List.of("items", "from_a", "from_b")) {
                try (Connection ca = a.connect(); Connection cb = b.connect()) {
                    assertThat(TableChecksum.of(cb, "shared", table)).as(table)
                            .isEqualTo(TableChecksum.of(ca, "shared", table));
                }
            }
            assertThat(a.queryString("SELECT CONCAT(COUNT(*), '|', MIN(c), '|', MAX(c)) FROM shared.items"))
                    .as("each row once, each increment once").isEqualTo((2 * ROWS_PER_SIDE) + "|" + INCREMENTS + "|"
                            + INCREMENTS);
            assertThat(aToB.appliedGtids().containsAll(GtidSet.parse(a.gtidExecuted()))).isTrue();
            assertThat(bToA.appliedGtids().containsAll(GtidSet.parse(b.gtidExecuted()))).isTrue();

            // An echo is recorded with the next transaction that changes something (Transaction.echo): after one
            // more write on each side, each checkpoint holds all the other had executed before it.
            GtidSet beforeOnA = GtidSet.parse(a.gtidExecuted());
            GtidSet beforeOnB = GtidSet.parse(b.gtidExecuted());
            a.execute("INSERT INTO shared.from_a VALUES (3)");
            b.execute("INSERT INTO shared.from_b VALUES (3)");
            awaitQuiet(aToB, bToA);
            assertThat(checkpoint(b).containsAll(beforeOnA)).as("B's checkpoint holds A's %s", beforeOnA).isTrue();
            assertThat(checkpoint(a).containsAll(beforeOnB)).as("A's checkpoint holds B's %s", beforeOnB).isTrue();

            // Idle, each side compacts its checkpoint once; that must not come back as a new row to compact there.
            Thread.sleep(12_000);
            String idleA = a.gtidExecuted();
            String idleB = b.gtidExecuted();
            Thread.sleep(12_000); // longer than the compactor's period
            assertThat(a.gtidExecuted() + " / " + b.gtidExecuted()).as("no transactions while idle")
                    .isEqualTo(idleA + " / " + idleB);

            // Stopping, each records the echoes it still held back: its checkpoint then holds all the other
            // executed, so a restart needs none of the other's binary log that came before.
            GtidSet aBeforeStop = GtidSet.parse(a.gtidExecuted());
            aToB.stop();
            GtidSet bAfterAStopped = GtidSet.parse(b.gtidExecuted());
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!bToA.appliedGtids().containsAll(bAfterAStopped)) {
                assertThat(System.nanoTime()).as("B->A received %s", bAfterAStopped).isLessThan(deadline);
                Thread.sleep(50);
            }
            bToA.stop();
            assertThat(checkpoint(b).containsAll(aBeforeStop)).as("B's checkpoint holds A's %s", aBeforeStop)
                    .isTrue();
            assertThat(checkpoint(a).containsAll(bAfterAStopped)).as("A's checkpoint holds B's %s", bAfterAStopped)
                    .isTrue();
        } finally {
            writers.shutdownNow();
            aToB.stop();
            bToA.stop();
        }
    }

    private static void write(EmbeddedMySql server, int first, String side) {
        List<String> statements = new ArrayList<>();
        for (int i = 0; i < ROWS_PER_SIDE; i++) {
            int id = first + 2 * i;
            statements.add("INSERT INTO shared.items VALUES (" + id + ", '" + side + "', 0)");
            if (i == ROWS_PER_SIDE / 2) {
                statements.add("CREATE TABLE shared.from_" + side + " (id INT PRIMARY KEY)");
                statements.add("INSERT INTO shared.from_" + side + " VALUES (1), (2)");
            }
        }
        for (int round = 0; round < INCREMENTS; round++) {
            statements.add("UPDATE shared.items SET c = c + 1 WHERE side = '" + side + "'");
        }
        server.execute(statements.toArray(String[]::new));
    }

    private static Replica replica(EmbeddedMySql from, EmbeddedMySql to, long clientServerId) {
        SourceSettings source = SourceSettings.builder(from.host(), from.port()).user(from.user())
                .password(from.password()).serverId(clientServerId).startGtids("current")
                .heartbeat(Duration.ofSeconds(1)).connectTimeout(Duration.ofSeconds(10)).build();
        Replica replica = Replica.builder().source(source).applier(new JdbcApplier(new TargetSettings(to.jdbcUrl(),
                to.user(), to.password(), "binrelay", "default"))).build();
        replica.start();
        return replica;
    }

    /** Waits until each replica has applied all its source executed, and that stays so for a while (no ping-pong). */
    private static void awaitQuiet(Replica aToB, Replica bToA) throws InterruptedException {
        EmbeddedMySql a = servers.source();
        EmbeddedMySql b = servers.target();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        int quietRounds = 0;
        while (quietRounds < 10) {
            assertThat(aToB.state()).as("A->B: %s", aToB.failure()).isEqualTo(ReplicaState.RUNNING);
            assertThat(bToA.state()).as("B->A: %s", bToA.failure()).isEqualTo(ReplicaState.RUNNING);
            assertThat(System.nanoTime()).as("caught up within 90 s").isLessThan(deadline);
            boolean caughtUp = aToB.appliedGtids().containsAll(GtidSet.parse(a.gtidExecuted()))
                    && bToA.appliedGtids().containsAll(GtidSet.parse(b.gtidExecuted()));
            quietRounds = caughtUp ? quietRounds + 1 : 0;
            Thread.sleep(100);
        }
    }

    private static GtidSet checkpoint(EmbeddedMySql target) throws Exception {
        try (Connection connection = target.connect()) {
            return new CheckpointStore("binrelay", "default").load(connection);
        }
    }
}
