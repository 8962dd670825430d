package dev.binrelay.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.binrelay.engine.Replica;
import dev.binrelay.engine.ReplicationFilter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** verify against a real source and target with a running binrelay replica between them. */
class VerifierTest {
    @RegisterExtension
    static final ReplicaPair servers = new ReplicaPair();

    private static final int ACCOUNTS = 20_000;

    @Test
    void cleanReplicaUnderConcurrentWritesToTheVerifiedTablesHasNoDifference() throws Exception {
        Replica replica = servers.startReplica();
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong writes = new AtomicLong();
        List<Thread> writers = new ArrayList<>();
        try {
            servers.source().execute(
                    "CREATE DATABASE bank",
                    "CREATE TABLE bank.accounts (id INT PRIMARY KEY, balance BIGINT NOT NULL, "
                            + "owner VARCHAR(40) CHARACTER SET latin1, note TEXT, touched TIMESTAMP(6) NULL)",
                    "CREATE TABLE bank.ledger (account INT, seq INT, amount DECIMAL(12,2) NOT NULL, "
                            + "PRIMARY KEY (account, seq))",
                    "CREATE TABLE bank.tags (name VARCHAR(30) CHARACTER SET latin1 PRIMARY KEY, n INT NOT NULL)",
                    "CREATE TABLE bank.audit (msg VARCHAR(40), n INT)",
                    "SET SESSION cte_max_recursion_depth = 100000",
                    "INSERT INTO bank.accounts WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s "
                            + "WHERE n < " + ACCOUNTS + ") SELECT n, n * 10, CONCAT('owner \u00e9', n), "
                            + "IF(n % 5 = 0, NULL, REPEAT('x', n % 50)), '2024-03-01 12:00:00.000001' FROM s",
                    "INSERT INTO bank.ledger WITH RECURSIVE s(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM s "
                            + "WHERE n < 4999) SELECT n DIV 10, n % 10, n / 4 FROM s",
                    "INSERT INTO bank.tags WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s "
                            + "WHERE n < 3000) SELECT CONCAT(IF(n % 2 = 0, '\u00e9t\u00e9-', 'Tag-'), n), n FROM s",
                    "INSERT INTO bank.audit WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s "
                            + "WHERE n < 200) SELECT CONCAT('event ', n % 50), n % 3 FROM s");
            servers.awaitCaughtUp(replica);
            for (int thread = 0; thread < 2; thread++) {
                int id = thread;
                Thread writer = new Thread(() -> write(id, writing, writes), "source-writer-" + thread);
                writer.start();
                writers.add(writer);
            }

            long writesBefore = writes.get();
            VerifyReport report = servers.verifier().chunkRows(500).build().verify();
            long writesDuring = writes.get() - writesBefore;

            assertThat(report.identical()).as(describe(report)).isTrue();
            assertThat(report.tables()).extracting(TableReport::name)
                    .containsExactly("bank.accounts", "bank.audit", "bank.ledger", "bank.tags");
            TableReport accounts = report.tables().get(0);
            assertThat(accounts.chunks()).as("chunks of 500 rows").isGreaterThanOrEqualTo(ACCOUNTS / 500);
            assertThat(accounts.rows()).isGreaterThan(ACCOUNTS - 500);
            assertThat(report.tables().get(1).chunking()).isEqualTo(TableReport.Chunking.ONE_CHUNK_NO_KEY);
            assertThat(report.tables().get(1).chunks()).isEqualTo(1);
            assertThat(report.tables().get(2).chunks()).as("composite key chunks").isGreaterThanOrEqualTo(10);
            assertThat(writesDuring).as("source transactions committed while verify ran").isGreaterThan(100);
        } finally {
            writing.set(false);
            for (Thread writer : writers) {
                writer.join();
            }
            replica.stop();
        }
    }

