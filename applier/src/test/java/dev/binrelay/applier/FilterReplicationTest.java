package dev.binrelay.applier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.engine.Replica;
import dev.binrelay.engine.ReplicaListener;
import dev.binrelay.engine.ReplicationFilter;
import dev.binrelay.engine.SchedulerKind;
import dev.binrelay.engine.event.Transaction;
import dev.binrelay.testkit.TableChecksum;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Filters and database rewrite against real servers: only kept tables arrive, under their new name. */
class FilterReplicationTest {
    @RegisterExtension
    static final ReplicaFixture fixture = new ReplicaFixture();

    /** prod is applied as staging; the rules name the rewritten database, as MySQL's do. */
    private static final ReplicationFilter FILTER = ReplicationFilter.builder()
            .rewriteDb("prod", "staging")
            .ignoreDb("secret")
            .ignoreTable("staging.audit")
            .wildIgnoreTable("staging.tmp\\_%")
            .build();

    @Test
    void concurrentWritersAndDdlOnKeptAndFilteredTablesLeaveOnlyKeptTablesUnderTheRewrittenName() throws Exception {
        Replica replica = fixture.startReplica(builder -> builder.filter(FILTER).workers(4)
                .scheduler(SchedulerKind.WRITESET));
        fixture.source().execute(
                "CREATE DATABASE prod", "CREATE DATABASE secret", "CREATE DATABASE other",
                "CREATE TABLE prod.orders (id INT PRIMARY KEY, qty INT)",
                "CREATE TABLE prod.audit (id INT PRIMARY KEY, what VARCHAR(20))",
                "CREATE TABLE prod.tmp_1 (id INT PRIMARY KEY)",
                "CREATE TABLE prod.tmpx (id INT PRIMARY KEY)", // no underscore after tmp: kept
                "CREATE TABLE secret.keys (id INT PRIMARY KEY, k VARCHAR(20))",
                "CREATE TABLE other.kv (id INT PRIMARY KEY, v INT)");
        try {
            ExecutorService writers = Executors.newFixedThreadPool(4);
            List<Future<?>> done = new ArrayList<>();
            done.add(writers.submit(() -> write(i -> List.of(
                    "INSERT INTO prod.orders VALUES (" + i + ", " + i + ")",
                    "UPDATE prod.orders SET qty = qty + 1 WHERE id = " + (i / 2)))));
            done.add(writers.submit(() -> write(i -> List.of(
                    "INSERT INTO prod.audit (id, what) VALUES (" + i + ", 'a')",
                    "INSERT INTO secret.keys VALUES (" + i + ", 'k')"))));
            // Kept and filtered rows in one transaction: only the kept ones arrive.
            done.add(writers.submit(() -> write(i -> List.of("BEGIN",
                    "INSERT INTO other.kv VALUES (" + i + ", " + i + ")",
                    "INSERT INTO prod.tmp_1 VALUES (" + i + ")",
                    "INSERT INTO prod.tmpx VALUES (" + i + ")",
                    "UPDATE prod.audit SET what = 'b' WHERE id = " + (i / 2),
                    "COMMIT"))));
            done.add(writers.submit(() -> write(i -> i % 50 != 0 ? List.of() : List.of(
                    "ALTER TABLE prod.audit ADD COLUMN c" + i + " INT",
                    "CREATE TABLE secret.t" + i + " (id INT PRIMARY KEY)",
                    "CREATE TABLE prod.tmp_t" + i + " (id INT PRIMARY KEY)"))));
            for (Future<?> writer : done) {
                writer.get();
            }
            writers.shutdown();
            fixture.source().execute(
                    "ALTER TABLE prod.orders ADD COLUMN note VARCHAR(10) DEFAULT 'n'",
                    "UPDATE prod.orders SET note = 'x' WHERE id < 10",
                    "CREATE TABLE prod.renamed_from (id INT PRIMARY KEY)",
                    "INSERT INTO prod.renamed_from VALUES (1)",
                    "RENAME TABLE prod.renamed_from TO prod.renamed",
                    "DROP TABLE prod.tmp_t0",
                    "USE prod",
                    "CREATE TABLE made_in_default (id INT PRIMARY KEY)",
                    "INSERT INTO made_in_default VALUES (7)",
                    "CREATE TABLE prod.copy LIKE prod.orders",
                    "INSERT INTO prod.copy SELECT * FROM prod.orders WHERE id < 5");

            fixture.awaitCaughtUp(replica);

            assertSameRows("prod", "staging", "copy", "made_in_default", "orders", "renamed", "tmpx");
            assertSameRows("other", "other", "kv");
            try (Connection target = fixture.target().connect()) {
                assertThat(TableChecksum.tables(target, "prod")).as("no table under the source name").isEmpty();
                assertThat(TableChecksum.tables(target, "secret")).as("an ignored database").isEmpty();
                assertThat(schemaExists(target, "secret")).isFalse();
            }
            assertThat(fixture.targetCheckpoint().containsAll(GtidSet.parse(fixture.source().gtidExecuted())))
                    .as("every source transaction, filtered or not, in the target checkpoint").isTrue();
        } finally {
            replica.stop();
        }
    }

