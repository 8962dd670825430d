package dev.binrelay.applier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.engine.Replica;
import dev.binrelay.engine.ReplicaState;
import dev.binrelay.engine.SchedulerKind;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Transactions larger than {@code largeTransactionBytes} are streamed to a worker in chunks while the reader decodes
 * them; they run alone, between concurrent small transactions, and end on the target exactly as on the source. (The
 * heap cap itself is proven by the forked daemon in the cli module's HugeTransactionTest.)
 */
class LargeTransactionTest {
    private static final int SMALL_THRESHOLD = 64 * 1024;

    @RegisterExtension
    static final ReplicaFixture fixture = new ReplicaFixture();

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = SchedulerKind.class, names = {"WRITESET", "LOGICAL_CLOCK", "DATABASE"})
    void largeTransactionsStreamBetweenConcurrentSmallOnesAndReplicateExactly(SchedulerKind scheduler)
            throws Exception {
        Replica replica = fixture.startReplica(builder -> builder.scheduler(scheduler).workers(4)
                .largeTransactionBytes(SMALL_THRESHOLD).queueBytes(4 * SMALL_THRESHOLD));
        try {
            fixture.source().execute("CREATE DATABASE big", "CREATE TABLE big.rows_ (id INT PRIMARY KEY, "
                            + "grp INT NOT NULL, body VARBINARY(300), note TEXT, KEY (grp))",
                    "CREATE TABLE big.small (id INT PRIMARY KEY, n BIGINT NOT NULL)",
                    "CREATE TABLE big.nokey (a INT, b VARCHAR(20))");
            AtomicBoolean running = new AtomicBoolean(true);
            Thread small = new Thread(() -> SourceClients.run(fixture.source(), 3, 100_000, 7, running::get,
                    (statement, random, client, i) -> {
                        int id = random.nextInt(200);
                        statement.execute("INSERT INTO big.small VALUES (" + id + ", 1) ON DUPLICATE KEY UPDATE "
                                + "n = n + " + (1 + random.nextInt(5)));
                        statement.execute("INSERT INTO big.nokey VALUES (" + client + ", 'c" + i + "')");
                    }));
            small.start();
            try (Connection connection = fixture.source().connect();
                 Statement statement = connection.createStatement()) {
                statement.execute("SET SESSION cte_max_recursion_depth = 1000000");
                connection.setAutoCommit(false);
                for (int round = 0; round < 4; round++) {
                    int base = round * 20_000;
                    // 20,000 rows of ~400 bytes: far past the 64 KiB threshold, so streamed in many chunks.
                    statement.execute("INSERT INTO big.rows_ WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 "
                            + "FROM n WHERE i < 20000) SELECT " + base + " + i, i % 97, RANDOM_BYTES(200), "
                            + "REPEAT(CHAR(65 + i % 26), 100) FROM n");
                    statement.execute("UPDATE big.rows_ SET note = CONCAT(note, 'u'), grp = grp + 1 WHERE id % 3 = "
                            + round % 3);
                    statement.execute("DELETE FROM big.rows_ WHERE id % 11 = " + round);
                    statement.execute("INSERT INTO big.nokey SELECT grp, 'big' FROM big.rows_ WHERE id % 50 = 0");
                    statement.execute("DELETE FROM big.nokey WHERE b = 'big' AND a < 10 LIMIT 500");
                    connection.commit();
                }
            }
            running.set(false);
            small.join();
            fixture.awaitCaughtUp(replica);
            assertThat(replica.status().scheduler().streamed()).as("streamed transactions").isGreaterThanOrEqualTo(4);
            fixture.assertTablesMatch("big");
            assertThat(fixture.targetCheckpoint()).isEqualTo(GtidSet.parse(fixture.source().gtidExecuted()));
            assertThat(replica.state()).isEqualTo(ReplicaState.RUNNING);
        } finally {
            replica.stop();
        }
    }

    @Test
    void sourceConnectionLostInTheMiddleOfAStreamedTransactionRollsItBackAndReadsItAgain() throws Exception {
        Replica replica = fixture.startReplica(builder -> builder.scheduler(SchedulerKind.WRITESET).workers(2)
                .largeTransactionBytes(SMALL_THRESHOLD).queueBytes(4 * SMALL_THRESHOLD));
        try {
            fixture.source().execute("CREATE DATABASE big", "CREATE TABLE big.rows_ (id INT PRIMARY KEY, body TEXT)");
            int rows = 150_000;
            fixture.source().execute("SET SESSION cte_max_recursion_depth = 1000000",
                    "INSERT INTO big.rows_ WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                            + "WHERE i < " + rows + ") SELECT i, REPEAT('x', 200) FROM n");
            // Wait until the target holds part of the transaction, uncommitted, then cut the binlog stream.
            try (Connection target = fixture.target().connect(); Statement statement = target.createStatement()) {
                statement.execute("SET SESSION TRANSACTION ISOLATION LEVEL READ UNCOMMITTED");
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                long seen = 0;
                while (seen == 0 || seen >= rows) {
                    assertThat(System.nanoTime()).as("part of the transaction applied").isLessThan(deadline);
                    seen = count(statement, "SELECT COUNT(*) FROM big.rows_");
                }
                assertThat(seen).isBetween(1L, rows - 1L);
            }
            assertThat(killBinlogDump()).as("binlog dump threads killed").isPositive();
            fixture.awaitCaughtUp(replica);
            assertThat(replica.status().scheduler().streamed()).as("streamed, abandoned, streamed again").isEqualTo(2);
            fixture.assertTablesMatch("big");
            assertThat(fixture.targetCheckpoint()).isEqualTo(GtidSet.parse(fixture.source().gtidExecuted()));
        } finally {
            replica.stop();
        }
    }

    private static long killBinlogDump() throws SQLException {
        long killed = 0;
        try (Connection source = fixture.source().connect(); Statement statement = source.createStatement()) {
            try (ResultSet threads = statement.executeQuery("SELECT id FROM information_schema.processlist "
                    + "WHERE command LIKE 'Binlog Dump%'")) {
                while (threads.next()) {
                    try (Statement kill = source.createStatement()) {
                        kill.execute("KILL " + threads.getLong(1));
                        killed++;
                    }
                }
            }
        }
        return killed;
    }

    private static long count(Statement statement, String sql) throws SQLException {
        try (ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }
}
