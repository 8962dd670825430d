package dev.binrelay.benchmarks;

import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.testkit.EmbeddedMySql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/** MySQL's own replica on a server: its channel to the source, its receiver (IO) and applier (SQL) threads. */
final class NativeReplica {
    private final EmbeddedMySql replica;
    private final EmbeddedMySql source;

    NativeReplica(EmbeddedMySql replica, EmbeddedMySql source) {
        this.replica = replica;
        this.source = source;
    }

    /** Points the channel at the source with GTID auto-positioning. */
    void configure() {
        replica.execute("CHANGE REPLICATION SOURCE TO SOURCE_HOST = '" + source.host() + "', SOURCE_PORT = "
                + source.port() + ", SOURCE_USER = '" + source.user() + "', SOURCE_PASSWORD = '" + source.password()
                + "', SOURCE_AUTO_POSITION = 1, GET_SOURCE_PUBLIC_KEY = 1");
    }

    /** Starts only the receiver: the relay log fills, nothing is applied. */
    void startReceiver() {
        replica.execute("START REPLICA IO_THREAD");
    }

    void stopReceiver() {
        replica.execute("STOP REPLICA IO_THREAD");
    }

    /** Waits until the relay log holds every transaction of {@code gtids}. */
    void awaitReceived(GtidSet gtids, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            ReplicaStatus status = status();
            if (GtidSet.parse(status.retrieved()).containsAll(gtids)) {
                return;
            }
            if (status.ioErrno() != 0) {
                throw new IllegalStateException(replica + ": receiver error " + status.ioErrno() + ": "
                        + status.ioError());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(replica + ": relay log still lacks GTIDs after " + timeout);
            }
            Thread.sleep(50);
        }
    }

    /** Starts only the applier with {@code workers} workers, on what the relay log holds. */
    void startApplier(int workers) {
        replica.execute("SET GLOBAL replica_parallel_workers = " + workers, "START REPLICA SQL_THREAD");
    }

    /** Starts receiver and applier with {@code workers} workers. */
    void start(int workers) {
        replica.execute("SET GLOBAL replica_parallel_workers = " + workers, "START REPLICA");
    }

    void stop() {
        replica.execute("STOP REPLICA");
    }

    /**
     * Waits until the replica's {@code gtid_executed} holds {@code gtids}, as {@code WAIT_FOR_EXECUTED_GTID_SET}
     * tells (the server wakes it on each commit, so no polling delay is added to the time measured).
     *
     * @return false when {@code timeout} passed first
     * @throws IllegalStateException when the applier stopped on an error
     */
    boolean awaitApplied(GtidSet gtids, Duration timeout) throws SQLException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Connection connection = replica.connect();
             PreparedStatement wait = connection.prepareStatement("SELECT WAIT_FOR_EXECUTED_GTID_SET(?, 1)")) {
            wait.setString(1, gtids.toString());
            while (System.nanoTime() < deadline) {
                try (ResultSet result = wait.executeQuery()) {
                    if (result.next() && result.getInt(1) == 0) {
                        return true;
                    }
                }
                ReplicaStatus status = status();
                if (status.sqlErrno() != 0) {
                    throw new IllegalStateException(replica + ": applier error " + status.sqlErrno() + ": "
                            + status.sqlError());
                }
            }
            return false;
        }
    }

    private ReplicaStatus status() {
        try (Connection connection = replica.connect(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SHOW REPLICA STATUS")) {
            if (!row.next()) {
                throw new IllegalStateException(replica + ": no replication channel configured");
            }
            return new ReplicaStatus(row.getString("Retrieved_Gtid_Set"), row.getInt("Last_IO_Errno"),
                    row.getString("Last_IO_Error"), row.getInt("Last_SQL_Errno"), row.getString("Last_SQL_Error"));
        } catch (SQLException e) {
            throw new IllegalStateException(replica + ": SHOW REPLICA STATUS: " + e.getMessage(), e);
        }
    }

    private record ReplicaStatus(String retrieved, int ioErrno, String ioError, int sqlErrno, String sqlError) {
    }
}
