package dev.binrelay.applier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.engine.ApplierState;
import dev.binrelay.engine.Replica;
import dev.binrelay.engine.ReplicaState;
import dev.binrelay.engine.SchedulerKind;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Pausing the applier (STOP REPLICA SQL_THREAD) under load loses, repeats and reorders nothing. */
class PauseResumeTest {
    @RegisterExtension
    static final ReplicaFixture fixture = new ReplicaFixture();

    @Test
    void pausingAndResumingTwentyTimesUnderParallelLoadEndsIdentical() throws Exception {
        createSchema();
        Replica replica = fixture.startReplica(builder -> builder.scheduler(SchedulerKind.WRITESET).workers(4)
                .batchSize(4));
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread load = new Thread(() -> SourceClients.run(fixture.source(), 4, Integer.MAX_VALUE, 7, writing::get,
                (statement, random, client, i) -> {
                    // Hot rows shared by all clients (conflicts, so dependencies between workers) and cold inserts.
                    int from = random.nextInt(10);
                    int to = random.nextInt(10);
                    statement.executeUpdate("UPDATE pr.accounts SET balance = balance - 1 WHERE id = " + from);
                    statement.executeUpdate("UPDATE pr.accounts SET balance = balance + 1 WHERE id = " + to);
                    statement.executeUpdate("INSERT INTO pr.events (client, seq, note) VALUES (" + client + ", " + i
                            + ", 'transfer " + from + "->" + to + "')");
                }), "load");
        load.start();
        Random random = new Random(20);
        try {
            for (int round = 0; round < 20; round++) {
                Thread.sleep(50 + random.nextInt(250));
                replica.pause();
                assertThat(replica.status().applier().state()).isEqualTo(ApplierState.PAUSED);
                GtidSet whenPaused = fixture.targetCheckpoint();
                long appliedWhenPaused = replica.status().applier().transactionsApplied();
                Thread.sleep(random.nextInt(200));
                assertThat(fixture.targetCheckpoint()).as("nothing committed while paused (round %d)", round)
                        .isEqualTo(whenPaused);
                assertThat(replica.status().applier().transactionsApplied()).isEqualTo(appliedWhenPaused);
                replica.pause(); // idempotent
                replica.resume();
                assertThat(replica.status().applier().state()).isEqualTo(ApplierState.RUNNING);
                replica.resume(); // idempotent
            }
            writing.set(false);
            load.join();
            fixture.awaitCaughtUp(replica);
            fixture.assertTablesMatch("pr");
            assertThat(fixture.targetCheckpoint()).isEqualTo(GtidSet.parse(fixture.source().gtidExecuted()));
            assertThat(replica.status().applier().transactionsApplied()).as("transactions applied")
                    .isGreaterThan(100);
        } finally {
            writing.set(false);
            load.join();
            replica.stop();
        }
    }

    @Test
    void stopWhilePausedWithABacklogIsPromptAndKeepsTheCheckpointExact() throws Exception {
        createSchema();
        Replica replica = fixture.startReplica(builder -> builder.scheduler(SchedulerKind.WRITESET).workers(4));
        fixture.awaitCaughtUp(replica);
        replica.pause();
        for (int i = 0; i < 50; i++) {
            fixture.source().execute("INSERT INTO pr.events (client, seq, note) VALUES (0, " + i + ", 'backlog')");
        }
        long start = System.nanoTime();
        replica.stop();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("stop while paused").isLessThan(Duration.ofSeconds(5));
        assertThat(replica.state()).isEqualTo(ReplicaState.STOPPED);
        assertThat(replica.status().applier().state()).isEqualTo(ApplierState.STOPPED);
        assertThatThrownBy(replica::resume).isInstanceOf(IllegalStateException.class);
        assertThat(fixture.target().queryString("SELECT COUNT(*) FROM pr.events")).as("nothing applied while paused")
                .isEqualTo("0");

        Replica again = fixture.startReplica();
        try {
            fixture.awaitCaughtUp(again);
            fixture.assertTablesMatch("pr");
        } finally {
            again.stop();
        }
    }

    /** Creates the tables on the source; the replica, started afterwards, replicates them too. */
    private static void createSchema() {
        fixture.fixStartPositionNow();
        fixture.source().execute("CREATE DATABASE pr",
                "CREATE TABLE pr.accounts (id INT PRIMARY KEY, balance BIGINT NOT NULL)",
                "CREATE TABLE pr.events (id BIGINT AUTO_INCREMENT PRIMARY KEY, client INT NOT NULL, seq INT NOT NULL, "
                        + "note VARCHAR(40))");
        StringBuilder rows = new StringBuilder("INSERT INTO pr.accounts VALUES ");
        for (int id = 0; id < 10; id++) {
            rows.append(id == 0 ? "" : ", ").append('(').append(id).append(", 1000)");
        }
        fixture.source().execute(rows.toString());
    }
}
