package dev.binrelay.applier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.engine.Replica;
import dev.binrelay.engine.ReplicaState;
import dev.binrelay.engine.SchedulerKind;
import dev.binrelay.engine.SchedulerStatus;
import dev.binrelay.testkit.EmbeddedMySql;
import dev.binrelay.testkit.TableChecksum;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * DDL while clients write: every parallel scheduler runs each statement as a barrier (everything before it committed,
 * nothing after it started), and every worker applies the rows after it with the tables' new shapes.
 */
class DdlUnderLoadTest {
    private static final List<String> SCHEMAS = List.of("ddl_a", "ddl_b", "ddl_c");
    /** The tables the churn alters in turn, one per cycle. */
    private static final List<String> CHURNED = List.of("ddl_a.t1", "ddl_b.t1", "ddl_c.t1", "ddl_a.t2");
    /** Writers also write to a table the churn creates and drops. */
    private static final List<String> WRITTEN = Stream.concat(CHURNED.stream(), Stream.of("ddl_c.scratch")).toList();
    private static final Duration LOAD = Duration.ofSeconds(7);
    /** The load goes on past {@link #LOAD} until the churn ran each of its steps once, at most this long. */
    private static final Duration LOAD_LIMIT = Duration.ofSeconds(25);
    private static final int WRITERS = 4;

    @RegisterExtension
    static final ReplicaFixture fixture = new ReplicaFixture();

    /**
     * Each parallel scheduler with and without preserved commit order; binlog_row_metadata alternates so that each
     * scheduler and each commit order meets both FULL (columns matched by name) and MINIMAL (by position): all pairs
     * in 6 runs instead of 12, which keeps the class near two minutes.
     */
    static Stream<Arguments> schedulersOrdersAndMetadata() {
        return Stream.of(
                Arguments.of(SchedulerKind.DATABASE, true, "FULL"),
                Arguments.of(SchedulerKind.DATABASE, false, "MINIMAL"),
                Arguments.of(SchedulerKind.LOGICAL_CLOCK, true, "MINIMAL"),
                Arguments.of(SchedulerKind.LOGICAL_CLOCK, false, "FULL"),
                Arguments.of(SchedulerKind.WRITESET, true, "FULL"),
                Arguments.of(SchedulerKind.WRITESET, false, "MINIMAL"));
    }

    @ParameterizedTest(name = "{0} x4, preserveCommitOrder={1}, binlog_row_metadata={2}")
    @MethodSource("schedulersOrdersAndMetadata")
    void everyKindOfDdlAmidConcurrentWritesEndsIdentical(SchedulerKind scheduler, boolean preserveCommitOrder,
                                                         String rowMetadata) throws Exception {
        withSourceRowMetadata(rowMetadata, () -> {
            createTables();
            ShapeFollowingWriters writers = new ShapeFollowingWriters(fixture.source(), WRITTEN);
            DdlChurn churn = new DdlChurn(fixture.source(), CHURNED);
            Replica replica = null;
            try {
                try {
                    writers.start(WRITERS, scheduler.ordinal() * 2L + (preserveCommitOrder ? 1 : 0));
                    churn.start();
                    // Half the load as a backlog (the reader places transactions far ahead of the workers), half
                    // live.
                    Thread.sleep(LOAD.toMillis() / 2);
                    replica = fixture.startReplica(builder -> builder.scheduler(scheduler).workers(4)
                            .preserveCommitOrder(preserveCommitOrder));
                    awaitLoadAndOneFullCycle(churn);
                } finally {
                    churn.stop();
                    writers.stop();
                }
                assertThat(churn.failures()).as("DDL refused by the source").isEmpty();
                assertThat(churn.stepsDone()).as("DDL steps run").hasSize(DdlChurn.steps("t").size());
                assertThat(writers.committed()).as("transactions written").isGreaterThan(100);
                assertThat(writers.refused()).as("writes the DDL got in the way of, retried").isPositive();

                fixture.awaitCaughtUp(replica);
                assertSameSchemas();
                fixture.assertTablesMatch(SCHEMAS.toArray(String[]::new));
                assertThat(fixture.targetCheckpoint()).isEqualTo(GtidSet.parse(fixture.source().gtidExecuted()));
                assertThat(replica.state()).isEqualTo(ReplicaState.RUNNING);
                assertThat(replica.failure()).isNull();
                SchedulerStatus status = replica.status().scheduler();
                assertThat(status.barriers()).as("every DDL is a barrier")
                        .isGreaterThanOrEqualTo(churn.ddlStatements());
                System.out.printf("%s x4, preserveCommitOrder=%s, %s: %d transactions written, %d refused by the "
                        + "source, %d DDL; applied %d, independent %d, barriers %d, parallelism %.2f%n", scheduler,
                        preserveCommitOrder, rowMetadata, writers.committed(), writers.refused(),
                        churn.ddlStatements(), status.scheduled(), status.independent(), status.barriers(),
                        status.averageParallelism());
            } finally {
                if (replica != null) {
                    replica.stop();
                }
            }
        });
    }