    @Test
    void plantedDifferencesOnTheTargetAreNamedExactly() throws Exception {
        Replica replica = servers.startReplica();
        try {
            createShop();
            servers.awaitCaughtUp(replica);
            servers.target().execute(
                    "UPDATE shop.items SET name = 'changed' WHERE id = 1234",
                    "UPDATE shop.items SET note = '' WHERE id = 77", // NULL on the source: NULL is not ''
                    "DELETE FROM shop.items WHERE id = 2500",
                    "INSERT INTO shop.items VALUES (5000, 'extra', NULL, 1.00)",
                    "UPDATE shop.lines SET qty = qty + 1 WHERE order_id = 7 AND line_no = 2",
                    "DELETE FROM shop.log WHERE msg = 'dup' LIMIT 1",
                    "DROP TABLE shop.gone");

            VerifyReport report = servers.verifier().chunkRows(500).build().verify();

            assertThat(report.identical()).isFalse();
            List<String> found = new ArrayList<>();
            for (TableReport table : report.tables()) {
                assertThat(table.unverified()).as(table.name()).isEmpty();
                table.differences().forEach(row -> found.add(table.name() + " " + row.kind().label() + " "
                        + row.describe()));
            }
            assertThat(found).containsExactlyInAnyOrder(
                    "shop.items different id=1234",
                    "shop.items different id=77",
                    "shop.items missing on target id=2500",
                    "shop.items extra on target id=5000",
                    "shop.lines different order_id=7, line_no=2",
                    "shop.log missing on target msg=dup, n=1");
            assertThat(report.tables()).extracting(TableReport::name, TableReport::tableDifference).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("shop.clean", null),
                    org.assertj.core.groups.Tuple.tuple("shop.gone", "missing on the target"),
                    org.assertj.core.groups.Tuple.tuple("shop.items", null),
                    org.assertj.core.groups.Tuple.tuple("shop.lines", null),
                    org.assertj.core.groups.Tuple.tuple("shop.log", null));
            assertThat(report.tables().get(0).identical()).isTrue();
            assertThat(report.tables().get(2).differingChunks()).as("items: ids 77, 1234, 2500 and 5000")
                    .isEqualTo(4);
            assertThat(report.differingRows()).isEqualTo(6);
            assertThat(report.unverifiedChunks()).isZero();
        } finally {
            replica.stop();
        }
    }

    @Test
    void manyDifferencesInOneChunkAreListedUpToTheCapAndCounted() throws Exception {
        Replica replica = servers.startReplica();
        try {
            servers.source().execute("CREATE DATABASE bulk", "CREATE TABLE bulk.t (id INT PRIMARY KEY, v INT)",
                    "INSERT INTO bulk.t WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 100)"
                            + " SELECT n, n FROM s");
            servers.awaitCaughtUp(replica);
            servers.target().execute("DELETE FROM bulk.t WHERE id <= 30");

            TableReport table = servers.verifier().tables(List.of("bulk.%")).build().verify().tables().get(0);

            assertThat(table.differences()).hasSize(Verifier.ROWS_LISTED_PER_CHUNK)
                    .allMatch(row -> row.kind() == RowDifference.Kind.MISSING_ON_TARGET);
            assertThat(table.differences().get(0).describe()).isEqualTo("id=1");
            assertThat(table.unlistedDifferences()).isEqualTo(10);
            assertThat(table.differingRows()).isEqualTo(30);
        } finally {
            replica.stop();
        }
    }

    @Test
    void targetLaggingBeyondTheMaximumWaitLeavesTheChunkNotVerified() throws Exception {
        Replica replica = servers.startReplica();
        try {
            createShop();
            servers.awaitCaughtUp(replica);
        } finally {
            replica.stop();
        }
        servers.source().execute("INSERT INTO shop.items VALUES (9000, 'after the replica stopped', NULL, 2.00)");

        long started = System.nanoTime();
        VerifyReport report = servers.verifier().maxWait(Duration.ofSeconds(2)).build().verify();
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(report.identical()).isFalse();
        assertThat(report.differingRows()).isZero();
        TableReport first = report.tables().get(0);
        assertThat(first.unverified()).singleElement().asString().contains("target lagging", "1 source transactions",
                "after 2 s");
        assertThat(report.tables().subList(1, report.tables().size())).allSatisfy(table -> assertThat(
                table.unverified()).singleElement().asString().contains("skipped after the target lagged"));
        assertThat(took).as("one wait, not one per table").isLessThan(Duration.ofSeconds(20));
    }

    /** Five tables: keyed, composite-keyed, keyless with duplicate rows, one to drop, one left alone. */
    private static void createShop() {
        servers.source().execute(
                "CREATE DATABASE shop",
                "CREATE TABLE shop.items (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL, note VARCHAR(40), "
                        + "price DECIMAL(10,2))",
                "CREATE TABLE shop.lines (order_id INT, line_no INT, qty INT, PRIMARY KEY (order_id, line_no))",
                "CREATE TABLE shop.log (msg VARCHAR(40), n INT)",
                "CREATE TABLE shop.gone (id INT PRIMARY KEY)",
                "CREATE TABLE shop.clean (id BIGINT UNSIGNED PRIMARY KEY, b VARBINARY(16), t DATETIME(6))",
                "SET SESSION cte_max_recursion_depth = 10000",
                "INSERT INTO shop.items WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 3000) "
                        + "SELECT n, CONCAT('item ', n), IF(n % 7 = 0, NULL, 'note'), n / 100 FROM s",
                "INSERT INTO shop.lines WITH RECURSIVE s(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM s WHERE n < 1999) "
                        + "SELECT n DIV 4, n % 4, n FROM s",
                "INSERT INTO shop.log VALUES ('dup', 1), ('dup', 1), ('one', NULL), ('', 2)",
                "INSERT INTO shop.gone VALUES (1), (2)",
                "INSERT INTO shop.clean VALUES (18446744073709551615, X'00FF', '2024-01-01 00:00:00.5'), "
                        + "(0, NULL, NULL)");
    }

    /** One source client: random single-row and two-row transactions on the verified tables until told to stop. */
    private static void write(int thread, AtomicBoolean writing, AtomicLong writes) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int nextId = 100_000 * (thread + 1);
        try (Connection connection = servers.source().connect(); Statement statement = connection.createStatement()) {
            while (writing.get()) {
                int id = 1 + random.nextInt(ACCOUNTS);
                String[] transaction = switch (random.nextInt(7)) {
                    case 0 -> new String[] {"UPDATE bank.accounts SET balance = balance + 1, touched = NOW(6) "
                            + "WHERE id = " + id};
                    case 1 -> new String[] {"INSERT INTO bank.accounts VALUES (" + nextId++ + ", 1, 'new', NULL, "
                            + "NULL)"};
                    case 2 -> new String[] {"DELETE FROM bank.accounts WHERE id = " + id};
                    case 3 -> new String[] {"UPDATE bank.accounts SET balance = balance - 5 WHERE id = " + id,
                            "UPDATE bank.accounts SET balance = balance + 5 WHERE id = " + (ACCOUNTS + 1 - id)};
                    case 4 -> new String[] {"INSERT INTO bank.ledger VALUES (" + (id % 500) + ", " + nextId++
                            + ", 1.25)"};
                    case 5 -> new String[] {"DELETE FROM bank.ledger WHERE account = " + (id % 500)
                            + " AND seq = " + (id % 10)};
                    default -> new String[] {"UPDATE bank.tags SET n = n + 1 WHERE name = '\u00e9t\u00e9-"
                            + 2 * (1 + id % 1500) + "'"};
                };
                if (runTransaction(connection, statement, transaction)) {
                    writes.incrementAndGet();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs one transaction; one that loses a deadlock or lock wait against verify's locking read is dropped. */
    private static boolean runTransaction(Connection connection, Statement statement, String[] sql)
            throws SQLException {
        connection.setAutoCommit(false);
        try {
            for (String each : sql) {
                statement.execute(each);
            }
            connection.commit();
            return true;
        } catch (SQLException e) {
            connection.rollback();
            if (e.getErrorCode() == 1213 || e.getErrorCode() == 1205) {
                return false;
            }
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    @Test
    void aRewrittenDatabaseIsComparedUnderItsTargetNameAndFilteredTablesAreLeftOut() throws Exception {
        // Rules name the target database: rewrite first, as MySQL does.
        ReplicationFilter filter = ReplicationFilter.builder().rewriteDb("prod", "staging")
                .ignoreTable("staging.secrets").build();
        Replica replica = servers.startReplica(filter);
        try {
            servers.source().execute("CREATE DATABASE prod",
                    "CREATE TABLE prod.orders (id INT PRIMARY KEY, amount INT NOT NULL, note VARCHAR(20))",
                    "CREATE TABLE prod.secrets (id INT PRIMARY KEY, token VARCHAR(20))",
                    "SET SESSION cte_max_recursion_depth = 10000",
                    "INSERT INTO prod.orders WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s "
                            + "WHERE n < 3000) SELECT n, n % 97, CONCAT('order ', n) FROM s",
                    "INSERT INTO prod.secrets VALUES (1, 'only on the source')");
            servers.awaitCaughtUp(replica);
            assertThat(servers.target().queryString("SELECT COUNT(*) FROM information_schema.TABLES WHERE "
                    + "TABLE_NAME = 'secrets' OR TABLE_SCHEMA = 'prod'")).as("filtered tables on the target")
                    .isEqualTo("0");
            Verifier.Builder verifier = servers.verifier().chunkRows(500)
                    .replicatedTables(filter::keepsTable).targetDatabase(filter::targetDatabase);

            VerifyReport clean = verifier.build().verify();

            assertThat(clean.identical()).as(describe(clean)).isTrue();
            assertThat(clean.tables()).extracting(TableReport::name).containsExactly("prod.orders");
            assertThat(clean.tables().get(0).rows()).isEqualTo(3000);
            assertThatThrownBy(() -> verifier.tables(List.of("prod.secrets")).build().verify())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("filters leave out");

            servers.target().execute("UPDATE staging.orders SET amount = amount + 1 WHERE id = 1234");
            VerifyReport drifted = verifier.tables(List.of("prod.%")).build().verify();

            assertThat(drifted.identical()).isFalse();
            assertThat(drifted.tables()).hasSize(1);
            assertThat(drifted.tables().get(0).differences()).as(describe(drifted)).hasSize(1);
            assertThat(drifted.tables().get(0).differences().get(0).toString()).contains("1234");
        } finally {
            replica.stop();
        }
    }

    private static String describe(VerifyReport report) {
        StringBuilder text = new StringBuilder();
        for (TableReport table : report.tables()) {
            text.append(table).append('\n');
        }
        return text.toString();
    }
}
