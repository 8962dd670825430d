package dev.binrelay.applier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.engine.DependencyMisses;
import dev.binrelay.engine.Replica;
import dev.binrelay.engine.ReplicaState;
import dev.binrelay.engine.SchedulerKind;
import dev.binrelay.engine.WorkerStatus;
import dev.binrelay.testkit.EmbeddedMySql;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The safety net for dependencies a scheduler misses: the {@code database} scheduler takes databases for independent,
 * so a foreign key from one database to another is a dependency it cannot see. A transaction that ran before one it
 * depends on committed and failed with a key error (1452, 1032, 1062) is rolled back and applied again once everything
 * before it committed; the target ends equal to the source, and the status counts the misses by table.
 */
class DependencyMissTest {
    /** Rows of filler the earlier transaction of each pair writes first: it is still busy when the later one starts. */
    private static final int FILLER_ROWS = 150;
    private static final int CLIENTS = 4;
    /** Transactions per client and phase: two per pair, so 160 pairs per phase. */
    private static final int TRANSACTIONS_EACH = 80;
    private static final int MOVED = 1_000_000;

    @RegisterExtension
    static final ReplicaFixture fixture = new ReplicaFixture();

    /** The child database first: the fixture's reset cannot drop a parent table a foreign key still refers to. */
    @AfterEach
    void dropChildDatabase() {
        onBoth("DROP DATABASE IF EXISTS dm_child");
    }

    /**
     * A child row inserted before its parent (1452) and a child row updated under the key a cascade from its parent
     * gives it, before that cascade (1032). Each pair's earlier transaction is large, the later one small, and they
     * go to different workers (batchSize 1), so the later one usually runs first.
     */
    @Test
    void childChangesThatOvertakeTheirParentAcrossDatabasesAreAppliedAgainAfterIt() throws Exception {
        onBoth("CREATE DATABASE dm_parent", "CREATE DATABASE dm_child",
                "CREATE TABLE dm_parent.filler (id BIGINT AUTO_INCREMENT PRIMARY KEY, pad VARCHAR(100))",
                "CREATE TABLE dm_parent.parent (id INT PRIMARY KEY)",
                "CREATE TABLE dm_child.child (id INT PRIMARY KEY, note VARCHAR(20), "
                        + "FOREIGN KEY (id) REFERENCES dm_parent.parent (id) ON UPDATE CASCADE)");
        fixture.fixStartPositionNow();
        Replica replica = fixture.startReplica(builder -> builder.scheduler(SchedulerKind.DATABASE).workers(2)
                .batchSize(1));
        try {
            parentsThenChildren(7);
            SourceClients.run(fixture.source(), CLIENTS, TRANSACTIONS_EACH, 8, () -> true, (statement, random, client,
                    transaction) -> {
                int key = client * 1000 + transaction / 2;
                if (transaction % 2 == 0) {
                    fill(statement);
                    // Cascades to dm_child.child, which the binary log does not show.
                    statement.execute("UPDATE dm_parent.parent SET id = " + (key + MOVED) + " WHERE id = " + key);
                } else {
                    statement.execute("UPDATE dm_child.child SET note = 'moved' WHERE id = " + (key + MOVED));
                }
            });
            fixture.awaitCaughtUp(replica);
            fixture.assertTablesMatch("dm_parent", "dm_child");
            assertThat(fixture.source().queryString("SELECT COUNT(*) FROM dm_child.child WHERE note = 'moved'"))
                    .isEqualTo(String.valueOf(CLIENTS * TRANSACTIONS_EACH / 2));
            assertThat(fixture.targetCheckpoint()).isEqualTo(GtidSet.parse(fixture.source().gtidExecuted()));
            DependencyMisses misses = replica.status().scheduler().dependencyMisses();
            assertThat(misses.total()).as("dependency misses").isPositive();
            assertThat(misses.byTable()).containsOnlyKeys("dm_child.child");
            assertThat(replica.status().workers().stream().mapToLong(WorkerStatus::dependencyMisses).sum())
                    .isEqualTo(misses.total());
            assertThat(replica.status().applier().skippedErrors()).isZero();
        } finally {
            replica.stop();
        }
    }

    /**
     * The same overtaking child inserts inside the idempotent catch-up window after a resumed snapshot, which
     * tolerates 1452: in a speculative run the error is still a missed dependency, applied again after the parent,
     * not a copy's leftover to skip (which would lose the child row).
     */
    @Test
    void overtakingChildInsertsInTheIdempotentWindowAreAppliedAgainNotSkipped() throws Exception {
        onBoth("CREATE DATABASE dm_parent", "CREATE DATABASE dm_child",
                "CREATE TABLE dm_parent.filler (id BIGINT AUTO_INCREMENT PRIMARY KEY, pad VARCHAR(100))",
                "CREATE TABLE dm_parent.parent (id INT PRIMARY KEY)",
                "CREATE TABLE dm_child.child (id INT PRIMARY KEY, note VARCHAR(20), "
                        + "FOREIGN KEY (id) REFERENCES dm_parent.parent (id))");
        fixture.fixStartPositionNow();
        JdbcApplier applier = new JdbcApplier(fixture.targetSettings());
        applier.applyIdempotently(GtidSet.parse(fixture.source().serverUuid() + ":1-1000000")); // all that follows
        Replica replica = fixture.startReplica(applier, builder -> builder.scheduler(SchedulerKind.DATABASE)
                .workers(2).batchSize(1));
        try {
            parentsThenChildren(9);
            fixture.awaitCaughtUp(replica);
            fixture.assertTablesMatch("dm_parent", "dm_child");
            assertThat(replica.status().scheduler().dependencyMisses().total()).as("dependency misses").isPositive();
        } finally {
            replica.stop();
        }
    }

