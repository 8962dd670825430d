package dev.binrelay.applier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.binrelay.checkpoint.BinlogPosition;
import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.checkpoint.Interval;
import dev.binrelay.checkpoint.PositionAnchor;
import dev.binrelay.checkpoint.PositionAnchors;
import dev.binrelay.engine.ApplyError;
import dev.binrelay.engine.Replica;
import dev.binrelay.engine.ReplicaException;
import dev.binrelay.engine.ReplicaState;
import dev.binrelay.engine.ReplicationFilter;
import dev.binrelay.engine.SchedulerKind;
import dev.binrelay.engine.SourceMode;
import dev.binrelay.testkit.EmbeddedMySql;
import dev.binrelay.testkit.SourceAndTarget;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Position mode: a source with gtid_mode=OFF replicated by file and position, with synthetic GTIDs and per-worker
 * anchors, under parallel apply, abrupt ends and restarts; the target ends identical to the source.
 */
class PositionModeTest {
    @RegisterExtension
    static final ReplicaFixture fixture = new ReplicaFixture(
            SourceAndTarget.withSource(EmbeddedMySql::startSourceWithoutGtids));

    @ParameterizedTest(name = "{0} with 4 workers")
    @EnumSource(value = SchedulerKind.class, names = {"WRITESET", "LOGICAL_CLOCK"})
    void concurrentWritersAndDdlUnderParallelApplyEndIdentical(SchedulerKind scheduler) throws Exception {
        Replica replica = fixture.startReplica(builder -> builder.mode(SourceMode.POSITION).scheduler(scheduler)
                .workers(4));
        try {
            createSchema();
            AtomicBoolean running = new AtomicBoolean(true);
            Thread load = startLoad(running, 3);
            Thread.sleep(1500);
            fixture.source().execute("ALTER TABLE pm.events ADD COLUMN note VARCHAR(20) DEFAULT 'x'",
                    "CREATE TABLE pm.later (id INT PRIMARY KEY, v INT)", "INSERT INTO pm.later VALUES (1, 1), (2, 2)");
            Thread.sleep(1500);
            running.set(false);
            load.join();
            fixture.source().execute("UPDATE pm.later SET v = v + 10");

            awaitCaughtUp(replica);

            fixture.assertTablesMatch("pm");
            assertThat(fixture.source().queryString("SELECT COUNT(*) FROM pm.events")).isNotEqualTo("0");
        } finally {
            replica.stop();
        }
    }

    @Test
    void replicaEndedAbruptlyAgainAndAgainUnderParallelApplyLosesAndRepeatsNothing() throws Exception {
        Replica replica = startCrashable(true);
        createSchema();
        awaitCaughtUp(replica);
        AtomicBoolean running = new AtomicBoolean(true);
        Thread load = startLoad(running, 3);
        try {
            int abrupt = 0;
            for (int round = 0; round < 8; round++) {
                Thread.sleep(600);
                if (round % 3 == 2) {
                    replica.stop();
                } else {
                    // retries(0): a lost target connection ends the replica at once, its workers mid-transaction.
                    killApplierConnections();
                    assertThat(replica.awaitTermination(Duration.ofSeconds(30))).as("replica ended").isTrue();
                    abrupt += replica.state() == ReplicaState.FAILED ? 1 : 0;
                }
                // Relaxed commit order every other run, so that the checkpoint has gaps to resume across.
                replica = startCrashable(round % 2 == 0);
            }
            assertThat(abrupt).as("replicas ended by a lost target connection").isPositive();
        } finally {
            running.set(false);
            load.join();
        }
        try {
            awaitCaughtUp(replica);
            fixture.assertTablesMatch("pm");
            // A counter incremented twice, or an event inserted twice or lost, shows in the sums.
            assertThat(fixture.target().queryString("SELECT SUM(n) FROM pm.counters"))
                    .isEqualTo(fixture.source().queryString("SELECT COUNT(*) FROM pm.events"));
        } finally {
            replica.stop();
        }
    }

    @Test
    void givenStartFileAndPositionSkipsWhatCameBefore() throws Exception {
        String table = "CREATE TABLE ps.t (id INT PRIMARY KEY, v VARCHAR(10))";
        fixture.source().execute("CREATE DATABASE ps", table, "INSERT INTO ps.t VALUES (1, 'before'), (2, 'before')");
        BinlogPosition start = sourcePosition();
        fixture.source().execute("INSERT INTO ps.t VALUES (3, 'after')", "UPDATE ps.t SET v = 'late' WHERE id = 3");
        fixture.target().execute("CREATE DATABASE ps", table);

        Replica replica = fixture.startReplica(builder -> builder.mode(SourceMode.AUTO).startPosition(start)
                .workers(2).scheduler(SchedulerKind.WRITESET));
        try {
            fixture.source().execute("INSERT INTO ps.t VALUES (4, 'after')");
            awaitCaughtUp(replica);
            assertThat(fixture.target().queryString("SELECT GROUP_CONCAT(id, v ORDER BY id) FROM ps.t"))
                    .isEqualTo("3late,4after");
        } finally {
            replica.stop();
        }
    }