    @Test
    void transactionsEmptiedByTheFiltersAreRecordedAndNotAppliedAgainAfterARestart() throws Exception {
        Replica first = fixture.startReplica(builder -> builder.filter(FILTER));
        try {
            fixture.source().execute("CREATE DATABASE prod", "CREATE TABLE prod.audit (id INT PRIMARY KEY)",
                    "CREATE TABLE prod.orders (id INT PRIMARY KEY)");
            fixture.awaitCaughtUp(first);
            for (int i = 0; i < 40; i++) {
                fixture.source().execute("INSERT INTO prod.audit VALUES (" + i + ")");
            }
            fixture.source().execute("DROP TABLE prod.audit", "CREATE DATABASE secret",
                    "CREATE TABLE secret.t (id INT)");
            fixture.awaitCaughtUp(first);
        } finally {
            first.stop();
        }
        GtidSet sourceExecuted = GtidSet.parse(fixture.source().gtidExecuted());
        assertThat(fixture.targetCheckpoint().containsAll(sourceExecuted)).isTrue();
        assertThat(fixture.target().queryString("SELECT COUNT(*) FROM information_schema.tables "
                + "WHERE table_schema IN ('staging', 'prod', 'secret') AND table_name IN ('audit', 't')"))
                .isEqualTo("0");

        AtomicInteger appliedAgain = new AtomicInteger();
        Replica second = fixture.startReplica(builder -> builder.filter(FILTER).listener(new ReplicaListener() {
            @Override
            public void applied(Transaction transaction) {
                appliedAgain.incrementAndGet();
            }
        }));
        try {
            fixture.source().execute("INSERT INTO prod.orders VALUES (1)");
            fixture.awaitCaughtUp(second);
            assertThat(appliedAgain).as("only the one new transaction").hasValue(1);
            assertThat(fixture.target().queryString("SELECT COUNT(*) FROM staging.orders")).isEqualTo("1");
        } finally {
            second.stop();
        }
    }

    @Test
    void ddlChangingAKeptAndAFilteredTableStopsTheReplicaNamingBoth() throws Exception {
        Replica replica = fixture.startReplica(builder -> builder.filter(FILTER));
        fixture.source().execute("CREATE DATABASE prod", "CREATE TABLE prod.orders (id INT PRIMARY KEY)",
                "CREATE TABLE prod.audit (id INT PRIMARY KEY)");
        fixture.source().execute("DROP TABLE prod.orders, prod.audit");
        String gtid = fixture.lastSourceGtid().toString();

        // The source logs DROP TABLE with its own quoting.
        ReplicaFixture.assertFailsWith(replica, gtid, "DROP TABLE `prod`.`orders`,`prod`.`audit`",
                "staging.orders (prod.orders on the source), which the filters keep",
                "staging.audit (prod.audit on the source), which they filter out");
        assertThat(fixture.target().queryString("SELECT COUNT(*) FROM information_schema.tables "
                + "WHERE table_schema = 'staging' AND table_name = 'orders'")).isEqualTo("1");
    }

    private interface Batch {
        List<String> statements(int i);
    }

    private static void write(Batch batch) {
        try (Connection connection = fixture.source().connect(); Statement statement = connection.createStatement()) {
            for (int i = 0; i < 200; i++) {
                for (String sql : batch.statements(i)) {
                    statement.execute(sql);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertSameRows(String sourceSchema, String targetSchema, String... tables)
            throws SQLException {
        try (Connection source = fixture.source().connect(); Connection target = fixture.target().connect()) {
            assertThat(TableChecksum.tables(target, targetSchema)).as("tables of %s", targetSchema)
                    .containsExactly(tables);
            for (String table : tables) {
                assertThat(TableChecksum.of(target, targetSchema, table)).as("%s.%s", targetSchema, table)
                        .isEqualTo(TableChecksum.of(source, sourceSchema, table));
            }
        }
    }

    private static boolean schemaExists(Connection connection, String schema) throws SQLException {
        try (Statement statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = '"
                     + schema + "'")) {
            rows.next();
            return rows.getInt(1) > 0;
        }
    }
}
