package dev.binrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.testkit.EmbeddedMySql;
import dev.binrelay.testkit.SourceAndTarget;
import dev.binrelay.testkit.TableChecksum;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9's acceptance line: a source with a million rows in four tables, under a write load from four clients, gets a
 * new replica with one command ({@code binrelay run} with {@code snapshot.mode: initial}, writeset with 4 workers, in
 * a JVM of its own); {@code binrelay verify} then reports no difference while the writes go on, and once they stop
 * every table hashes alike on both sides. The copy rate is printed next to a {@code mysqldump | mysql} reload of the
 * same data on the same machine. Manual, not in CI (minutes on 2 cores):
 * {@code mvn -o -pl cli -am test -Dtest=SnapshotAcceptanceTest -DexcludedGroups=none
 * -Dsurefire.failIfNoSpecifiedTests=false} ({@code -Dbinrelay.accept.rows=N} for another size,
 * {@code -Dbinrelay.accept.writesPerSecond=N} for another load).
 */
@Tag("manual")
class SnapshotAcceptanceTest {
    private static final int ROWS = Integer.getInteger("binrelay.accept.rows", 1_000_000);
    private static final int TABLES = 4;
    private static final int ROWS_PER_TABLE = ROWS / TABLES;
    private static final int WRITERS = 4;
    /** Transactions per second of all writers together: a steady load the replica can catch up with on 2 cores. */
    private static final int WRITES_PER_SECOND = Integer.getInteger("binrelay.accept.writesPerSecond", 200);
    private static final String SCHEMA = "accept";
    private static final int ER_LOCK_WAIT_TIMEOUT = 1205;
    private static final int ER_LOCK_DEADLOCK = 1213;
    private static final Pattern DONE = Pattern.compile(
            "snapshot done: (\\d+) tables, (\\d+) rows in ([0-9.,]+) s \\((\\d+) rows/s\\)");
    private static final Pattern TABLE_CHUNKS = Pattern.compile("(?m)^\\S+: (\\d+) chunks?");

    @RegisterExtension
    static final SourceAndTarget servers = SourceAndTarget.create().keepSchemasBetweenTests();

    @TempDir
    Path folder;

