package dev.binrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.testkit.FaultProxy;
import dev.binrelay.testkit.SourceAndTarget;
import dev.binrelay.testkit.TableChecksum;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault-injection suite: the daemon in its own JVM, reading the source and writing the target through
 * {@link FaultProxy}s, while clients write to the source. Each round starts the daemon (in a random apply mode),
 * lets it work, injects faults it must survive (connections cut, stalled or slowed on either side, servers
 * restarted, its target sessions killed, locks held by another session), checks it recovers, then kills it with
 * SIGKILL at a random instant. After every block of rounds the clients stop, a daemon catches up, and the target
 * must equal the source table by table with a checkpoint equal to the source's gtid_executed.
 *
 * <p>CI runs one block: 20 kills and every fault kind once. {@code -Dsoak.minutes=N} runs blocks for N minutes;
 * {@code -Dbinrelay.faultSeed=S} replays a run (the seed is printed).
 */
class FaultInjectionTest {
    private static final long SEED = Long.getLong("binrelay.faultSeed", System.nanoTime());
    private static final int KILLS_PER_BLOCK = 20;
    private static final long SOAK_MINUTES = Long.getLong("soak.minutes", 0);
    /** Each round picks one: the checkpoint must carry over between schedulers, worker counts and ordering modes. */
    private static final String[] MODES = {
        "  scheduler: serial\n  workers: 1\n",
        "  scheduler: writeset\n  workers: 4\n  preserveCommitOrder: false\n",
        "  scheduler: logical_clock\n  workers: 4\n",
        "  scheduler: database\n  workers: 4\n  preserveCommitOrder: false\n",
        "  scheduler: writeset\n  workers: 16\n  batchSize: 64\n",
        "  scheduler: writeset\n  workers: 4\n  largeTransactionBytes: 4096\n",
    };

    @RegisterExtension
    static final SourceAndTarget servers = SourceAndTarget.create().keepSchemasBetweenTests();

    @TempDir
    Path folder;

    private static final AtomicLong ddlRound = new AtomicLong();
    private FaultProxy sourceProxy;
    private FaultProxy targetProxy;
    private int run;

    /** The faults a running daemon must ride out without a restart. */
    private enum Fault {
        SOURCE_CONNECTION_CUT, SOURCE_STALLED, SOURCE_SLOW, SOURCE_RESTARTED, SOURCE_ROTATED_AND_CUT,
        TARGET_CONNECTION_CUT, TARGET_STALLED, TARGET_SLOW, TARGET_RESTARTED, TARGET_SESSIONS_KILLED,
        TARGET_ROWS_LOCKED
    }

    @Test
    void killsAndFaultsOfEveryKindLoseAndRepeatNothing() throws Exception {
        System.out.println("FaultInjectionTest seed " + SEED + " (rerun with -Dbinrelay.faultSeed=" + SEED + ")");
        Random random = new Random(SEED);
        servers.source().execute("CREATE DATABASE kill9",
                "CREATE TABLE kill9.accounts (id INT PRIMARY KEY, balance BIGINT NOT NULL, note VARCHAR(64))",
                "CREATE TABLE kill9.moves (id BIGINT AUTO_INCREMENT PRIMARY KEY, account INT, amount INT, "
                        + "memo TEXT)",
                "INSERT INTO kill9.accounts VALUES (1, 0, 'a'), (2, 0, 'b'), (3, 0, 'c')");
        // The daemon's own target user, so that killing its sessions spares the test's.
        servers.target().execute("CREATE USER 'binrelay'@'%' IDENTIFIED BY 'Applier-pw1'",
                "GRANT ALL ON *.* TO 'binrelay'@'%'");
        sourceProxy = FaultProxy.start(servers.source().host(), servers.source().port());
        targetProxy = FaultProxy.start(servers.target().host(), servers.target().port());
        long soakEnd = System.nanoTime() + TimeUnit.MINUTES.toNanos(SOAK_MINUTES);
        int kills = 0;
        int faults = 0;
        try {
            do {
                List<Fault> block = new ArrayList<>(List.of(Fault.values()));
                Collections.shuffle(block, random);
                AtomicBoolean writing = new AtomicBoolean(true);
                List<Thread> writers = startWriters(writing, 3);
                try {
                    for (int kill = 1; kill <= KILLS_PER_BLOCK; kill++) {
                        Fault fault = kill <= block.size() ? block.get(kill - 1) : null;
                        runAndKill(random, fault);
                        kills++;
                        faults += fault == null ? 0 : 1;
                    }
                } finally {
                    writing.set(false);
                    for (Thread writer : writers) {
                        writer.join();
                    }
                }
                verifyAfterCatchingUp(random);
                System.out.println("FaultInjectionTest: " + kills + " SIGKILLs and " + faults + " faults so far, "
                        + "target identical to source");
            } while (System.nanoTime() < soakEnd);
        } finally {
            sourceProxy.close();
            targetProxy.close();
        }
        assertThat(kills).isGreaterThanOrEqualTo(KILLS_PER_BLOCK);
        assertThat(faults).isGreaterThanOrEqualTo(Fault.values().length);
    }