    /**
     * Each ALTER adds a column that the transactions right after it write, and those transactions touch rows whose
     * only other writer committed long before: by their keys they are independent of everything, so only the
     * barrier keeps them from running alongside or before the ALTER (which would fail: the target would not have the
     * column yet). A backlog with runs of one transaction per worker makes the workers race for them.
     */
    @Test
    void transactionsWritingAColumnAreNeverAppliedBeforeTheAlterThatAddedIt() throws Exception {
        int rounds = 8;
        int rowsPerRound = 40;
        fixture.source().execute("CREATE DATABASE bar", "CREATE TABLE bar.t (id INT PRIMARY KEY, v INT NOT NULL)");
        fixture.target().execute("CREATE DATABASE bar", "CREATE TABLE bar.t (id INT PRIMARY KEY, v INT NOT NULL)");
        fixture.fixStartPositionNow();
        try (Connection source = fixture.source().connect(); Statement statement = source.createStatement()) {
            for (int id = 1; id <= rounds * rowsPerRound; id++) {
                statement.executeUpdate("INSERT INTO bar.t VALUES (" + id + ", 0)");
            }
            for (int round = 1; round <= rounds; round++) {
                statement.execute("ALTER TABLE bar.t ADD COLUMN c" + round + " INT NOT NULL DEFAULT 0");
                for (int i = 0; i < rowsPerRound; i++) {
                    int id = (round - 1) * rowsPerRound + i + 1;
                    statement.executeUpdate("UPDATE bar.t SET c" + round + " = " + id + " WHERE id = " + id);
                    statement.executeUpdate("INSERT INTO bar.t (id, v, c" + round + ") VALUES ("
                            + (100_000 * round + i) + ", 1, " + i + ")");
                }
            }
        }
        Replica replica = fixture.startReplica(builder -> builder.scheduler(SchedulerKind.WRITESET).workers(4)
                .batchSize(1).preserveCommitOrder(false));
        try {
            fixture.awaitCaughtUp(replica);
            assertThat(replica.status().scheduler().independent()).as("the writes themselves ran in parallel")
                    .isGreaterThan(rounds * rowsPerRound);
            assertThat(replica.status().scheduler().barriers()).isGreaterThanOrEqualTo(rounds);
        } finally {
            replica.stop();
        }
        assertThat(replica.failure()).isNull();
        fixture.assertTablesMatch("bar");
        assertShowCreateTablesEqual("bar");
    }

