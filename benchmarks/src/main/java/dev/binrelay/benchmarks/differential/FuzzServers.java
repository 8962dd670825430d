package dev.binrelay.benchmarks.differential;

import dev.binrelay.testkit.EmbeddedMySql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

/**
 * The three servers a tester keeps up across rounds: the source (binary log, GTIDs, ROW), binrelay's target, and a
 * reference target that MySQL's own replica applies to (LOGICAL_CLOCK, 4 workers, commit order preserved). Between
 * rounds {@link #reset()} gives all three a clean slate: no user schema, no binary log, no GTIDs.
 */
final class FuzzServers implements AutoCloseable {
    final EmbeddedMySql source;
    final EmbeddedMySql target;
    final EmbeddedMySql reference;

    private FuzzServers(EmbeddedMySql source, EmbeddedMySql target, EmbeddedMySql reference) {
        this.source = source;
        this.target = target;
        this.reference = reference;
    }

    /** Starts the three servers at once. */
    static FuzzServers start() {
        List<EmbeddedMySql> started = EmbeddedMySql.startTogether(
                () -> EmbeddedMySql.builder().name("fuzz-source").binlog(true).gtid(true)
                        .option("--binlog-transaction-dependency-tracking=WRITESET").start(),
                () -> EmbeddedMySql.builder().name("fuzz-binrelay-target").start(),
                () -> EmbeddedMySql.builder().name("fuzz-reference").binlog(true).gtid(true)
                        .option("--replica-parallel-type=LOGICAL_CLOCK").option("--replica-parallel-workers=4")
                        .option("--replica-preserve-commit-order=ON").option("--skip-replica-start=ON")
                        .option("--relay-log=relay").start());
        return new FuzzServers(started.get(0), started.get(1), started.get(2));
    }

    /**
     * A clean slate for the next round: the reference's channel removed, every user schema (and binrelay's checkpoint)
     * dropped everywhere, the source's and the reference's binary logs and GTIDs reset; then the reference follows the
     * source again from its (empty) beginning.
     */
    void reset() {
        reference.execute("STOP REPLICA", "RESET REPLICA ALL");
        for (EmbeddedMySql server : List.of(source, target, reference)) {
            server.dropUserSchemas();
        }
        source.execute("RESET MASTER");
        reference.execute("RESET MASTER");
        reference.execute("CHANGE REPLICATION SOURCE TO SOURCE_HOST = '" + source.host() + "', SOURCE_PORT = "
                + source.port() + ", SOURCE_USER = '" + source.user() + "', SOURCE_PASSWORD = '" + source.password()
                + "', SOURCE_AUTO_POSITION = 1, GET_SOURCE_PUBLIC_KEY = 1", "START REPLICA");
    }

    /**
     * Waits until the reference replica executed every source GTID; returns null then, or why it did not (its
     * applier or receiver error, or the timeout).
     */
    String awaitReference(String sourceGtids, Duration timeout) throws SQLException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Connection connection = reference.connect();
             PreparedStatement wait = connection.prepareStatement("SELECT WAIT_FOR_EXECUTED_GTID_SET(?, 1)");
             Statement status = connection.createStatement()) {
            wait.setString(1, sourceGtids);
            while (System.nanoTime() < deadline) {
                try (ResultSet result = wait.executeQuery()) {
                    if (result.next() && result.getInt(1) == 0) {
                        return null;
                    }
                }
                try (ResultSet row = status.executeQuery("SHOW REPLICA STATUS")) {
                    if (row.next() && (row.getInt("Last_SQL_Errno") != 0 || row.getInt("Last_IO_Errno") != 0)) {
                        return "MySQL's replica stopped: SQL error " + row.getInt("Last_SQL_Errno") + " "
                                + row.getString("Last_SQL_Error") + "; IO error " + row.getInt("Last_IO_Errno")
                                + " " + row.getString("Last_IO_Error") + workerErrors(status);
                    }
                }
            }
        }
        return "MySQL's replica did not reach " + sourceGtids + " within " + timeout.toSeconds() + " s";
    }

    /** The errors of the reference's workers (the coordinator's error only points at them). */
    private static String workerErrors(Statement status) throws SQLException {
        StringBuilder errors = new StringBuilder();
        try (ResultSet row = status.executeQuery("SELECT WORKER_ID, LAST_ERROR_NUMBER, LAST_ERROR_MESSAGE FROM "
                + "performance_schema.replication_applier_status_by_worker WHERE LAST_ERROR_NUMBER <> 0")) {
            while (row.next()) {
                errors.append("; worker ").append(row.getInt(1)).append(": error ").append(row.getInt(2))
                        .append(' ').append(row.getString(3));
            }
        }
        return errors.toString();
    }

    @Override
    public void close() {
        for (EmbeddedMySql server : List.of(source, target, reference)) {
            server.close();
        }
    }
}
