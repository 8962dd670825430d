package dev.binrelay.testkit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * MySQL's own replica on a server, following a source with GTID auto-positioning, for comparing binrelay with it: its
 * channel, its receiver (IO) and applier (SQL) threads. The server needs GTIDs on and, for a channel that is set up
 * before it is started, {@code --skip-replica-start=ON}; {@code --relay-log=relay} keeps the relay log inside its data
 * directory.
 *
 * <p>The statements follow the replica's version: {@code CHANGE REPLICATION SOURCE TO}, {@code START REPLICA} and
 * {@code replica_parallel_workers} where MySQL knows them (8.0.23, 8.0.22, 8.0.26), {@code CHANGE MASTER TO},
 * {@code START SLAVE} and {@code slave_parallel_workers} before; {@code RESET BINARY LOGS AND GTIDS} from 8.2 on,
 * where {@code RESET MASTER} is deprecated (and gone in 8.4).
 */
public final class NativeReplica {
    private final EmbeddedMySql replica;
    private final EmbeddedMySql source;
    private Syntax syntax;

    /** MySQL's replica on {@code replica}, of {@code source}; nothing is run on either yet. */
    public NativeReplica(EmbeddedMySql replica, EmbeddedMySql source) {
        this.replica = replica;
        this.source = source;
    }

    /** The server MySQL's replica applies to. */
    public EmbeddedMySql server() {
        return replica;
    }

    /** Points the channel at the source, with GTID auto-positioning; the threads stay stopped. */
    public void configure() {
        Syntax sql = syntax();
        replica.execute(sql.changeSource + " " + sql.prefix + "_HOST = '" + source.host() + "', " + sql.prefix
                + "_PORT = " + source.port() + ", " + sql.prefix + "_USER = '" + source.user() + "', " + sql.prefix
                + "_PASSWORD = '" + source.password() + "', " + sql.prefix + "_AUTO_POSITION = 1, GET_" + sql.prefix
                + "_PUBLIC_KEY = 1");
    }

    /**
     * Replaces the replica's GTID history with {@code gtids} (its binary log reset, then {@code gtid_purged}): it then
     * says "I hold all of these" to the source's auto-positioning and receives only what follows. Needs the channel
     * stopped.
     */
    public void replaceGtidHistory(String gtids) {
        replica.execute(syntax().resetBinaryLogs, "SET GLOBAL gtid_purged = '" + gtids + "'");
    }

    /**
     * Empties {@code server}'s binary logs and GTID history, in the statement its version knows
     * ({@code RESET BINARY LOGS AND GTIDS} from 8.2, {@code RESET MASTER} before).
     */
    public static void resetBinaryLogs(EmbeddedMySql server) {
        server.execute(Syntax.of(server.queryString("SELECT @@version")).resetBinaryLogs);
    }

    /** Starts receiver and applier with the server's configured number of workers. */
    public void start() {
        replica.execute(syntax().replica("START"));
    }

    /** Starts receiver and applier with {@code workers} workers. */
    public void start(int workers) {
        replica.execute(workersStatement(workers), syntax().replica("START"));
    }

    /** Starts only the receiver: the relay log fills, nothing is applied. */
    public void startReceiver() {
        replica.execute(syntax().replica("START") + " IO_THREAD");
    }

    /** Stops the receiver. */
    public void stopReceiver() {
        replica.execute(syntax().replica("STOP") + " IO_THREAD");
    }

    /** Starts only the applier with {@code workers} workers, on what the relay log holds. */
    public void startApplier(int workers) {
        replica.execute(workersStatement(workers), syntax().replica("START") + " SQL_THREAD");
    }

    /** Stops receiver and applier. */
    public void stop() {
        replica.execute(syntax().replica("STOP"));
    }

    /** Stops the channel (if any) and removes it, so that the server's own schemas can be changed freely. */
    public void remove() {
        replica.execute(syntax().replica("STOP"), syntax().replica("RESET") + " ALL");
    }

