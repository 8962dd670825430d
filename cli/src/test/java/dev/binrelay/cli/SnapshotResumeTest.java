package dev.binrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.testkit.SourceAndTarget;
import dev.binrelay.testkit.TableChecksum;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code binrelay run} with {@code snapshot.mode: initial}, SIGKILLed in the middle of the copy while clients keep
 * writing, then started again: it resumes the copy where it stopped, catches up (the transactions between its two
 * snapshots applied idempotently) and the target equals the source.
 */
class SnapshotResumeTest {
    private static final int ROWS_PER_TABLE = 20_000;
    private static final int KILL_AFTER_ROWS = 6_000;
    private static final Pattern DONE = Pattern.compile("snapshot done: (\\d+) tables, (\\d+) rows");

    @RegisterExtension
    static final SourceAndTarget servers = SourceAndTarget.create().keepSchemasBetweenTests();

    @TempDir
    Path folder;

    @Test
    void aCopyKilledMidwayResumesAfterItsLastChunkAndEndsEqual() throws Exception {
        servers.source().execute("CREATE DATABASE resume",
                "CREATE TABLE resume.accounts (id INT PRIMARY KEY, owner VARCHAR(40) NOT NULL, "
                        + "code INT NOT NULL, balance BIGINT, UNIQUE KEY (code))",
                "CREATE TABLE resume.events (day DATE NOT NULL, seq INT NOT NULL, what VARCHAR(40), "
                        + "PRIMARY KEY (day, seq))",
                "CREATE TABLE resume.notes (line VARCHAR(40))",
                "INSERT INTO resume.notes VALUES ('a'), ('b'), ('a')");
        fill();
        Path config = folder.resolve("binrelay.yaml");
        Files.writeString(config, "source:\n  host: " + servers.source().host() + "\n  port: " + servers.source().port()
                + "\n  user: root\n  serverId: 7101\n"
                + "target:\n  url: " + servers.target().jdbcUrl() + "\n  user: root\n"
                + "applier:\n  scheduler: writeset\n  workers: 4\n"
                + "progress:\n  intervalSeconds: 1\n"
                + "snapshot:\n  mode: initial\n  schemas: [resume]\n  threads: 2\n  chunkRows: 100\n");
        AtomicBoolean writing = new AtomicBoolean(true);
        List<CompletableFuture<Void>> writers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            long seed = i;
            writers.add(CompletableFuture.runAsync(() -> write(seed, writing)));
        }
        Path firstLog = folder.resolve("first.log");
        Process first = ForkedDaemon.start(config, firstLog);
        long copiedAtKill;
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while ((copiedAtKill = copiedSoFar()) < KILL_AFTER_ROWS) {
                assertThat(first.isAlive()).as(ForkedDaemon.output(firstLog)).isTrue();
                assertThat(System.nanoTime()).as("rows copied within 60 s").isLessThan(deadline);
                Thread.sleep(20);
            }
            first.destroyForcibly(); // SIGKILL, mid-copy
            first.waitFor(30, TimeUnit.SECONDS);
            copiedAtKill = copiedSoFar();
        } finally {
            first.destroyForcibly();
        }
        assertThat(ForkedDaemon.output(firstLog)).doesNotContain("snapshot done");
        assertThat(ForkedDaemon.checkpoint(servers.target()).isEmpty()).as("no checkpoint before the copy is done")
                .isTrue();

        Path secondLog = folder.resolve("second.log");
        Process second = ForkedDaemon.start(config, secondLog);
        try {
            Thread.sleep(1500); // writes continue across the resumed copy
            writing.set(false);
            CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).join();
            GtidSet wanted = GtidSet.parse(servers.source().gtidExecuted());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!ForkedDaemon.checkpoint(servers.target()).containsAll(wanted)) {
                assertThat(second.isAlive()).as(ForkedDaemon.output(secondLog)).isTrue();
                assertThat(System.nanoTime()).as("caught up within 90 s: %s", ForkedDaemon.output(secondLog))
                        .isLessThan(deadline);
                Thread.sleep(50);
            }
        } finally {
            writing.set(false);
            second.destroy();
            second.waitFor(30, TimeUnit.SECONDS);
        }

        String resumed = ForkedDaemon.output(secondLog);
        assertThat(resumed).contains("resuming the snapshot taken at");
        Matcher done = DONE.matcher(resumed);
        assertThat(done.find()).as(resumed).isTrue();
        long copiedAfterRestart = Long.parseLong(done.group(2));
        System.out.println("SnapshotResumeTest: " + copiedAtKill + " rows copied before the kill, " + copiedAfterRestart
                + " by the resumed run");
        assertThat(copiedAtKill).isGreaterThanOrEqualTo(KILL_AFTER_ROWS);
        // A copy from zero would copy about every row the source holds (a few deletes after the second snapshot
        // aside); the resumed one copies that minus the rows committed before the kill.
        long sourceRows = Long.parseLong(servers.source().queryString("SELECT (SELECT COUNT(*) FROM resume.accounts) "
                + "+ (SELECT COUNT(*) FROM resume.events) + (SELECT COUNT(*) FROM resume.notes)"));
        assertThat(copiedAfterRestart).as("rows the resumed run copied").isPositive()
                .isLessThan(sourceRows - copiedAtKill / 2);
        assertTablesMatch("resume");
        assertThat(ForkedDaemon.checkpoint(servers.target()))
                .isEqualTo(GtidSet.parse(servers.source().gtidExecuted()));
    }

    private static void fill() {
        List<String> statements = new ArrayList<>();
        for (int start = 0; start < ROWS_PER_TABLE; start += 1000) {
            StringBuilder accounts = new StringBuilder("INSERT INTO resume.accounts VALUES ");
            StringBuilder events = new StringBuilder("INSERT INTO resume.events VALUES ");
            for (int i = start; i < start + 1000; i++) {
                accounts.append(i > start ? ", " : "").append("(").append(i).append(", 'owner ").append(i)
                        .append("', ").append(i).append(", ").append(i * 10L).append(")");
                events.append(i > start ? ", " : "").append("(DATE_ADD('2024-01-01', INTERVAL ").append(i % 365)
                        .append(" DAY), ").append(i).append(", 'event ").append(i).append("')");
            }
            statements.add(accounts.toString());
            statements.add(events.toString());
        }
        servers.source().execute(statements.toArray(String[]::new));
    }

    /** Inserts, updates (balances, unique codes swapped, keys moved) and deletes until told to stop. */
    private static void write(long seed, AtomicBoolean writing) {
        Random random = new Random(seed);
        long next = ROWS_PER_TABLE + seed * 1_000_000;
        try (Connection connection = servers.source().connect(); Statement statement = connection.createStatement()) {
            while (writing.get()) {
                int id = random.nextInt(ROWS_PER_TABLE);
                switch (random.nextInt(6)) {
                    case 0 -> statement.execute("INSERT INTO resume.accounts VALUES (" + next + ", 'new', "
                            + next++ + ", 0)");
                    case 1 -> statement.execute("UPDATE resume.accounts SET balance = balance + 1 WHERE id = " + id);
                    case 2 -> statement.execute("DELETE FROM resume.accounts WHERE id = " + id);
                    case 3 -> {
                        // A unique code moves from one row to another: rows copied at different snapshots collide.
                        statement.execute("BEGIN");
                        statement.execute("UPDATE IGNORE resume.accounts SET code = -ABS(code) - 1 WHERE id = " + id);
                        statement.execute("UPDATE IGNORE resume.accounts SET code = " + id + " WHERE id = "
                                + (id + 1) % ROWS_PER_TABLE);
                        statement.execute("COMMIT");
                    }
                    case 4 -> statement.execute("UPDATE IGNORE resume.events SET seq = seq + 100000, what = 'moved' "
                            + "WHERE seq = " + id);
                    default -> statement.execute("INSERT INTO resume.notes VALUES ('writer " + seed + "')");
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long copiedSoFar() throws SQLException {
        try (Connection connection = servers.target().connect(); Statement statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT COALESCE(SUM(rows_copied), 0) FROM binrelay.snapshot_progress")) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            if (e.getErrorCode() == 1146 || e.getErrorCode() == 1049) {
                return 0;
            }
            throw e;
        }
    }

    private static void assertTablesMatch(String schema) throws SQLException {
        try (Connection source = servers.source().connect(); Connection target = servers.target().connect()) {
            List<String> tables = TableChecksum.tables(source, schema);
            assertThat(TableChecksum.tables(target, schema)).isEqualTo(tables);
            for (String table : tables) {
                assertThat(TableChecksum.of(target, schema, table)).as(table)
                        .isEqualTo(TableChecksum.of(source, schema, table));
            }
        }
    }
}
