package dev.binrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.testkit.TableChecksum;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon as a separate JVM, killed with SIGKILL at random instants while the source is under load, then started
 * again: in the end the target equals the source and its checkpoint equals the source's gtid_executed.
 */
class DaemonKillTest {
    private static final long SEED = Long.getLong("binrelay.killSeed", System.nanoTime());
    private static final int KILLS = 20;
    /** Each restart picks one: the checkpoint must carry over between schedulers, worker counts and ordering modes. */
    private static final String[] MODES = {
        "  scheduler: serial\n  workers: 1\n",
        "  scheduler: writeset\n  workers: 4\n  preserveCommitOrder: false\n",
        "  scheduler: logical_clock\n  workers: 4\n",
        "  scheduler: database\n  workers: 4\n  preserveCommitOrder: false\n",
        "  scheduler: writeset\n  workers: 16\n  batchSize: 64\n",
    };
    @RegisterExtension
    static final ServerPair servers = new ServerPair();

    @TempDir
    Path folder;

    @Test
    void sigkillAtRandomInstantsUnderLoadLosesAndRepeatsNothing() throws Exception {
        System.out.println("DaemonKillTest seed " + SEED + " (rerun with -Dbinrelay.killSeed=" + SEED + ")");
        Random random = new Random(SEED);
        servers.source.execute("CREATE DATABASE kill9",
                "CREATE TABLE kill9.accounts (id INT PRIMARY KEY, balance BIGINT NOT NULL, note VARCHAR(64))",
                "CREATE TABLE kill9.moves (id BIGINT AUTO_INCREMENT PRIMARY KEY, account INT, amount INT)",
                "INSERT INTO kill9.accounts VALUES (1, 0, 'a'), (2, 0, 'b'), (3, 0, 'c')");
        AtomicBoolean writing = new AtomicBoolean(true);
        List<Thread> writers = startWriters(writing, 3);
        try {
            for (int kill = 1; kill <= KILLS; kill++) {
                long before = checkpoint().count();
                String mode = MODES[random.nextInt(MODES.length)];
                Process daemon = startDaemon(writeConfig(mode), kill);
                awaitProgressBeyond(before, daemon, kill);
                Thread.sleep(random.nextInt(1200)); // the random instant: reading, applying or committing
                assertThat(daemon.isAlive()).as("daemon %d alive before its kill; log:%n%s", kill,
                        log(kill)).isTrue();
                daemon.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                System.out.println("kill " + kill + " (" + mode.replace("\n", " ").trim() + "): SIGKILL; checkpoint "
                        + "went from " + before + " to " + checkpoint().count() + " transactions");
            }
        } finally {
            writing.set(false);
            for (Thread writer : writers) {
                writer.join();
            }
        }

        Process last = startDaemon(writeConfig(MODES[random.nextInt(MODES.length)]), KILLS + 1);
        GtidSet wanted = GtidSet.parse(servers.source.gtidExecuted());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!checkpoint().equals(wanted)) {
            assertThat(last.isAlive()).as("daemon alive; log:%n%s", log(KILLS + 1)).isTrue();
            assertThat(System.nanoTime()).as("caught up within 120 s").isLessThan(deadline);
            Thread.sleep(100);
        }
        last.destroy(); // SIGTERM: a clean stop
        assertThat(last.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(last.exitValue()).as("exit code after SIGTERM; log:%n%s", log(KILLS + 1)).isZero();

        assertThat(checkpoint()).isEqualTo(GtidSet.parse(servers.source.gtidExecuted()));
        try (Connection s = servers.source.connect(); Connection t = servers.target.connect()) {
            for (String table : List.of("accounts", "moves")) {
                assertThat(TableChecksum.of(t, "kill9", table)).as(table)
                        .isEqualTo(TableChecksum.of(s, "kill9", table));
            }
        }
    }

    /** A config file for one daemon run, in the given apply mode. */
    private Path writeConfig(String mode) throws Exception {
        Path config = folder.resolve("binrelay.yaml");
        Files.writeString(config, String.join("\n",
                "source:",
                "  host: 127.0.0.1",
                "  port: " + servers.source.port(),
                "  user: root",
                "  password: ''",
                "  serverId: 4343",
                "target:",
                "  url: " + servers.target.jdbcUrl(),
                "  user: root",
                "  password: ''",
                "progress:",
                "  intervalSeconds: 1",
                "applier:",
                mode));
        return config;
    }

    /** Waits until this daemon has applied something, so that every kill interrupts real work. */
    private void awaitProgressBeyond(long before, Process daemon, int run) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (checkpoint().count() <= before) {
            assertThat(daemon.isAlive()).as("daemon %d alive; log:%n%s", run, log(run)).isTrue();
            assertThat(System.nanoTime()).as("daemon %d applied something within 60 s", run).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private Process startDaemon(Path config, int run) throws Exception {
        return ForkedDaemon.start(config, folder.resolve("daemon-" + run + ".log"), "-Xmx256m");
    }

    private String log(int run) throws Exception {
        return ForkedDaemon.output(folder.resolve("daemon-" + run + ".log"));
    }

    private static GtidSet checkpoint() throws SQLException {
        return ForkedDaemon.checkpoint(servers.target);
    }

    private static List<Thread> startWriters(AtomicBoolean writing, int count) {
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < count; w++) {
            int seed = w;
            Thread writer = new Thread(() -> {
                Random random = new Random(seed);
                try (Connection connection = servers.source.connect()) {
                    connection.setAutoCommit(false);
                    while (writing.get()) {
                        try (Statement statement = connection.createStatement()) {
                            int account = 1 + random.nextInt(3);
                            int amount = random.nextInt(100) - 50;
                            statement.executeUpdate("UPDATE kill9.accounts SET balance = balance + " + amount
                                    + " WHERE id = " + account);
                            statement.executeUpdate("INSERT INTO kill9.moves (account, amount) VALUES (" + account
                                    + ", " + amount + ")");
                            if (random.nextInt(5) == 0) {
                                statement.executeUpdate("DELETE FROM kill9.moves WHERE account = " + account
                                        + " ORDER BY id LIMIT 1");
                            }
                            connection.commit();
                        } catch (SQLException e) {
                            connection.rollback(); // a deadlock between writers: the source rolled it back
                        }
                        Thread.sleep(2);
                    }
                } catch (SQLException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, "writer-" + w);
            writer.start();
            writers.add(writer);
        }
        return writers;
    }
}
