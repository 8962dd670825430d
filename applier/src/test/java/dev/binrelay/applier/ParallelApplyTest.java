package dev.binrelay.applier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.binrelay.checkpoint.Gtid;
import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.engine.Replica;
import dev.binrelay.engine.ReplicaState;
import dev.binrelay.engine.SchedulerKind;
import dev.binrelay.engine.SchedulerStatus;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** N workers apply at once; the target still ends identical to the source with an exact checkpoint. */
class ParallelApplyTest {
    private static final List<String> SCHEMA = List.of(
            "CREATE DATABASE pw",
            "CREATE TABLE pw.accounts (id INT PRIMARY KEY, code VARCHAR(20) NOT NULL, balance BIGINT NOT NULL, "
                    + "UNIQUE KEY uk_code (code))",
            "CREATE TABLE pw.items (id BIGINT PRIMARY KEY, owner INT NOT NULL, label VARCHAR(40) "
                    + "CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_ai_ci, KEY (owner))",
            "CREATE TABLE pw.notes (id BIGINT AUTO_INCREMENT PRIMARY KEY, body VARCHAR(100))",
            "CREATE TABLE pw.nokey (a INT, b VARCHAR(10))",
            "CREATE TABLE pw.parent (id INT PRIMARY KEY)",
            "CREATE TABLE pw.child (id INT PRIMARY KEY, parent INT, FOREIGN KEY (parent) REFERENCES pw.parent (id) "
                    + "ON DELETE CASCADE)",
            "CREATE DATABASE pw2",
            "CREATE TABLE pw2.counters (id INT PRIMARY KEY, n BIGINT NOT NULL)");

    @RegisterExtension
    static final ReplicaFixture fixture = new ReplicaFixture();

