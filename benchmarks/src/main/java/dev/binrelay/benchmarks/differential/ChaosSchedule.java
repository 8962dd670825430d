package dev.binrelay.benchmarks.differential;

import dev.binrelay.testkit.EmbeddedMySql;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Faults while the workload runs, drawn from the round's seed at random instants: SIGKILL of binrelay (restarted
 * after a random pause of up to 2.5 s, so that a backlog is applied in parallel), stalls of binrelay (SIGSTOP, then
 * SIGCONT; one at the start of every round), a restart of binrelay's target,
 * {@code FLUSH BINARY LOGS} on the source, {@code FLUSH TABLES} on the target, and DDL on the source (columns and
 * indexes added, tables created and dropped). Runs on a thread of its own until {@link #finish()}; a DDL the source
 * refuses is simply not logged.
 */
final class ChaosSchedule implements Runnable {
    private final Random random;
    private final EmbeddedMySql source;
    private final EmbeddedMySql target;
    private final ForkedBinrelay binrelay;
    private final GeneratedSchema schema;
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile int kills;
    private volatile int pauses;
    private volatile int targetRestarts;
    private volatile int rotations;
    private volatile int ddl;
    private volatile String binrelayFailure;
    private volatile Exception error;
    private int nextName;

    ChaosSchedule(long seed, EmbeddedMySql source, EmbeddedMySql target, ForkedBinrelay binrelay,
                  GeneratedSchema schema) {
        this.random = new Random(seed ^ 0xC4A05L);
        this.source = source;
        this.target = target;
        this.binrelay = binrelay;
        this.schema = schema;
    }

    @Override
    public void run() {
        try {
            // A stall from the start: the workload's first seconds are applied as a backlog, in parallel.
            binrelay.pause(Duration.ofMillis(500 + random.nextInt(2500)));
            pauses++;
            while (!finished.get() && binrelayFailure == null) {
                Thread.sleep(150 + random.nextInt(900));
                if (finished.get()) {
                    break;
                }
                int pick = random.nextInt(100);
                if (pick < 30) {
                    killBinrelay();
                } else if (pick < 40) {
                    binrelay.pause(Duration.ofMillis(200 + random.nextInt(2000)));
                    pauses++;
                } else if (pick < 50) {
                    target.restart();
                    targetRestarts++;
                } else if (pick < 65) {
                    source.execute("FLUSH BINARY LOGS");
                    rotations++;
                } else if (pick < 72) {
                    target.execute("FLUSH TABLES");
                } else {
                    ddl();
                }
            }
        } catch (Exception e) {
            error = e;
        }
    }

    /** SIGKILLs binrelay at this instant and starts it again after a random pause; notes a failure it had first. */
    void killBinrelay() throws InterruptedException {
        String ended = binrelay.endedByItself();
        if (ended != null) {
            binrelayFailure = ended;
            return;
        }
        binrelay.kill();
        kills++;
        // Down long enough for a backlog: its catch-up is where the schedulers run transactions side by side.
        Thread.sleep(random.nextInt(2500));
        try {
            binrelay.start();
        } catch (IllegalStateException e) {
            binrelayFailure = e.getMessage();
        }
    }

    /** Stops the schedule and waits for the fault in progress; rethrows an error of the tester itself. */
    void finish(Thread thread) throws Exception {
        finished.set(true);
        thread.join();
        if (error != null) {
            throw error;
        }
    }

    int kills() {
        return kills;
    }

    int pauses() {
        return pauses;
    }

    int targetRestarts() {
        return targetRestarts;
    }

    int rotations() {
        return rotations;
    }

    int ddlStatements() {
        return ddl;
    }

    /** binrelay's error if it failed by itself during the schedule, else null. */
    String binrelayFailure() {
        return binrelayFailure;
    }

    private void ddl() throws SQLException {
        List<TableSpec> tables = schema.tables();
        TableSpec table = tables.get(random.nextInt(tables.size()));
        int name = nextName++;
        String sql = switch (random.nextInt(6)) {
            case 0 -> "ALTER TABLE " + table.qualified() + " ADD COLUMN x" + name + " INT NULL DEFAULT " + name;
            case 1 -> "ALTER TABLE " + table.qualified() + " ADD INDEX ix" + name + " (g, id)";
            case 2 -> "ALTER TABLE " + table.qualified() + " ADD COLUMN y" + name + " VARCHAR(10) "
                    + Collations.clause(table.collation()) + " DEFAULT 'ß' FIRST";
            case 3 -> "CREATE TABLE `" + table.schema() + "`.scratch" + name + " (id INT PRIMARY KEY, v VARCHAR(8)) "
                    + "AS SELECT id, 'x' AS v FROM " + table.qualified() + " WHERE id IS NOT NULL GROUP BY id";
            case 4 -> "DROP TABLE IF EXISTS `" + table.schema() + "`.scratch" + (name - 1);
            default -> "ALTER TABLE " + table.qualified() + " COMMENT 'chaos " + name + "'";
        };
        try (Connection connection = source.connect(); Statement statement = connection.createStatement()) {
            // A DDL waits for its table's metadata lock behind the workload's open transactions (and holds new ones
            // back): a short wait keeps the schedule going; one that times out was not logged.
            statement.execute("SET SESSION lock_wait_timeout = 2");
            statement.execute(sql);
            ddl++;
        } catch (SQLException refused) {
            // Such as a duplicate column: nothing was logged.
        }
    }
}