    @Test
    void aMillionRowSourceUnderWritesGetsAReplicaWithOneCommandAndVerifiesIdentical() throws Exception {
        fill();
        Path config = folder.resolve("binrelay.yaml");
        Files.writeString(config, "source:\n  host: " + servers.source().host() + "\n  port: " + servers.source().port()
                + "\n  user: root\n  serverId: 7301\n"
                + "target:\n  url: " + servers.target().jdbcUrl() + "\n  user: root\n"
                + "applier:\n  scheduler: writeset\n  workers: 4\n"
                + "progress:\n  intervalSeconds: 5\n"
                + "snapshot:\n  mode: initial\n  schemas: [" + SCHEMA + "]\n");
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong committed = new AtomicLong();
        AtomicLong retried = new AtomicLong();
        // Threads of their own: the common pool may have fewer threads than writers, and they block on the source.
        ExecutorService clients = Executors.newFixedThreadPool(WRITERS);
        List<CompletableFuture<Void>> writers = new ArrayList<>();
        for (int i = 0; i < WRITERS; i++) {
            int writer = i;
            writers.add(CompletableFuture.runAsync(() -> write(writer, writing, committed, retried), clients));
        }
        Path log = folder.resolve("daemon.log");
        Process daemon = null;
        CommandResult verify;
        long writesDuringVerify;
        try {
            Thread.sleep(2000); // the writes start before the copy
            assertThat(committed.get()).as("writes before the copy").isPositive();
            daemon = ForkedDaemon.start(config, log);
            Matcher done = awaitSnapshotDone(daemon, log);
            awaitCaughtUp(daemon, log, GtidSet.parse(servers.source().gtidExecuted()));

            long before = committed.get();
            verify = CommandResult.run("verify", "--config", config.toString());
            writesDuringVerify = committed.get() - before;
            System.out.print(verify.out());
            System.out.print(verify.err().isEmpty() ? "" : "verify stderr: " + verify.err());

            writing.set(false);
            CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).join();
            awaitCaughtUp(daemon, log, GtidSet.parse(servers.source().gtidExecuted()));
            assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
            assertThat(verify.out()).contains("verdict: IDENTICAL");
            assertThat(writesDuringVerify).as("transactions committed while verify ran").isPositive();
            assertTablesMatch();
            System.out.println(String.format(Locale.ROOT, "SnapshotAcceptanceTest: %d writer transactions committed "
                    + "(%d while verify ran), %d retried after a deadlock or lock wait timeout", committed.get(),
                    writesDuringVerify, retried.get()));

            daemon.destroy();
            assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).as("daemon stopped").isTrue();
            long copiedRows = Long.parseLong(done.group(2));
            double copySeconds = Double.parseDouble(done.group(3).replace(',', '.'));
            long copyRate = Long.parseLong(done.group(4));
            assertThat(copiedRows).isGreaterThanOrEqualTo(ROWS / 2);
            Reload reload = dumpAndReload();
            System.out.println(String.format(Locale.ROOT, "SnapshotAcceptanceTest: binrelay snapshot %d rows/s "
                    + "(%d rows, copy %.1f s, under %d writers) vs mysqldump|mysql %.0f rows/s (%d rows, %.1f s, no "
                    + "writes); verify: IDENTICAL, %d chunks", copyRate, copiedRows, copySeconds, WRITERS,
                    reload.rows() / reload.seconds(), reload.rows(), reload.seconds(), chunks(verify.out())));
        } finally {
            writing.set(false);
            clients.shutdown();
            if (daemon != null) {
                daemon.destroy();
                daemon.waitFor(60, TimeUnit.SECONDS);
                daemon.destroyForcibly();
            }
        }
    }

    /** Four tables of {@code ROWS / 4} rows, about 100 bytes a row, with a secondary index (SnapshotRateTest's). */
    private static void fill() {
        List<String> statements = new ArrayList<>(List.of("CREATE DATABASE " + SCHEMA,
                "SET SESSION cte_max_recursion_depth = 10000000"));
        for (int t = 0; t < TABLES; t++) {
            statements.add("CREATE TABLE " + SCHEMA + ".t" + t + " (id INT PRIMARY KEY, account BIGINT NOT NULL, "
                    + "name VARCHAR(40) NOT NULL, amount DECIMAL(12,2), created DATETIME(6), note VARCHAR(40), "
                    + "KEY (account))");
            statements.add("INSERT INTO " + SCHEMA + ".t" + t + " WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL "
                    + "SELECT i + 1 FROM n WHERE i < " + ROWS_PER_TABLE + ") SELECT i, i * 7919, CONCAT('name ', i), "
                    + "i / 100, '2024-01-01 00:00:00.123456' + INTERVAL i SECOND, REPEAT('x', 30) FROM n");
        }
        servers.source().execute(statements.toArray(String[]::new));
    }

    /**
     * One client's load, paced to its share of {@code WRITES_PER_SECOND}, until told to stop: single-row inserts,
     * updates (some moving a row's secondary-index key) and deletes, multi-row inserts, range updates, and
     * transactions touching three tables. A deadlock or lock wait timeout (verify's locking reads, or two writers'
     * ranges) rolls back and goes on, as an application would retry.
     */
    private static void write(int writer, AtomicBoolean writing, AtomicLong committed, AtomicLong retried) {
        Random random = new Random(writer);
        long periodNanos = TimeUnit.SECONDS.toNanos(1) * WRITERS / WRITES_PER_SECOND;
        long next = 10_000_000L * (writer + 1); // fresh keys of this writer, far above the filled ones
        long due = System.nanoTime();
        try (Connection connection = servers.source().connect(); Statement statement = connection.createStatement()) {
            while (writing.get()) {
                String table = SCHEMA + ".t" + random.nextInt(TABLES);
                int id = 1 + random.nextInt(ROWS_PER_TABLE);
                List<String> transaction = switch (random.nextInt(7)) {
                    case 0 -> List.of("INSERT INTO " + table + " VALUES " + newRow(next++));
                    case 1 -> List.of("UPDATE " + table + " SET amount = amount + 1, note = 'writer " + writer
                            + "' WHERE id = " + id);
                    case 2 -> List.of("UPDATE " + table + " SET account = account + 1 WHERE id = " + id);
                    case 3 -> List.of("DELETE FROM " + table + " WHERE id = " + id);
                    case 4 -> {
                        StringBuilder insert = new StringBuilder("INSERT INTO " + table + " VALUES ");
                        for (int i = 0; i < 10; i++) {
                            insert.append(i > 0 ? ", " : "").append(newRow(next++));
                        }
                        yield List.of(insert.toString());
                    }
                    case 5 -> List.of("UPDATE " + table + " SET amount = amount - 1 WHERE id BETWEEN " + id
                            + " AND " + (id + 20));
                    default -> List.of(
                            "UPDATE " + SCHEMA + ".t0 SET amount = amount - 5 WHERE id = " + id,
                            "UPDATE " + SCHEMA + ".t1 SET amount = amount + 5 WHERE id = " + id,
                            "DELETE FROM " + SCHEMA + ".t2 WHERE id = " + (id + 1),
                            "INSERT INTO " + SCHEMA + ".t3 VALUES " + newRow(next++));
                };
                if (runTransaction(connection, statement, transaction)) {
                    committed.incrementAndGet();
                } else {
                    retried.incrementAndGet();
                }
                due += periodNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                } else {
                    due = System.nanoTime(); // behind (a lock wait): go on at the pace, without a burst to catch up
                }
            }
        } catch (SQLException | InterruptedException e) {
            throw new IllegalStateException("writer " + writer + ": " + e.getMessage(), e);
        }
    }

    private static String newRow(long id) {
        return "(" + id + ", " + id * 7919 + ", 'new " + id + "', 1.50, NOW(6), REPEAT('y', 30))";
    }

    /** Runs the statements as one transaction: true when it committed, false when a lock conflict rolled it back. */
    private static boolean runTransaction(Connection connection, Statement statement, List<String> sql)
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
            if (e.getErrorCode() == ER_LOCK_DEADLOCK || e.getErrorCode() == ER_LOCK_WAIT_TIMEOUT) {
                return false;
            }
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    private static Matcher awaitSnapshotDone(Process daemon, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(20);
        while (true) {
            String output = ForkedDaemon.output(log);
            Matcher done = DONE.matcher(output);
            if (done.find()) {
                return done;
            }
            assertThat(daemon.isAlive()).as(output).isTrue();
            assertThat(System.nanoTime()).as("snapshot done within 20 min: %s", output).isLessThan(deadline);
            Thread.sleep(500);
        }
    }

    private static void awaitCaughtUp(Process daemon, Path log, GtidSet wanted) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (!ForkedDaemon.checkpoint(servers.target()).containsAll(wanted)) {
            assertThat(daemon.isAlive()).as(ForkedDaemon.output(log)).isTrue();
            assertThat(System.nanoTime()).as("caught up within 10 min: %s", ForkedDaemon.output(log))
                    .isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static void assertTablesMatch() throws SQLException {
        try (Connection source = servers.source().connect(); Connection target = servers.target().connect()) {
            assertTablesMatch(source, target);
        }
    }

    private static void assertTablesMatch(Connection source, Connection target) throws SQLException {
        List<String> tables = TableChecksum.tables(source, SCHEMA);
        assertThat(tables).hasSize(TABLES);
        assertThat(TableChecksum.tables(target, SCHEMA)).isEqualTo(tables);
        for (String table : tables) {
            assertThat(TableChecksum.of(target, SCHEMA, table)).as(table)
                    .isEqualTo(TableChecksum.of(source, SCHEMA, table));
        }
    }

    /** The chunks verify checked, summed over its table lines. */
    private static long chunks(String verifyOutput) {
        Matcher table = TABLE_CHUNKS.matcher(verifyOutput);
        long chunks = 0;
        while (table.find()) {
            chunks += Long.parseLong(table.group(1));
        }
        return chunks;
    }

    /**
     * The source's data (writes stopped) through {@code mysqldump --single-transaction | mysql} (Debian's
     * mariadb-client) into a fresh server, timed, then compared table by table.
     */
    private static Reload dumpAndReload() throws Exception {
        assertThat(new File("/usr/bin/mysqldump").canExecute() && new File("/usr/bin/mysql").canExecute())
                .as("/usr/bin/mysqldump and /usr/bin/mysql (mariadb-client) installed").isTrue();
        long rows = Long.parseLong(servers.source().queryString("SELECT (SELECT COUNT(*) FROM " + SCHEMA + ".t0) + "
                + "(SELECT COUNT(*) FROM " + SCHEMA + ".t1) + (SELECT COUNT(*) FROM " + SCHEMA + ".t2) + "
                + "(SELECT COUNT(*) FROM " + SCHEMA + ".t3)"));
        try (EmbeddedMySql fresh = EmbeddedMySql.startTarget()) {
            String command = "/usr/bin/mysqldump -h " + servers.source().host() + " -P " + servers.source().port()
                    + " -u root --skip-ssl --single-transaction --databases " + SCHEMA + " | /usr/bin/mysql -h "
                    + fresh.host() + " -P " + fresh.port() + " -u root --skip-ssl";
            long start = System.nanoTime();
            Process reload = new ProcessBuilder("bash", "-o", "pipefail", "-c", command).redirectErrorStream(true)
                    .start();
            String output = new String(reload.getInputStream().readAllBytes());
            assertThat(reload.waitFor()).as(output).isZero();
            double seconds = (System.nanoTime() - start) / 1e9;
            try (Connection source = servers.source().connect(); Connection target = fresh.connect()) {
                assertTablesMatch(source, target);
            }
            return new Reload(rows, seconds);
        }
    }

    /** A timed {@code mysqldump | mysql} reload. */
    private record Reload(long rows, double seconds) {
    }
}