    static Stream<Arguments> schedulersAndWorkers() {
        List<Arguments> cases = new ArrayList<>();
        for (SchedulerKind kind : SchedulerKind.values()) {
            for (int workers : new int[] {1, 4, 16}) {
                cases.add(Arguments.of(kind, workers));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} with {1} workers")
    @MethodSource("schedulersAndWorkers")
    void concurrentHotAndColdWorkloadEndsIdentical(SchedulerKind scheduler, int workers) throws Exception {
        createSchema();
        Replica replica = fixture.startReplica(builder -> builder.scheduler(scheduler).workers(workers));
        try {
            runMixedWorkload(8, 120, 42);
            fixture.awaitCaughtUp(replica);
            fixture.assertTablesMatch("pw", "pw2");
            assertThat(fixture.targetCheckpoint()).isEqualTo(GtidSet.parse(fixture.source().gtidExecuted()));
            SchedulerStatus status = replica.status().scheduler();
            assertThat(status.scheduler()).isEqualTo(scheduler);
            assertThat(status.workers()).isEqualTo(workers);
            assertThat(status.barriers()).as("the DDL in the workload is a barrier").isPositive();
        } finally {
            replica.stop();
        }
    }

    @ParameterizedTest(name = "preserveCommitOrder={0}")
    @ValueSource(booleans = {true, false})
    void aTinyRingWithSharedCommitsNeverReusesTheSlotOfAnUncommittedTransaction(boolean preserve) throws Exception {
        createSchema();
        // 8 slots, runs of 4 per worker: the reader is constantly held back by commits that have not happened yet.
        Replica replica = fixture.startReplica(builder -> builder.scheduler(SchedulerKind.WRITESET).workers(4)
                .ringSize(8).batchSize(4).preserveCommitOrder(preserve));
        try {
            runMixedWorkload(8, 100, 11);
            fixture.awaitCaughtUp(replica);
            fixture.assertTablesMatch("pw", "pw2");
            assertThat(fixture.targetCheckpoint()).isEqualTo(GtidSet.parse(fixture.source().gtidExecuted()));
        } finally {
            replica.stop();
        }
    }

    @Test
    void preservedCommitOrderNeverShowsAStateTheSourceNeverHad() throws Exception {
        int rows = singleThreadedInsertBacklog(3000);
        Replica replica = fixture.startReplica(builder -> builder.scheduler(SchedulerKind.WRITESET).workers(4)
                .preserveCommitOrder(true).batchSize(4));
        long samples = 0;
        long midway = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        try (Connection target = fixture.target().connect(); Statement statement = target.createStatement()) {
            while (true) {
                assertThat(System.nanoTime()).as("all rows applied within 90 s").isLessThan(deadline);
                long[] countAndMax = countAndMax(statement);
                samples++;
                // Rows were inserted in id order by one client: every state the source had is a prefix 1..n.
                assertThat(countAndMax[0]).as("rows present vs highest id (sample %d)", samples)
                        .isEqualTo(countAndMax[1]);
                if (countAndMax[0] > 0 && countAndMax[0] < rows) {
                    midway++;
                }
                if (countAndMax[0] == rows) {
                    break;
                }
                assertThat(replica.state()).isEqualTo(ReplicaState.RUNNING);
            }
            fixture.awaitCaughtUp(replica);
            assertThat(midway).as("samples taken while applying").isGreaterThan(10);
            assertThat(replica.status().scheduler().independent()).as("transactions run in parallel")
                    .isGreaterThan(rows / 2);
        } finally {
            replica.stop();
        }
        fixture.assertTablesMatch("seq");
    }

    @Test
    void relaxedCommitOrderStillEndsIdentical() throws Exception {
        int rows = singleThreadedInsertBacklog(3000);
        Replica replica = fixture.startReplica(builder -> builder.scheduler(SchedulerKind.WRITESET).workers(4)
                .preserveCommitOrder(false).batchSize(4));
        long gapsSeen = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        try (Connection target = fixture.target().connect(); Statement statement = target.createStatement()) {
            long[] countAndMax;
            do {
                assertThat(System.nanoTime()).as("all rows applied within 90 s").isLessThan(deadline);
                countAndMax = countAndMax(statement);
                if (countAndMax[0] != countAndMax[1]) {
                    gapsSeen++;
                }
            } while (countAndMax[0] < rows && replica.state() == ReplicaState.RUNNING);
            fixture.awaitCaughtUp(replica);
        } finally {
            replica.stop();
        }
        System.out.println("relaxed commit order: " + gapsSeen + " samples showed a state the source never had");
        fixture.assertTablesMatch("seq");
        assertThat(fixture.targetCheckpoint()).isEqualTo(GtidSet.parse(fixture.source().gtidExecuted()));
    }

    @Test
    void writesetFindsParallelismInASingleThreadedSourceWhereLogicalClockFindsNone() throws Exception {
        int rows = singleThreadedInsertBacklog(1000);
        long logicalClock = independentTransactions(SchedulerKind.LOGICAL_CLOCK);
        fixture.target().execute("DROP DATABASE seq", "DROP DATABASE binrelay");
        fixture.target().execute("CREATE DATABASE seq", "CREATE TABLE seq.t (id INT PRIMARY KEY, v VARCHAR(20))");
        long writeset = independentTransactions(SchedulerKind.WRITESET);

        System.out.println("single-threaded source, " + rows + " transactions: logical_clock ran " + logicalClock
                + " without waiting for the one before, writeset " + writeset);
        assertThat(writeset).isGreaterThan(logicalClock);
        assertThat(writeset).isGreaterThan(rows / 2);
    }

    @ParameterizedTest(name = "preserveCommitOrder={0}")
    @ValueSource(booleans = {true, false})
    void failureInTheMiddleOfParallelApplyThenRestartLosesAndRepeatsNothing(boolean preserve) throws Exception {
        createSchema();
        UUID uuid = UUID.fromString(fixture.source().serverUuid());
        long next = lastGno(uuid) + 1;
        long doomed = next + 150;
        Replica first = fixture.startReplica(builder -> builder.scheduler(SchedulerKind.WRITESET).workers(4)
                .preserveCommitOrder(preserve));
        fixture.target().execute("CREATE TRIGGER binrelay.fail_one BEFORE INSERT ON binrelay.gtid_executed "
                + "FOR EACH ROW BEGIN IF NEW.gno_start = " + doomed + " THEN SIGNAL SQLSTATE '45000' "
                + "SET MESSAGE_TEXT = 'injected failure before commit'; END IF; END");
        runMixedWorkload(8, 80, 7);
        assertThat(first.awaitTermination(Duration.ofSeconds(60))).isTrue();
        assertThat(first.state()).isEqualTo(ReplicaState.FAILED);
        assertThat(first.failure()).hasMessageContaining("GTID " + uuid + ":" + doomed);
        GtidSet afterFailure = fixture.targetCheckpoint();
        assertThat(afterFailure.contains(new Gtid(uuid, doomed))).isFalse();
        if (preserve) {
            var recorded = afterFailure.intervals(uuid);
            assertThat(recorded.get(recorded.size() - 1).end()).as("in order: nothing after the failure committed")
                    .isLessThan(doomed);
        }

        fixture.target().execute("DROP TRIGGER binrelay.fail_one");
        Replica second = fixture.startReplica(builder -> builder.scheduler(SchedulerKind.WRITESET).workers(4)
                .preserveCommitOrder(preserve));
        try {
            fixture.awaitCaughtUp(second);
            fixture.assertTablesMatch("pw", "pw2");
            assertThat(fixture.targetCheckpoint()).isEqualTo(GtidSet.parse(fixture.source().gtidExecuted()));
        } finally {
            second.stop();
        }
    }

    private static long independentTransactions(SchedulerKind scheduler) throws Exception {
        Replica replica = fixture.startReplica(builder -> builder.scheduler(scheduler).workers(4));
        try {
            fixture.awaitCaughtUp(replica);
            fixture.assertTablesMatch("seq");
            return replica.status().scheduler().independent();
        } finally {
            replica.stop();
        }
    }

    /** One client inserts rows 1..n, one transaction each, before the replica starts; returns n. */
    private static int singleThreadedInsertBacklog(int rows) throws SQLException {
        List<String> ddl = List.of("CREATE DATABASE seq", "CREATE TABLE seq.t (id INT PRIMARY KEY, v VARCHAR(20))");
        fixture.source().execute(ddl.toArray(String[]::new));
        fixture.target().execute(ddl.toArray(String[]::new));
        fixture.fixStartPositionNow();
        try (Connection source = fixture.source().connect(); Statement statement = source.createStatement()) {
            for (int id = 1; id <= rows; id++) {
                statement.executeUpdate("INSERT INTO seq.t VALUES (" + id + ", 'row " + id + "')");
            }
        }
        return rows;
    }

    private static long[] countAndMax(Statement statement) throws SQLException {
        try (ResultSet result = statement.executeQuery("SELECT COUNT(*), COALESCE(MAX(id), 0) FROM seq.t")) {
            result.next();
            return new long[] {result.getLong(1), result.getLong(2)};
        }
    }

    private static long lastGno(UUID uuid) {
        var intervals = GtidSet.parse(fixture.source().gtidExecuted()).intervals(uuid);
        return intervals.get(intervals.size() - 1).end();
    }

    private static void createSchema() {
        fixture.source().execute(SCHEMA.toArray(String[]::new));
        fixture.target().execute(SCHEMA.toArray(String[]::new));
        StringBuilder accounts = new StringBuilder("INSERT INTO pw.accounts VALUES ");
        for (int id = 1; id <= 300; id++) {
            accounts.append(id > 1 ? "," : "").append("(").append(id).append(", 'c").append(id).append("', 1000)");
        }
        String counters = "INSERT INTO pw2.counters VALUES (1, 0), (2, 0), (3, 0)";
        String parents = "INSERT INTO pw.parent VALUES (1), (2), (3), (4)";
        for (var server : List.of(fixture.source(), fixture.target())) {
            server.execute(accounts.toString(), counters, parents);
        }
        fixture.fixStartPositionNow();
    }

    /**
     * Clients mixing hot rows (a few accounts and counters) with cold ones, primary key and unique key updates,
     * deletes and re-inserts of one key, multi-table and multi-schema transactions, a table without a key, a
     * foreign key with a cascade, and one ALTER TABLE halfway.
     */
    private static void runMixedWorkload(int clients, int transactionsEach, long seed) {
        AtomicLong nextItem = new AtomicLong(1);
        SourceClients.run(fixture.source(), clients, transactionsEach, seed, () -> true,
                (statement, random, client, i) -> {
                    if (client == 0 && i == transactionsEach / 2) {
                        // DDL commits what came before it in this client's session: a transaction of its own.
                        statement.execute("ALTER TABLE pw.notes ADD COLUMN extra INT NULL");
                    }
                    oneTransaction(statement, random, nextItem);
                });
    }

    private static void oneTransaction(Statement statement, Random random, AtomicLong nextItem) throws SQLException {
        int hot = 1 + random.nextInt(3);
        int cold = 4 + random.nextInt(297);
        switch (random.nextInt(8)) {
            case 0 -> { // hot rows on two schemas
                statement.executeUpdate("UPDATE pw.accounts SET balance = balance - 1 WHERE id = " + hot);
                statement.executeUpdate("UPDATE pw2.counters SET n = n + 1 WHERE id = " + hot);
            }
            case 1 -> { // cold row and a new item
                statement.executeUpdate("UPDATE pw.accounts SET balance = balance + 1 WHERE id = " + cold);
                long item = nextItem.getAndIncrement();
                statement.executeUpdate("INSERT INTO pw.items VALUES (" + item + ", " + cold + ", 'Item " + item
                        + "')");
            }
            case 2 -> { // primary key update of an item
                statement.executeUpdate("UPDATE pw.items SET id = id + 1000000 WHERE id = "
                        + (1 + random.nextInt((int) Math.max(1, nextItem.get()))) + " AND id < 1000000");
            }
            case 3 -> { // unique key update: swap codes through a temporary value
                int a = cold;
                statement.executeUpdate("UPDATE pw.accounts SET code = CONCAT('t', id) WHERE id = " + a);
                statement.executeUpdate("UPDATE pw.accounts SET code = CONCAT('c', id) WHERE id = " + a);
            }
            case 4 -> { // delete and re-insert the same key
                statement.executeUpdate("DELETE FROM pw.accounts WHERE id = " + cold);
                statement.executeUpdate("INSERT INTO pw.accounts VALUES (" + cold + ", 'c" + cold + "', 1000)");
            }
            case 5 -> { // a table without a key, and an explicit column list that survives the ALTER
                statement.executeUpdate("INSERT INTO pw.nokey VALUES (" + hot + ", 'x')");
                statement.executeUpdate("INSERT INTO pw.notes (body) VALUES ('note " + random.nextInt(1000) + "')");
                if (random.nextBoolean()) {
                    statement.executeUpdate("DELETE FROM pw.nokey WHERE a = " + hot + " LIMIT 1");
                }
            }
            case 6 -> { // foreign keys with a cascade the binlog does not show
                int parent = 1 + random.nextInt(4);
                int child = random.nextInt(50);
                statement.executeUpdate("INSERT INTO pw.child VALUES (" + child + ", " + parent
                        + ") ON DUPLICATE KEY UPDATE parent = " + parent);
                if (random.nextInt(10) == 0) {
                    statement.executeUpdate("DELETE FROM pw.parent WHERE id = " + parent);
                    statement.executeUpdate("INSERT INTO pw.parent VALUES (" + parent + ")");
                }
            }
            default -> { // case-insensitive unique values: items labelled in different case
                long item = nextItem.getAndIncrement();
                statement.executeUpdate("INSERT INTO pw.items VALUES (" + item + ", " + hot + ", '"
                        + (random.nextBoolean() ? "Caf\u00e9" : "CAFE") + "')");
                statement.executeUpdate("UPDATE pw.accounts SET balance = balance + 2 WHERE id = " + hot);
            }
        }
    }
}
