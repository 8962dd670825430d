package dev.binrelay.applier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.engine.Replica;
import dev.binrelay.engine.ReplicaState;
import dev.binrelay.engine.SchedulerKind;
import dev.binrelay.engine.WorkerStatus;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Faults on the target while the source is under load: the applier's connections killed, the target restarted, and
 * a deadlock caused by another session. The replica retries (rolls back, reconnects after a pause, applies the whole
 * transaction again, and after a commit whose outcome the lost connection hid, asks the checkpoint) and ends with the
 * target equal to the source and an exact checkpoint.
 */
class TargetFaultTest {
    @RegisterExtension
    static final ReplicaFixture fixture = new ReplicaFixture();

    @Test
    void applierConnectionsKilledAgainAndAgainUnderLoadLoseAndRepeatNothing() throws Exception {
        Replica replica = startReplicaWithSchema(SchedulerKind.WRITESET, 4);
        try {
            AtomicBoolean running = new AtomicBoolean(true);
            Thread load = startLoad(running);
            int killed = 0;
            for (int round = 0; round < 15; round++) {
                Thread.sleep(300);
                killed += killApplierConnections();
            }
            running.set(false);
            load.join();
            assertThat(killed).as("applier connections killed").isPositive();
            fixture.awaitCaughtUp(replica);
            assertThat(replica.status().workers().stream().mapToLong(WorkerStatus::replays).sum())
                    .as("transactions applied again after a lost connection").isPositive();
            assertIdenticalWithExactCheckpoint(replica);
        } finally {
            replica.stop();
        }
    }

    @Test
    void targetRestartedUnderLoadIsWaitedForAndNothingIsLostOrRepeated() throws Exception {
        Replica replica = startReplicaWithSchema(SchedulerKind.LOGICAL_CLOCK, 4);
        try {
            AtomicBoolean running = new AtomicBoolean(true);
            Thread load = startLoad(running);
            for (int restart = 0; restart < 2; restart++) {
                Thread.sleep(1500);
                fixture.target().restart(); // SIGTERM: in-flight target transactions roll back
            }
            Thread.sleep(1000);
            fixture.target().kill(); // a crash, then the same data directory again
            fixture.target().start();
            running.set(false);
            load.join();
            fixture.awaitCaughtUp(replica);
            assertIdenticalWithExactCheckpoint(replica);
        } finally {
            replica.stop();
        }
    }

    @Test
    void deadlockWithAnotherSessionOnTheTargetIsReplayed() throws Exception {
        Replica replica = startReplicaWithSchema(SchedulerKind.SERIAL, 1);
        try {
            fixture.source().execute("INSERT INTO tf.pair VALUES (1, 0), (2, 0)");
            fixture.awaitCaughtUp(replica);
            try (Connection other = fixture.target().connect(); Statement statement = other.createStatement()) {
                other.setAutoCommit(false);
                // Heavier than the applier's transaction (200 undo records, rolled back below), so that InnoDB picks
                // the applier as the deadlock victim.
                statement.execute("UPDATE tf.counters SET n = n + 1 WHERE id > 0");
                statement.execute("UPDATE tf.pair SET v = v WHERE id = 1");
                // The source's transaction locks row 2, then waits for row 1, which we hold...
                Thread source = new Thread(() -> fixture.source().execute("BEGIN",
                        "UPDATE tf.pair SET v = v + 1 WHERE id = 2", "UPDATE tf.pair SET v = v + 1 WHERE id = 1",
                        "COMMIT"));
                source.start();
                source.join();
                awaitApplierLockWait();
                // ...and now we wait for row 2: a deadlock.
                statement.execute("UPDATE tf.pair SET v = v WHERE id = 2");
                other.rollback();
            }
            fixture.awaitCaughtUp(replica);
            assertThat(replica.status().workers().stream().mapToLong(WorkerStatus::replays).sum())
                    .as("replays after the deadlock").isPositive();
            assertIdenticalWithExactCheckpoint(replica);
        } finally {
            replica.stop();
        }
    }

    private static Replica startReplicaWithSchema(SchedulerKind scheduler, int workers) throws Exception {
        Replica replica = fixture.startReplica(builder -> builder.scheduler(scheduler).workers(workers).retries(50));
        fixture.source().execute("CREATE DATABASE tf",
                "CREATE TABLE tf.counters (id INT PRIMARY KEY, n BIGINT NOT NULL)",
                "CREATE TABLE tf.events (id BIGINT AUTO_INCREMENT PRIMARY KEY, counter INT NOT NULL, body "
                        + "VARCHAR(100))",
                "CREATE TABLE tf.pair (id INT PRIMARY KEY, v INT NOT NULL)",
                "INSERT INTO tf.counters WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)"
                        + " SELECT i, 0 FROM n");
        fixture.awaitCaughtUp(replica);
        return replica;
    }

    /** Three clients moving counters and appending events until told to stop. */
    private static Thread startLoad(AtomicBoolean running) {
        Thread load = new Thread(() -> SourceClients.run(fixture.source(), 3, Integer.MAX_VALUE, 11, running::get,
                (statement, random, client, i) -> {
                    int counter = 1 + random.nextInt(200);
                    statement.execute("UPDATE tf.counters SET n = n + 1 WHERE id = " + counter);
                    statement.execute("INSERT INTO tf.events (counter, body) VALUES (" + counter + ", 'c" + client
                            + "-" + i + "')");
                }), "load");
        load.start();
        return load;
    }

    /** Kills every connection of the target's binrelay pool; returns how many. */
    private static int killApplierConnections() throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Connection target = fixture.target().connect(); Statement statement = target.createStatement()) {
            try (ResultSet rows = statement.executeQuery("SELECT id FROM information_schema.processlist "
                    + "WHERE id <> CONNECTION_ID() AND user = 'root' AND command <> 'Daemon'")) {
                while (rows.next()) {
                    ids.add(rows.getLong(1));
                }
            }
            for (long id : ids) {
                try {
                    statement.execute("KILL CONNECTION " + id);
                } catch (SQLException gone) {
                    // it ended on its own meanwhile
                }
            }
        }
        return ids.size();
    }

    private static void awaitApplierLockWait() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (fixture.target().queryString("SELECT COUNT(*) FROM information_schema.processlist WHERE state LIKE "
                + "'%lock%' OR info LIKE 'UPDATE `tf`.`pair`%'").equals("0")) {
            assertThat(System.nanoTime()).as("the applier waits for our lock within 30 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static void assertIdenticalWithExactCheckpoint(Replica replica) throws SQLException {
        assertThat(replica.state()).as("state, failure: %s", replica.failure()).isEqualTo(ReplicaState.RUNNING);
        fixture.assertTablesMatch("tf");
        assertThat(fixture.targetCheckpoint()).isEqualTo(GtidSet.parse(fixture.source().gtidExecuted()));
    }
}