    /**
     * Waits until the relay log holds every transaction of {@code gtids}.
     *
     * @throws IllegalStateException when the receiver stopped on an error, or {@code timeout} passed first
     */
    public void awaitReceived(String gtids, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Status status = status();
            if (status.ioErrno != 0) {
                throw new IllegalStateException(replica + ": receiver error " + status.ioErrno + ": "
                        + status.ioError);
            }
            if (holds(status.retrieved, gtids)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(replica + ": relay log still lacks GTIDs after " + timeout);
            }
            Thread.sleep(50);
        }
    }

    /**
     * Waits until the replica's {@code gtid_executed} holds {@code gtids}, as {@code WAIT_FOR_EXECUTED_GTID_SET} tells
     * (the server wakes it on each commit, so no polling delay is added to a time measured).
     *
     * @return false when {@code timeout} passed first
     * @throws IllegalStateException when the applier (with its workers' errors) or the receiver stopped on an error
     */
    public boolean awaitApplied(String gtids, Duration timeout) throws SQLException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Connection connection = replica.connect();
             PreparedStatement wait = connection.prepareStatement("SELECT WAIT_FOR_EXECUTED_GTID_SET(?, 1)")) {
            wait.setString(1, gtids);
            while (System.nanoTime() < deadline) {
                try (ResultSet result = wait.executeQuery()) {
                    if (result.next() && result.getInt(1) == 0) {
                        return true;
                    }
                }
                Status status = status();
                if (status.sqlErrno != 0 || status.ioErrno != 0) {
                    throw new IllegalStateException(replica + ": MySQL's replica stopped: applier error "
                            + status.sqlErrno + " " + status.sqlError + "; receiver error " + status.ioErrno + " "
                            + status.ioError + workerErrors(connection));
                }
            }
            return false;
        }
    }

    private String workersStatement(int workers) {
        return "SET GLOBAL " + syntax().workersVariable + " = " + workers;
    }

    private boolean holds(String retrieved, String gtids) {
        try (Connection connection = replica.connect();
             PreparedStatement subset = connection.prepareStatement("SELECT GTID_SUBSET(?, ?)")) {
            subset.setString(1, gtids);
            subset.setString(2, retrieved == null ? "" : retrieved);
            try (ResultSet result = subset.executeQuery()) {
                return result.next() && result.getInt(1) == 1;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(replica + ": GTID_SUBSET: " + e.getMessage(), e);
        }
    }

    private Status status() {
        try (Connection connection = replica.connect(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SHOW " + syntax().noun + " STATUS")) {
            if (!row.next()) {
                throw new IllegalStateException(replica + ": no replication channel configured");
            }
            return new Status(row.getString("Retrieved_Gtid_Set"), row.getInt("Last_IO_Errno"),
                    row.getString("Last_IO_Error"), row.getInt("Last_SQL_Errno"), row.getString("Last_SQL_Error"));
        } catch (SQLException e) {
            throw new IllegalStateException(replica + ": replica status: " + e.getMessage(), e);
        }
    }

    /** The errors of the applier's workers (the coordinator's error only points at them); empty without any. */
    private static String workerErrors(Connection connection) {
        StringBuilder errors = new StringBuilder();
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT WORKER_ID, LAST_ERROR_NUMBER, LAST_ERROR_MESSAGE FROM "
                     + "performance_schema.replication_applier_status_by_worker WHERE LAST_ERROR_NUMBER <> 0")) {
            while (row.next()) {
                errors.append("; worker ").append(row.getInt(1)).append(": error ").append(row.getInt(2))
                        .append(' ').append(row.getString(3));
            }
        } catch (SQLException e) {
            // --performance-schema=OFF (testkit's default) leaves the table empty; a missing table is no reason to hide
            // the coordinator's error
            errors.append("; (worker errors unavailable: ").append(e.getMessage()).append(')');
        }
        return errors.toString();
    }

    private Syntax syntax() {
        if (syntax == null) {
            syntax = Syntax.of(replica.queryString("SELECT @@version"));
        }
        return syntax;
    }

    private record Status(String retrieved, int ioErrno, String ioError, int sqlErrno, String sqlError) {
    }

    /** The spelling of the replication statements the replica's version knows. */
    private record Syntax(String changeSource, String prefix, String noun, String workersVariable,
                          String resetBinaryLogs) {
        static Syntax of(String version) {
            int[] number = parse(version);
            boolean newNames = compare(number, 8, 0, 23) >= 0;
            return new Syntax(newNames ? "CHANGE REPLICATION SOURCE TO" : "CHANGE MASTER TO",
                    newNames ? "SOURCE" : "MASTER",
                    compare(number, 8, 0, 22) >= 0 ? "REPLICA" : "SLAVE",
                    compare(number, 8, 0, 26) >= 0 ? "replica_parallel_workers" : "slave_parallel_workers",
                    compare(number, 8, 2, 0) >= 0 ? "RESET BINARY LOGS AND GTIDS" : "RESET MASTER");
        }

        /** {@code verb REPLICA} or {@code verb SLAVE}. */
        String replica(String verb) {
            return verb + " " + noun;
        }

        private static int[] parse(String version) {
            String[] parts = version.split("[^0-9]+", 4);
            int[] number = new int[3];
            for (int i = 0; i < 3 && i < parts.length; i++) {
                number[i] = parts[i].isEmpty() ? 0 : Integer.parseInt(parts[i]);
            }
            return number;
        }

        private static int compare(int[] version, int major, int minor, int patch) {
            int[] wanted = {major, minor, patch};
            for (int i = 0; i < 3; i++) {
                if (version[i] != wanted[i]) {
                    return Integer.compare(version[i], wanted[i]);
                }
            }
            return 0;
        }
    }
}