    /** One round: a daemon applies, rides out {@code fault} (if any), then dies by SIGKILL at a random instant. */
    private void runAndKill(Random random, Fault fault) throws Exception {
        run++;
        String mode = MODES[random.nextInt(MODES.length)];
        Process daemon = startDaemon(mode);
        try {
            awaitProgress(daemon);
            if (fault != null) {
                inject(fault);
                awaitProgress(daemon); // it recovered by itself, without a restart
            }
            Thread.sleep(random.nextInt(1200)); // the random instant: reading, applying or committing
            assertThat(daemon.isAlive()).as("daemon %d alive before its kill; log:%n%s", run, log()).isTrue();
        } finally {
            daemon.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        System.out.println("run " + run + " (" + mode.replace("\n", " ").trim() + ")"
                + (fault == null ? "" : ", survived " + fault) + ": SIGKILL; checkpoint at "
                + checkpoint().count() + " transactions");
    }

    private void inject(Fault fault) throws Exception {
        switch (fault) {
            case SOURCE_CONNECTION_CUT -> sourceProxy.cutAll();
            case SOURCE_STALLED -> { // silent, not closed: only the heartbeat (1 s) watchdog can tell
                sourceProxy.stall();
                Thread.sleep(5_000);
                sourceProxy.resume();
            }
            case SOURCE_SLOW -> slowFor(sourceProxy);
            case SOURCE_RESTARTED -> servers.source().restart();
            case SOURCE_ROTATED_AND_CUT -> {
                servers.source().execute("FLUSH BINARY LOGS");
                sourceProxy.cutAll();
            }
            case TARGET_CONNECTION_CUT -> targetProxy.cutAll();
            case TARGET_STALLED -> {
                targetProxy.stall();
                Thread.sleep(2_000);
                targetProxy.resume();
            }
            case TARGET_SLOW -> slowFor(targetProxy);
            case TARGET_RESTARTED -> servers.target().restart();
            case TARGET_SESSIONS_KILLED -> killDaemonSessions();
            case TARGET_ROWS_LOCKED -> holdRowLocks();
        }
    }

    private static void slowFor(FaultProxy proxy) throws InterruptedException {
        proxy.delay(Duration.ofMillis(20));
        Thread.sleep(3_000);
        proxy.delay(Duration.ZERO);
    }

    /** KILL CONNECTION for every session of the daemon's target user. */
    private static void killDaemonSessions() throws SQLException {
        try (Connection target = servers.target().connect(); Statement statement = target.createStatement()) {
            List<Long> ids = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery("SELECT id FROM information_schema.processlist "
                    + "WHERE user = 'binrelay'")) {
                while (rows.next()) {
                    ids.add(rows.getLong(1));
                }
            }
            assertThat(ids).as("daemon sessions on the target").isNotEmpty();
            for (long id : ids) {
                try {
                    statement.execute("KILL CONNECTION " + id);
                } catch (SQLException gone) {
                    // ended on its own meanwhile
                }
            }
        }
    }

    /** Another session on the target holds the hot rows for a while: the applier waits, or replays. */
    private static void holdRowLocks() throws Exception {
        try (Connection target = servers.target().connect(); Statement statement = target.createStatement()) {
            target.setAutoCommit(false);
            try {
                statement.executeQuery("SELECT * FROM kill9.accounts FOR UPDATE").close();
                Thread.sleep(2_000);
            } catch (SQLException e) {
                if (!"40001".equals(e.getSQLState())) {
                    throw e;
                }
                // A deadlock with the applier, and InnoDB chose us: the applier went on, which is a fault too.
            }
            target.rollback();
        }
    }