    @Test
    void withoutStartPositionStartsAtTheSourcesCurrentPosition() throws Exception {
        String table = "CREATE TABLE pc.t (id INT PRIMARY KEY)";
        fixture.source().execute("CREATE DATABASE pc", table, "INSERT INTO pc.t VALUES (1), (2)");
        // The target holds what came before, as after a copy.
        fixture.target().execute("CREATE DATABASE pc", table, "INSERT INTO pc.t VALUES (1), (2)");

        Replica replica = fixture.startReplica(builder -> builder.mode(SourceMode.AUTO));
        try {
            assertThat(replica.status().source().binlogFile()).isNotEmpty();
            fixture.source().execute("INSERT INTO pc.t VALUES (3)", "DELETE FROM pc.t WHERE id = 1");
            awaitCaughtUp(replica);
            assertThat(fixture.target().queryString("SELECT GROUP_CONCAT(id ORDER BY id) FROM pc.t")).isEqualTo("2,3");
        } finally {
            replica.stop();
        }
    }

    @Test
    void theAnchorMovesPastTransactionsTheFiltersEmpty() throws Exception {
        String kept = "CREATE TABLE pf.kept (id INT PRIMARY KEY)";
        String noise = "CREATE TABLE pf.noise (id INT PRIMARY KEY)";
        fixture.source().execute("CREATE DATABASE pf", kept, noise);
        fixture.target().execute("CREATE DATABASE pf", kept, noise);

        Replica replica = fixture.startReplica(builder -> builder.mode(SourceMode.AUTO).workers(2)
                .filter(ReplicationFilter.builder().ignoreTable("pf.noise").build()));
        try {
            fixture.source().execute("INSERT INTO pf.kept VALUES (1)");
            for (int i = 1; i <= 20; i++) {
                fixture.source().execute("INSERT INTO pf.noise VALUES (" + i + ")");
            }
            // Caught up means an anchor at the source's end: only the filtered transactions reach it.
            awaitCaughtUp(replica);
            assertThat(fixture.target().queryString("SELECT COUNT(*) FROM pf.kept")).isEqualTo("1");
            assertThat(fixture.target().queryString("SELECT COUNT(*) FROM pf.noise")).isEqualTo("0");
        } finally {
            replica.stop();
        }
    }

    @Test
    void numberedTransactionsWithoutTheirAnchorsAreRefusedRatherThanNumberedAgain() throws Exception {
        fixture.source().execute("CREATE DATABASE pa", "CREATE TABLE pa.t (id INT PRIMARY KEY)");
        fixture.target().execute("CREATE DATABASE pa", "CREATE TABLE pa.t (id INT PRIMARY KEY)");
        Replica replica = fixture.startReplica(builder -> builder.mode(SourceMode.AUTO));
        try {
            fixture.source().execute("INSERT INTO pa.t VALUES (1)", "INSERT INTO pa.t VALUES (2)");
            awaitCaughtUp(replica);
        } finally {
            replica.stop();
        }
        // Numbering again from 1 would take the next transactions for ones already applied and drop them.
        fixture.target().execute("DELETE FROM binrelay.binlog_position");

        assertThatThrownBy(() -> fixture.startReplica(builder -> builder.mode(SourceMode.AUTO)))
                .isInstanceOf(ReplicaException.class)
                .hasMessageContaining("no position anchors");
    }

    @Test
    void purgedAnchorFileIsNamedWithItsPosition() throws Exception {
        fixture.source().execute("CREATE DATABASE pp");
        BinlogPosition start = sourcePosition();
        fixture.source().execute("FLUSH BINARY LOGS");
        String newest = sourcePosition().file();
        fixture.source().execute("PURGE BINARY LOGS TO '" + newest + "'");

        Replica replica = Replica.builder().source(fixture.sourceSettings())
                .applier(new JdbcApplier(fixture.targetSettings())).mode(SourceMode.POSITION).startPosition(start)
                .build();
        try {
            replica.start();
            throw new AssertionError("started from a purged file");
        } catch (RuntimeException e) {
            assertThat(e).hasMessageContaining(start.file()).hasMessageContaining(start.toString())
                    .hasMessageContaining("no longer has");
        }
    }

