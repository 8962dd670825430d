package dev.binrelay.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.binrelay.testkit.EmbeddedMySql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CheckpointStoreTest {
    private static final String SCHEMA = "binrelay_ckpt";
    private static final String TABLE = "`" + SCHEMA + "`.`gtid_executed`";
    private static final UUID A = UUID.fromString("3e11fa47-71ca-11e1-9e33-c80aa9429562");
    private static final UUID B = UUID.fromString("f0000000-0000-0000-0000-000000000001");
    private static final AtomicInteger CHANNELS = new AtomicInteger();
    // Long enough to outlast any test; the test ends the pause itself by killing the connection or the server.
    private static final int PAUSE_UNTIL_KILLED = 300;

    private static EmbeddedMySql mysql;

    private String channel;
    private CheckpointStore store;

    @BeforeAll
    static void startTarget() throws SQLException {
        mysql = EmbeddedMySql.startTarget();
        try (Connection c = mysql.connect(); Statement s = c.createStatement()) {
            new CheckpointStore(SCHEMA, "setup").createIfMissing(c);
            s.execute("CREATE TABLE `" + SCHEMA + "`.applied_rows (id INT PRIMARY KEY) ENGINE=InnoDB");
        }
    }

    @AfterAll
    static void stopTarget() {
        if (mysql != null) {
            mysql.close();
        }
    }

    @BeforeEach
    void freshChannel() {
        channel = "ch" + CHANNELS.incrementAndGet();
        store = new CheckpointStore(SCHEMA, channel);
    }

    private static Gtid gtid(UUID source, long n) {
        return new Gtid(source, n);
    }

    @Test
    void recordRolledBackWithItsRowChangesLeavesNeitherBehind() throws SQLException {
        try (Connection c = mysql.connect()) {
            c.setAutoCommit(false);
            insertAppliedRow(c, 1);
            store.record(c, gtid(A, 1));
            c.rollback();

            assertThat(store.load(c)).isEqualTo(GtidSet.empty());
            assertThat(appliedRowExists(c, 1)).isFalse();
        }
    }

    @Test
    void recordCommittedWithItsRowChangesLoadsBoth() throws SQLException {
        try (Connection c = mysql.connect()) {
            c.setAutoCommit(false);
            insertAppliedRow(c, 2);
            store.record(c, gtid(A, 7));
            assertThat(c.getAutoCommit()).as("record must not touch autocommit").isFalse();
            c.commit();
        }
        try (Connection other = mysql.connect()) {
            assertThat(store.load(other)).hasToString(A + ":7");
            assertThat(appliedRowExists(other, 2)).isTrue();
        }
    }

    @Test
    void recordAllWritesOneRowPerIntervalInTheCallersTransaction() throws SQLException {
        GtidSet initial = GtidSet.parse(A + ":1-100:200:300-310," + B + ":5-6");
        try (Connection c = mysql.connect()) {
            c.setAutoCommit(false);
            store.recordAll(c, initial);
            store.recordAll(c, GtidSet.empty());
            try (Connection other = mysql.connect()) {
                assertThat(store.load(other)).as("uncommitted rows are invisible to others").isEqualTo(GtidSet.empty());
            }
            c.commit();
            assertThat(store.load(c)).isEqualTo(initial);
            assertThat(rowCount(c)).isEqualTo(4);
        }
    }

    @Test
    void channelsAreKeptApartAndClearDeletesOnlyItsOwn() throws SQLException {
        CheckpointStore neighbour = new CheckpointStore(SCHEMA, channel + "_neighbour");
        try (Connection c = mysql.connect()) {
            store.recordAll(c, GtidSet.parse(A + ":1-5"));
            neighbour.recordAll(c, GtidSet.parse(A + ":1-3"));
            assertThat(store.load(c)).hasToString(A + ":1-5");

            store.clear(c);

            assertThat(store.load(c)).isEqualTo(GtidSet.empty());
            assertThat(neighbour.load(c)).hasToString(A + ":1-3");
        }
    }

    @Test
    void createIfMissingIsIdempotentAndLeavesAutocommitAlone() throws SQLException {
        try (Connection c = mysql.connect()) {
            store.createIfMissing(c);
            assertThat(c.getAutoCommit()).isTrue();
            c.setAutoCommit(false);
            new CheckpointStore("binrelay_ckpt_other", channel).createIfMissing(c);
            assertThat(c.getAutoCommit()).isFalse();
            assertThat(tableExists(c, "binrelay_ckpt_other")).isTrue();
        }
    }

    @Test
    void compactMergesAdjacentRowsKeepsHolesAndRestoresConnectionSettings() throws SQLException {
        try (Connection worker = mysql.connect(); Connection compactor = mysql.connect()) {
            worker.setAutoCommit(false);
            for (long n : new long[] {5, 1, 2, 3, 9, 10, 4, 12}) {
                store.record(worker, gtid(A, n));
            }
            store.record(worker, gtid(B, 1));
            store.record(worker, gtid(B, 2));
            worker.commit();
            compactor.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);

            int removed = store.compact(compactor);

            assertThat(removed).isEqualTo(10 - 4);
            assertThat(rowCount(compactor)).isEqualTo(4);
            assertThat(store.load(compactor)).hasToString(A + ":1-5:9-10:12," + B + ":1-2");
            assertThat(compactor.getAutoCommit()).isTrue();
            assertThat(compactor.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_REPEATABLE_READ);
            assertThat(store.compact(compactor)).as("nothing left to merge").isZero();

            compactor.setAutoCommit(false);
            compactor.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
            store.compact(compactor);
            assertThat(compactor.getAutoCommit()).isFalse();
            assertThat(compactor.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_SERIALIZABLE);
        }
    }

    @Test
    void eightWorkersRecordingWhileCompactingLoseNothing() throws Exception {
        int workers = 8;
        int perWorker = 500;
        // Two sources, every 97th number missing, so the final compaction keeps holes as separate rows.
        List<Gtid> all = new ArrayList<>();
        for (long n = 1; all.size() < workers * perWorker; n++) {
            if (n % 97 != 0) {
                all.add(gtid(A, n));
                all.add(gtid(B, n));
            }
        }
        GtidSet expected = GtidSet.empty();
        for (Gtid g : all) {
            expected = expected.add(g);
        }
        int expectedRows = expected.intervals(A).size() + expected.intervals(B).size();

        ExecutorService pool = Executors.newFixedThreadPool(workers + 1);
        AtomicBoolean workersDone = new AtomicBoolean();
        AtomicInteger compactions = new AtomicInteger();
        try {
            List<Future<?>> workerRuns = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                int worker = w;
                // Round-robin, so the workers' rows interleave and runs become mergeable while they work.
                workerRuns.add(pool.submit(() -> {
                    try (Connection c = mysql.connect()) {
                        c.setAutoCommit(false);
                        for (int i = worker; i < all.size(); i += workers) {
                            store.record(c, all.get(i));
                            c.commit();
                        }
                    }
                    return null;
                }));
            }
            Future<Integer> compactorRun = pool.submit(() -> {
                int removed = 0;
                try (Connection c = mysql.connect()) {
                    while (!workersDone.get()) {
                        removed += store.compact(c);
                        compactions.incrementAndGet();
                    }
                }
                return removed;
            });
            try {
                for (Future<?> run : workerRuns) {
                    run.get(5, TimeUnit.MINUTES);
                }
            } finally {
                workersDone.set(true);
            }
            int removedWhileRunning = compactorRun.get(5, TimeUnit.MINUTES);

            try (Connection c = mysql.connect()) {
                assertThat(store.load(c)).isEqualTo(expected);
                int removedAtTheEnd = store.compact(c);
                assertThat(rowCount(c)).isEqualTo(expectedRows);
                assertThat(removedWhileRunning + removedAtTheEnd).isEqualTo(all.size() - expectedRows);
                assertThat(store.load(c)).isEqualTo(expected);
            }
            assertThat(compactions.get()).as("compactions that ran alongside the workers").isPositive();
            System.out.printf("%d compactions removed %d of %d rows while %d workers recorded%n",
                    compactions.get(), removedWhileRunning, all.size(), workers);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void workersInsertWhileCompactionHoldsItsLocksAndTheirRowsSurvive() throws Exception {
        recordEachOnItsOwnRow(A, 1, 10);
        recordEachOnItsOwnRow(A, 12, 50);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Connection admin = mysql.connect(); Connection compactor = mysql.connect()) {
            assertThat(rowCount(admin)).isEqualTo(49);
            long compactorId = connectionId(compactor);
            Future<Integer> run = null;
            try {
                pauseCompactionAfterItsUpdate(admin, 3);
                run = pool.submit(() -> store.compact(compactor));
                awaitSleeping(admin, compactorId);

                try (Connection worker = mysql.connect(); Statement s = worker.createStatement()) {
                    // A gap lock or a wait on compaction's row locks would make these inserts time out after 1 s.
                    s.execute("SET SESSION innodb_lock_wait_timeout = 1");
                    worker.setAutoCommit(false);
                    store.record(worker, gtid(A, 11));
                    store.record(worker, gtid(A, 51));
                    store.record(worker, gtid(A, 100));
                    worker.commit();
                }
                assertThat(sleepingNow(admin, compactorId)).as("compaction still holds its locks").isTrue();

                assertThat(run.get(1, TimeUnit.MINUTES)).isEqualTo(9 + 38);
            } finally {
                release(admin, compactorId, run);
            }
            assertThat(store.load(admin)).hasToString(A + ":1-51:100");
            assertThat(rowCount(admin)).isEqualTo(5);
            assertThat(store.compact(admin)).isEqualTo(3);
            assertThat(rowCount(admin)).isEqualTo(2);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void compactionWhoseConnectionDropsMidwayLeavesTheOldRowsIntact() throws Exception {
        recordEachOnItsOwnRow(A, 1, 50);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Connection admin = mysql.connect(); Connection compactor = mysql.connect()) {
            assertThat(rowCount(admin)).isEqualTo(50);
            long compactorId = connectionId(compactor);
            Future<Integer> run = null;
            try {
                pauseCompactionAfterItsUpdate(admin, PAUSE_UNTIL_KILLED);
                Future<Integer> started = pool.submit(() -> store.compact(compactor));
                run = started;
                awaitSleeping(admin, compactorId);

                try (Statement s = admin.createStatement()) {
                    s.execute("KILL CONNECTION " + compactorId);
                }

                assertThatThrownBy(() -> started.get(1, TimeUnit.MINUTES)).isInstanceOf(ExecutionException.class)
                        .hasCauseInstanceOf(SQLException.class);
            } finally {
                release(admin, compactorId, run);
            }
            assertThat(rowCount(admin)).isEqualTo(50);
            assertThat(store.load(admin)).hasToString(A + ":1-50");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void compactionInterruptedByAServerCrashLeavesTheOldRowsIntact() throws Exception {
        recordEachOnItsOwnRow(A, 1, 50);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            try (Connection admin = mysql.connect(); Connection compactor = mysql.connect()) {
                assertThat(rowCount(admin)).isEqualTo(50);
                long compactorId = connectionId(compactor);
                pauseCompactionAfterItsUpdate(admin, PAUSE_UNTIL_KILLED);
                Future<Integer> run = pool.submit(() -> store.compact(compactor));
                awaitSleeping(admin, compactorId);

                mysql.kill();

                assertThatThrownBy(() -> run.get(1, TimeUnit.MINUTES)).hasCauseInstanceOf(SQLException.class);
            } catch (SQLException closingAfterCrash) {
                // Closing connections to a dead server may fail; the crash is the point of this test.
            } finally {
                // Whatever happened above, later tests need a running server.
                if (!serverAnswers()) {
                    mysql.kill();
                    mysql.start();
                }
            }
        } finally {
            pool.shutdownNow();
        }
        try (Connection c = mysql.connect()) {
            dropPause(c);
            assertThat(rowCount(c)).isEqualTo(50);
            assertThat(store.load(c)).hasToString(A + ":1-50");
            assertThat(store.compact(c)).isEqualTo(49);
            assertThat(store.load(c)).hasToString(A + ":1-50");
        }
    }

    @Test
    void compactOnAnEmptyChannelRemovesNothing() throws SQLException {
        try (Connection c = mysql.connect()) {
            assertThat(store.compact(c)).isZero();
        }
    }

    @Test
    void rejectsASchemaThatIsNotAPlainIdentifierNamingTheConfigKey() {
        assertThatThrownBy(() -> new CheckpointStore("bad-schema`; DROP", "main"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("checkpoint.schema")
                .hasMessageContaining("\"bad-schema`; DROP\"");
        assertThatThrownBy(() -> new CheckpointStore("x".repeat(65), "main"))
                .hasMessageContaining("checkpoint.schema");
        assertThatThrownBy(() -> new CheckpointStore(null, "main")).hasMessageContaining("got null");
        assertThatThrownBy(() -> new CheckpointStore("ok_schema$1", "two words"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("channel")
                .hasMessageContaining("\"two words\"");
    }

    private void recordEachOnItsOwnRow(UUID source, long first, long last) throws SQLException {
        try (Connection c = mysql.connect()) {
            c.setAutoCommit(false);
            for (long n = first; n <= last; n++) {
                store.record(c, gtid(source, n));
            }
            c.commit();
        }
    }

    /** A trigger that sleeps inside compaction's transaction, locks held, once it has widened the row starting at 1. */
    private void pauseCompactionAfterItsUpdate(Connection admin, int seconds) throws SQLException {
        try (Statement s = admin.createStatement()) {
            s.execute("CREATE TRIGGER `" + SCHEMA + "`.pause_compaction AFTER UPDATE ON " + TABLE
                    + " FOR EACH ROW SET @paused = IF(NEW.channel = '" + channel + "' AND NEW.gno_start = 1, SLEEP("
                    + seconds + "), 0)");
        }
    }

    /** Ends a still-paused compaction (killing its connection) and drops the pausing trigger. */
    private static void release(Connection admin, long compactorId, Future<Integer> run) throws SQLException {
        if (run != null && !run.isDone()) {
            try (Statement s = admin.createStatement()) {
                s.execute("KILL CONNECTION " + compactorId);
            } catch (SQLException alreadyGone) {
                // The compaction ended between the check and the kill.
            }
        }
        dropPause(admin);
    }

    private static void dropPause(Connection admin) throws SQLException {
        try (Statement s = admin.createStatement()) {
            // DROP TRIGGER waits for every open transaction on the table; bound the wait so a failure cannot hang.
            s.execute("SET SESSION lock_wait_timeout = 30");
            s.execute("DROP TRIGGER IF EXISTS `" + SCHEMA + "`.pause_compaction");
        }
    }

    private static boolean serverAnswers() {
        try (Connection c = mysql.connect(); Statement s = c.createStatement()) {
            s.execute("SELECT 1");
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private static void awaitSleeping(Connection admin, long connectionId) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (sleepingNow(admin, connectionId)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("compaction on connection " + connectionId + " never reached the paused update");
    }

    private static boolean sleepingNow(Connection admin, long connectionId) throws SQLException {
        try (PreparedStatement state = admin.prepareStatement(
                "SELECT state FROM information_schema.processlist WHERE id = ?")) {
            state.setLong(1, connectionId);
            try (ResultSet r = state.executeQuery()) {
                return r.next() && "User sleep".equals(r.getString(1));
            }
        }
    }

    private static long connectionId(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT CONNECTION_ID()")) {
            r.next();
            return r.getLong(1);
        }
    }

    private long rowCount(Connection c) throws SQLException {
        try (PreparedStatement count = c.prepareStatement("SELECT COUNT(*) FROM " + TABLE + " WHERE channel = ?")) {
            count.setString(1, channel);
            try (ResultSet r = count.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private static void insertAppliedRow(Connection c, int id) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO `" + SCHEMA + "`.applied_rows VALUES (?)")) {
            insert.setInt(1, id);
            insert.executeUpdate();
        }
    }

    private static boolean appliedRowExists(Connection c, int id) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT 1 FROM `" + SCHEMA + "`.applied_rows WHERE id = ?")) {
            select.setInt(1, id);
            try (ResultSet r = select.executeQuery()) {
                return r.next();
            }
        }
    }

    private static boolean tableExists(Connection c, String schema) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT COUNT(*) FROM information_schema.tables "
                + "WHERE table_schema = ? AND table_name = 'gtid_executed'")) {
            select.setString(1, schema);
            try (ResultSet r = select.executeQuery()) {
                r.next();
                return r.getInt(1) == 1;
            }
        }
    }
}