    /**
     * With {@code applier.skipErrors: [1062]}, a duplicate key that only arises because a transaction overtook the one
     * that freed the key (through a cascade the binary log does not show) is not skipped: the row is applied once the
     * earlier transaction committed. A duplicate the target really holds is still skipped, and counted once. With
     * relaxed commit order: preserved, the lock the failed insert leaves makes the earlier transaction wait, and the
     * commit-order timeout applies the later one again anyway (after half a second).
     */
    @Test
    void aDuplicateFromAMissedDependencyIsNotSkippedButARealOneIs() throws Exception {
        int pairs = CLIENTS * TRANSACTIONS_EACH / 2;
        onBoth("CREATE DATABASE dm_parent", "CREATE DATABASE dm_child",
                "CREATE TABLE dm_parent.filler (id BIGINT AUTO_INCREMENT PRIMARY KEY, pad VARCHAR(100))",
                "CREATE TABLE dm_parent.codes (id INT PRIMARY KEY, code VARCHAR(20) NOT NULL, UNIQUE KEY (code))",
                "CREATE TABLE dm_child.holders (id INT PRIMARY KEY, code VARCHAR(20) NOT NULL, UNIQUE KEY (code), "
                        + "FOREIGN KEY (code) REFERENCES dm_parent.codes (code) ON UPDATE CASCADE)",
                "CREATE TABLE dm_child.plain (id INT PRIMARY KEY, v INT)",
                "INSERT INTO dm_parent.codes SELECT n, CONCAT('a', n) FROM (" + numbers(pairs) + ") AS keys_",
                "INSERT INTO dm_child.holders SELECT n, CONCAT('a', n) FROM (" + numbers(pairs) + ") AS keys_");
        fixture.fixStartPositionNow();
        TargetSettings plain = fixture.targetSettings();
        Replica replica = fixture.startReplica(new JdbcApplier(new TargetSettings(plain.url(), plain.user(),
                plain.password(), plain.checkpointSchema(), plain.channel(), Set.of(1062))),
                builder -> builder.scheduler(SchedulerKind.DATABASE).workers(2).batchSize(1)
                        .preserveCommitOrder(false));
        try {
            SourceClients.run(fixture.source(), CLIENTS, TRANSACTIONS_EACH, 9, () -> true, (statement, random, client,
                    transaction) -> {
                int key = client * TRANSACTIONS_EACH / 2 + transaction / 2;
                if (transaction % 2 == 0) {
                    // Frees code a<key> (the cascade renames the holder's too) and gives it to a new parent row.
                    fill(statement);
                    statement.execute("UPDATE dm_parent.codes SET code = CONCAT('b', id) WHERE id = " + key);
                    statement.execute("INSERT INTO dm_parent.codes VALUES (" + (key + MOVED) + ", 'a" + key + "')");
                } else {
                    statement.execute("INSERT INTO dm_child.holders VALUES (" + (key + MOVED) + ", 'a" + key + "')");
                }
            });
            fixture.awaitCaughtUp(replica);
            fixture.assertTablesMatch("dm_parent", "dm_child");
            assertThat(fixture.source().queryString("SELECT COUNT(*) FROM dm_child.holders"))
                    .isEqualTo(String.valueOf(2 * pairs));
            DependencyMisses misses = replica.status().scheduler().dependencyMisses();
            assertThat(misses.total()).as("dependency misses").isPositive();
            assertThat(misses.byTable()).containsOnlyKeys("dm_child.holders");
            assertThat(replica.status().applier().skippedErrors()).isZero();

            // Caught up: nothing runs before it, so its duplicate is real.
            fixture.target().execute("INSERT INTO dm_child.plain VALUES (7, 70)");
            fixture.source().execute("BEGIN", "INSERT INTO dm_child.plain VALUES (7, 70)",
                    "INSERT INTO dm_child.plain VALUES (8, 80)", "COMMIT");
            fixture.awaitCaughtUp(replica);
            fixture.assertTablesMatch("dm_child");
            assertThat(replica.status().applier().skippedErrors()).isEqualTo(1);
            assertThat(replica.status().scheduler().dependencyMisses().total()).isEqualTo(misses.total());
            assertThat(replica.state()).isEqualTo(ReplicaState.RUNNING);
        } finally {
            replica.stop();
        }
    }

    private static void onBoth(String... statements) {
        for (EmbeddedMySql server : List.of(fixture.source(), fixture.target())) {
            server.execute(statements);
        }
    }

    /** A derived table of the numbers 0 to count - 1, as column n. */
    private static String numbers(int count) {
        StringBuilder sql = new StringBuilder("SELECT 0 AS n");
        for (int i = 1; i < count; i++) {
            sql.append(" UNION ALL SELECT ").append(i);
        }
        return sql.toString();
    }

    /** Each client inserts a parent (after filler rows) and then its child, in two transactions. */
    private static void parentsThenChildren(long seed) throws Exception {
        SourceClients.run(fixture.source(), CLIENTS, TRANSACTIONS_EACH, seed, () -> true, (statement, random, client,
                transaction) -> {
            int key = client * 1000 + transaction / 2;
            if (transaction % 2 == 0) {
                fill(statement);
                statement.execute("INSERT INTO dm_parent.parent VALUES (" + key + ")");
            } else {
                statement.execute("INSERT INTO dm_child.child VALUES (" + key + ", 'new')");
            }
        });
    }

    private static void fill(Statement statement) throws SQLException {
        StringBuilder sql = new StringBuilder("INSERT INTO dm_parent.filler (pad) VALUES ");
        for (int i = 0; i < FILLER_ROWS; i++) {
            sql.append(i > 0 ? ", " : "").append("(REPEAT('x', 90))");
        }
        statement.execute(sql.toString());
    }
}