    @Test
    void statusNamesTheModeAndThePositionAppliedThrough() throws Exception {
        String table = "CREATE TABLE pst.t (id INT PRIMARY KEY)";
        fixture.source().execute("CREATE DATABASE pst", table);
        fixture.target().execute("CREATE DATABASE pst", table);
        Replica replica = fixture.startReplica(builder -> builder.mode(SourceMode.AUTO).workers(3)
                .scheduler(SchedulerKind.WRITESET).preserveCommitOrder(false));
        try {
            assertThat(replica.status().mode()).isEqualTo(SourceMode.POSITION);
            fixture.source().execute("INSERT INTO pst.t VALUES (1)", "INSERT INTO pst.t VALUES (2)",
                    "INSERT INTO pst.t VALUES (3)");
            awaitCaughtUp(replica);
            String end = sourcePosition().toString();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            // The workers tell the status right after their commit, which awaitCaughtUp saw on the target.
            while (!end.equals(replica.status().applier().appliedPosition())) {
                assertThat(System.nanoTime()).as("applied position %s, source at %s",
                        replica.status().applier().appliedPosition(), end).isLessThan(deadline);
                Thread.sleep(20);
            }
        } finally {
            replica.stop();
        }
    }

    @Test
    void failedStatementIsNamedByWhereItEndsInTheBinaryLog() throws Exception {
        fixture.source().execute("CREATE DATABASE pf", "CREATE TABLE pf.t (id INT PRIMARY KEY)");
        fixture.target().execute("CREATE DATABASE pf"); // without the table: the ALTER fails
        Replica replica = fixture.startReplica(builder -> builder.mode(SourceMode.POSITION));
        fixture.source().execute("ALTER TABLE pf.t ADD COLUMN v INT");
        BinlogPosition end = sourcePosition();

        ReplicaFixture.assertFailsWith(replica, "GTID " + end + " (", "ALTER TABLE");
        ApplyError error = replica.status().applier().lastError();
        assertThat(error.gtid()).startsWith(end + " (").endsWith(":1)");
        assertThat(error.targetErrorCode()).isEqualTo(1146);
    }

    private static Replica startCrashable(boolean preserveCommitOrder) {
        Consumer<Replica.Builder> options = builder -> builder.mode(SourceMode.POSITION)
                .scheduler(SchedulerKind.WRITESET).workers(4).retries(0).preserveCommitOrder(preserveCommitOrder)
                .stopTimeout(Duration.ofSeconds(5));
        return fixture.startReplica(options);
    }

    private static void createSchema() {
        fixture.source().execute("CREATE DATABASE pm",
                "CREATE TABLE pm.counters (id INT PRIMARY KEY, n BIGINT NOT NULL)",
                "CREATE TABLE pm.events (id BIGINT AUTO_INCREMENT PRIMARY KEY, counter INT NOT NULL, body "
                        + "VARCHAR(100))",
                "INSERT INTO pm.counters WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100)"
                        + " SELECT i, 0 FROM n");
    }

    /** Clients each moving a counter and appending the event that says so, in one transaction. */
    private static Thread startLoad(AtomicBoolean running, int clients) {
        Thread load = new Thread(() -> SourceClients.run(fixture.source(), clients, Integer.MAX_VALUE, 17,
                running::get, (statement, random, client, i) -> {
                    int counter = 1 + random.nextInt(100);
                    statement.execute("UPDATE pm.counters SET n = n + 1 WHERE id = " + counter);
                    statement.execute("INSERT INTO pm.events (counter, body) VALUES (" + counter + ", 'c" + client
                            + "-" + i + "')");
                }), "load");
        load.start();
        return load;
    }

    /**
     * Waits until the target holds every transaction up to the source's current end: the synthetic GTIDs are one
     * interval from 1 (no gap), and the anchor of its last transaction ends where the source's binary log ends.
     */
    private static void awaitCaughtUp(Replica replica) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            assertThat(replica.state()).as("replica state, failure: %s", replica.failure())
                    .isEqualTo(ReplicaState.RUNNING);
            BinlogPosition end = sourcePosition();
            String serverUuid = fixture.source().queryString("SELECT @@server_uuid");
            UUID sourceId = PositionAnchors.sourceIdFor(serverUuid);
            GtidSet checkpoint = fixture.targetCheckpoint();
            List<Interval> intervals = checkpoint.intervals(sourceId);
            List<PositionAnchor> anchors = anchors();
            if (intervals.size() == 1 && intervals.get(0).start() == 1) {
                long last = intervals.get(0).end();
                if (anchors.stream().anyMatch(a -> a.seq() == last && a.end().equals(end))) {
                    return;
                }
            } else if (intervals.isEmpty() && anchors.stream().anyMatch(a -> a.seq() == 0 && a.end().equals(end))) {
                return; // nothing written since the start
            }
            assertThat(System.nanoTime()).as("caught up with %s within 90 s; checkpoint %s, anchors %s", end,
                    checkpoint, anchors).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static List<PositionAnchor> anchors() throws SQLException {
        try (Connection connection = fixture.target().connect()) {
            return new PositionAnchors("binrelay", "default").load(connection);
        }
    }

    private static BinlogPosition sourcePosition() throws SQLException {
        try (Connection connection = fixture.source().connect(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SHOW MASTER STATUS")) {
            row.next();
            return new BinlogPosition(row.getString(1), row.getLong(2));
        }
    }

    /** Kills every connection of the target's binrelay pool. */
    private static void killApplierConnections() throws SQLException {
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
    }
}