    /** Stops nothing but the writers' pace: a daemon catches up, exits 0 on SIGTERM, and the tables match. */
    private void verifyAfterCatchingUp(Random random) throws Exception {
        run++;
        Process last = startDaemon(MODES[random.nextInt(MODES.length)]);
        try {
            GtidSet wanted = GtidSet.parse(servers.source().gtidExecuted());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (!checkpoint().equals(wanted)) {
                assertThat(last.isAlive()).as("daemon alive; log:%n%s", log()).isTrue();
                assertThat(System.nanoTime()).as("caught up within 180 s").isLessThan(deadline);
                Thread.sleep(100);
            }
            last.destroy(); // SIGTERM: a clean stop
            assertThat(last.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(last.exitValue()).as("exit code after SIGTERM; log:%n%s", log()).isZero();
        } finally {
            last.destroyForcibly();
        }
        assertThat(checkpoint()).isEqualTo(GtidSet.parse(servers.source().gtidExecuted()));
        try (Connection s = servers.source().connect(); Connection t = servers.target().connect()) {
            List<String> tables = TableChecksum.tables(s, "kill9");
            assertThat(TableChecksum.tables(t, "kill9")).isEqualTo(tables);
            for (String table : tables) {
                assertThat(TableChecksum.of(t, "kill9", table)).as(table)
                        .isEqualTo(TableChecksum.of(s, "kill9", table));
            }
        }
    }

    private Process startDaemon(String mode) throws Exception {
        Path config = folder.resolve("binrelay-" + run + ".yaml");
        Files.writeString(config, String.join("\n",
                "source:",
                "  host: " + sourceProxy.host(),
                "  port: " + sourceProxy.port(),
                "  user: root",
                "  password: ''",
                "  serverId: 4343",
                "  heartbeatSeconds: 1",
                "target:",
                "  url: jdbc:mysql://" + targetProxy.host() + ":" + targetProxy.port() + "/?useSSL=false"
                        + "&allowPublicKeyRetrieval=true",
                "  user: binrelay",
                "  password: Applier-pw1",
                "progress:",
                "  intervalSeconds: 1",
                "applier:",
                "  retries: 1000",
                mode));
        return ForkedDaemon.start(config, folder.resolve("daemon-" + run + ".log"), "-Xmx256m");
    }

    /** Waits until this daemon has committed more (so that every fault and kill meets real work). */
    private void awaitProgress(Process daemon) throws Exception {
        ForkedDaemon.awaitMoreApplied(daemon, servers.target(), folder.resolve("daemon-" + run + ".log"));
    }

    private String log() throws Exception {
        return ForkedDaemon.output(folder.resolve("daemon-" + run + ".log"));
    }

    private static GtidSet checkpoint() throws SQLException {
        return ForkedDaemon.checkpoint(servers.target());
    }

    /**
     * Clients moving money between three accounts, and one client changing the schema (so that kills land during
     * DDL too), reconnecting whenever the source restarts.
     */
    private static List<Thread> startWriters(AtomicBoolean writing, int count) {
        List<Thread> writers = new ArrayList<>();
        Thread ddl = new Thread(() -> {
            while (writing.get()) {
                try (Connection connection = servers.source().connect();
                     Statement statement = connection.createStatement()) {
                    while (writing.get()) {
                        changeSchema(statement, ddlRound.incrementAndGet());
                        Thread.sleep(300);
                    }
                } catch (SQLException e) {
                    sleepQuietly(200); // the source is restarting
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "ddl-writer");
        ddl.start();
        writers.add(ddl);
        for (int w = 0; w < count; w++) {
            int seed = w;
            Thread writer = new Thread(() -> {
                Random random = new Random(seed);
                while (writing.get()) {
                    try (Connection connection = servers.source().connect()) {
                        connection.setAutoCommit(false);
                        while (writing.get()) {
                            writeOne(connection, random);
                            Thread.sleep(2);
                        }
                    } catch (SQLException e) {
                        sleepQuietly(200); // the source is restarting
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "writer-" + w);
            writer.start();
            writers.add(writer);
        }
        return writers;
    }

    /** One step of schema churn: tables created, filled, altered, truncated and dropped in turn. */
    private static void changeSchema(Statement statement, long round) throws SQLException {
        String table = "kill9.churn_" + round % 4;
        switch ((int) (round % 5)) {
            case 0 -> statement.execute("CREATE TABLE IF NOT EXISTS " + table + " (id INT PRIMARY KEY, v INT)");
            case 1 -> statement.execute("INSERT IGNORE INTO " + table + " (id, v) VALUES (" + round + ", 1), ("
                    + (round + 1) + ", 2)");
            case 2 -> statement.execute("ALTER TABLE " + table + " ADD COLUMN w" + round + " INT DEFAULT " + round);
            case 3 -> statement.execute("TRUNCATE TABLE " + table);
            default -> statement.execute("DROP TABLE IF EXISTS " + table);
        }
    }

    private static void writeOne(Connection connection, Random random) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            int account = 1 + random.nextInt(3);
            int amount = random.nextInt(100) - 50;
            statement.executeUpdate("UPDATE kill9.accounts SET balance = balance + " + amount + " WHERE id = "
                    + account);
            int rows = random.nextInt(50) == 0 ? 200 : 1; // now and then a transaction past largeTransactionBytes
            for (int i = 0; i < rows; i++) {
                statement.executeUpdate("INSERT INTO kill9.moves (account, amount, memo) VALUES (" + account + ", "
                        + amount + ", REPEAT('m', " + random.nextInt(200) + "))");
            }
            if (random.nextInt(5) == 0) {
                statement.executeUpdate("DELETE FROM kill9.moves WHERE account = " + account
                        + " ORDER BY id LIMIT 1");
            }
            connection.commit();
        } catch (SQLException e) {
            if (connection.isClosed() || e.getSQLState() != null && e.getSQLState().startsWith("08")) {
                throw e; // the source went away: reconnect
            }
            connection.rollback(); // a deadlock between writers: the source rolled it back
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
