package dev.binrelay.applier;

import dev.binrelay.testkit.EmbeddedMySql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * MySQL's own replica of a source, on a server with GTIDs on, for comparing binrelay with it. Each {@link #restart}
 * forgets the previous channel and starts a new one at the source's current position.
 */
final class NativeReplica {
    private final EmbeddedMySql replica;
    private final EmbeddedMySql source;

    NativeReplica(EmbeddedMySql replica, EmbeddedMySql source) {
        this.replica = replica;
        this.source = source;
    }

    /** Stops the channel (if any) and removes it, so that the server's own schemas can be changed freely. */
    void remove() {
        replica.execute("STOP REPLICA", "RESET REPLICA ALL");
    }

    /**
     * Starts a new channel that takes the source's transactions after {@code sourceExecuted} with the rules of
     * {@code changeReplicationFilter}. The replica's GTID history is replaced by {@code sourceExecuted}
     * (RESET MASTER, then gtid_purged), which says "I hold all of these" to the source's auto-positioning.
     */
    void restart(String sourceExecuted, String changeReplicationFilter) {
        replica.execute("RESET MASTER",
                "SET GLOBAL gtid_purged = '" + sourceExecuted + "'",
                "CHANGE REPLICATION SOURCE TO SOURCE_HOST = '" + source.host() + "', SOURCE_PORT = " + source.port()
                        + ", SOURCE_USER = '" + source.user() + "', SOURCE_PASSWORD = '" + source.password()
                        + "', SOURCE_AUTO_POSITION = 1, GET_SOURCE_PUBLIC_KEY = 1",
                // Needs the applier thread stopped: the channel has not started yet.
                changeReplicationFilter,
                "START REPLICA");
    }

    /** Waits until the replica's gtid_executed holds {@code gtids}; fails once a replica thread stopped on an error. */
    void awaitApplied(String gtids, Duration timeout) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Connection connection = replica.connect();
             PreparedStatement wait = connection.prepareStatement("SELECT WAIT_FOR_EXECUTED_GTID_SET(?, 1)")) {
            wait.setString(1, gtids);
            while (true) {
                try (ResultSet result = wait.executeQuery()) {
                    if (result.next() && result.getInt(1) == 0) {
                        return;
                    }
                }
                assertNoReplicationError(connection);
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(replica + ": not caught up with " + gtids + " after " + timeout);
                }
            }
        }
    }

    private void assertNoReplicationError(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SHOW REPLICA STATUS")) {
            if (!row.next()) {
                throw new IllegalStateException(replica + ": no replication channel");
            }
            if (row.getInt("Last_IO_Errno") != 0 || row.getInt("Last_SQL_Errno") != 0) {
                throw new IllegalStateException(replica + ": receiver error " + row.getString("Last_IO_Error")
                        + "; applier error " + row.getString("Last_SQL_Error"));
            }
        }
    }
}