    /**
     * A statement makes every worker read table shapes again, not only the worker that ran it. A table altered on
     * the target alone goes unnoticed while the workers' plans for it are cached (as MySQL's replica, binrelay does
     * not re-read the schema before each row); a statement from the source, on any table, makes the next row on it
     * stop the replica with both column lists, whichever worker applies it.
     */
    @Test
    void aStatementMakesEveryWorkerReadTableShapesAgain() throws Exception {
        for (EmbeddedMySql server : List.of(fixture.source(), fixture.target())) {
            server.execute("CREATE DATABASE shop", "CREATE TABLE shop.orders (id INT PRIMARY KEY, total INT)",
                    "CREATE DATABASE shop2", "CREATE TABLE shop2.log (id INT PRIMARY KEY)");
        }
        fixture.fixStartPositionNow();
        // The database scheduler with runs of one: transactions alternate between the two schemas and go to the
        // workers in turn, so that two of the four workers hold a plan for shop.orders.
        Replica replica = fixture.startReplica(builder -> builder.scheduler(SchedulerKind.DATABASE).workers(4)
                .batchSize(1));
        try {
            for (int id = 1; id <= 6; id++) {
                fixture.source().execute("INSERT INTO shop.orders VALUES (" + id + ", " + id * 10 + ")",
                        "INSERT INTO shop2.log VALUES (" + id + ")");
            }
            fixture.awaitCaughtUp(replica);
            fixture.target().execute("ALTER TABLE shop.orders ADD COLUMN note VARCHAR(20)");
            // After the barrier the next transaction goes to the worker after the statement's own.
            fixture.source().execute("CREATE TABLE shop2.unrelated (id INT PRIMARY KEY)");
            for (int id = 7; id <= 10; id++) {
                fixture.source().execute("INSERT INTO shop.orders VALUES (" + id + ", " + id * 10 + ")");
            }

            assertThat(replica.awaitTermination(Duration.ofSeconds(30))).as("replica stopped").isTrue();
            assertThat(replica.state()).isEqualTo(ReplicaState.FAILED);
            assertThat(replica.failure()).hasMessageContaining("table shop.orders differs on the target")
                    .hasMessageContaining("[id, total, note]");
            assertThat(fixture.target().queryString("SELECT COUNT(*) FROM shop.orders")).isEqualTo("6");
        } finally {
            replica.stop();
        }
    }

    /**
     * CREATE TABLE ... SELECT is logged as one transaction that the target cannot take as one: the table is created
     * on its own, then the rows commit with the checkpoint. A failure in between leaves the table without its rows;
     * the next start runs the statement again, accepts "table exists" for it, and applies the rows.
     */
    @Test
    void createTableSelectStoppedBeforeItsRowsCommittedIsCompletedAfterRestart() throws Exception {
        for (EmbeddedMySql server : List.of(fixture.source(), fixture.target())) {
            server.execute("CREATE DATABASE ctas", "CREATE TABLE ctas.origin (id INT PRIMARY KEY, v VARCHAR(10))",
                    "INSERT INTO ctas.origin VALUES (1, 'a'), (2, 'b'), (3, 'c')");
        }
        fixture.fixStartPositionNow();
        UUID uuid = UUID.fromString(fixture.source().serverUuid());
        Replica first = fixture.startReplica();
        fixture.awaitCaughtUp(first);
        long doomed = lastGno(uuid) + 1;
        fixture.target().execute("CREATE TRIGGER binrelay.fail_one BEFORE INSERT ON binrelay.gtid_executed "
                + "FOR EACH ROW BEGIN IF NEW.gno_start = " + doomed + " THEN SIGNAL SQLSTATE '45000' "
                + "SET MESSAGE_TEXT = 'injected failure before commit'; END IF; END");
        fixture.source().execute("CREATE TABLE ctas.copy (PRIMARY KEY (id)) AS SELECT id, v FROM ctas.origin");
        assertThat(lastGno(uuid)).isEqualTo(doomed);

        assertThat(first.awaitTermination(Duration.ofSeconds(30))).as("first replica stopped").isTrue();
        assertThat(first.failure()).hasMessageContaining("injected failure before commit");
        assertThat(fixture.target().queryString("SELECT COUNT(*) FROM ctas.copy")).as("created, rows rolled back")
                .isEqualTo("0");
        fixture.target().execute("DROP TRIGGER binrelay.fail_one");
        Replica second = fixture.startReplica();
        try {
            fixture.awaitCaughtUp(second);
        } finally {
            second.stop();
        }
        fixture.assertTablesMatch("ctas");
        assertShowCreateTablesEqual("ctas");
        assertThat(fixture.targetCheckpoint()).isEqualTo(GtidSet.parse(fixture.source().gtidExecuted()));
    }

    private static long lastGno(UUID uuid) {
        var intervals = GtidSet.parse(fixture.source().gtidExecuted()).intervals(uuid);
        return intervals.get(intervals.size() - 1).end();
    }

    private static void awaitLoadAndOneFullCycle(DdlChurn churn) throws InterruptedException {
        long start = System.nanoTime();
        int steps = DdlChurn.steps("t").size();
        while (System.nanoTime() - start < LOAD.toNanos() / 2
                || (churn.stepsDone().size() < steps && churn.failures().isEmpty()
                && System.nanoTime() - start < LOAD_LIMIT.toNanos())) {
            Thread.sleep(100);
        }
    }

    private static void createTables() {
        List<String> ddl = new ArrayList<>();
        for (String schema : SCHEMAS) {
            ddl.add("CREATE DATABASE " + schema);
        }
        for (String table : CHURNED) {
            ddl.add("CREATE TABLE " + table + " (id BIGINT NOT NULL PRIMARY KEY, k INT NOT NULL, u VARCHAR(40), "
                    + "v VARCHAR(40), n INT NOT NULL DEFAULT 0)");
        }
        fixture.source().execute(ddl.toArray(String[]::new));
        fixture.target().execute(ddl.toArray(String[]::new));
        fixture.fixStartPositionNow();
    }

    /** Runs {@code test} with the source logging {@code binlog_row_metadata} as given, then restores it. */
    private static void withSourceRowMetadata(String rowMetadata, ThrowingRunnable test) throws Exception {
        String previous = fixture.source().queryString("SELECT @@global.binlog_row_metadata");
        fixture.source().execute("SET GLOBAL binlog_row_metadata = " + rowMetadata);
        try {
            test.run();
        } finally {
            fixture.source().execute("SET GLOBAL binlog_row_metadata = " + previous);
        }
    }

    /** The same databases, views, routines and table definitions on both sides. */
    private static void assertSameSchemas() throws SQLException {
        String schemata = "SELECT GROUP_CONCAT(schema_name ORDER BY schema_name) FROM information_schema.schemata "
                + "WHERE schema_name LIKE 'ddl%'";
        assertThat(fixture.target().queryString(schemata)).isEqualTo(fixture.source().queryString(schemata));
        String views = "SELECT GROUP_CONCAT(table_schema, '.', table_name, ':', view_definition ORDER BY table_name) "
                + "FROM information_schema.views WHERE table_schema LIKE 'ddl%'";
        assertThat(fixture.target().queryString(views)).isEqualTo(fixture.source().queryString(views));
        String routines = "SELECT GROUP_CONCAT(routine_schema, '.', routine_name, ':', routine_definition ORDER BY "
                + "routine_name) FROM information_schema.routines WHERE routine_schema LIKE 'ddl%'";
        assertThat(fixture.target().queryString(routines)).isEqualTo(fixture.source().queryString(routines));
        for (String schema : SCHEMAS) {
            assertShowCreateTablesEqual(schema);
        }
    }

    private static void assertShowCreateTablesEqual(String schema) throws SQLException {
        try (Connection source = fixture.source().connect(); Connection target = fixture.target().connect()) {
            for (String table : TableChecksum.tables(source, schema)) {
                assertThat(showCreateTable(target, schema, table)).as("SHOW CREATE TABLE %s.%s", schema, table)
                        .isEqualTo(showCreateTable(source, schema, table));
            }
        }
    }

    private static String showCreateTable(Connection connection, String schema, String table) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SHOW CREATE TABLE `" + schema + "`.`" + table + "`")) {
            row.next();
            return row.getString(2);
        }
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}
