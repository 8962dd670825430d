package dev.binrelay.applier;

import dev.binrelay.checkpoint.CheckpointStore;
import dev.binrelay.schema.Identifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * MySQL cannot put our checkpoint row in the same transaction as a DDL statement (DDL commits by itself). So before a
 * DDL we note its GTID here and commit; after it, the checkpoint row and the removal of the note commit together. A
 * crash in between leaves the note: on restart that one DDL is run again, and an error saying it already took effect
 * (table exists, unknown column, ...) is accepted for it alone.
 */
final class DdlMarker {
    private final String schema;
    private final String table;
    private final String channel;

    DdlMarker(String schema, String channel) {
        this.schema = schema;
        this.table = Identifiers.quote(schema) + ".`ddl_in_progress`";
        this.channel = channel;
    }

    /** Creates the table; returns whether an existing one was given the column {@code origin_server_id}. */
    boolean createIfMissing(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS " + table + " (channel VARCHAR(64) NOT NULL PRIMARY KEY, "
                    + "gtid VARCHAR(100) NOT NULL, origin_server_id INT UNSIGNED NOT NULL DEFAULT 0) ENGINE=InnoDB");
        }
        return CheckpointStore.addColumnIfMissing(connection, schema, "ddl_in_progress", "origin_server_id",
                "INT UNSIGNED NOT NULL DEFAULT 0");
    }

    /** The GTID of a DDL that was started and not checkpointed, or null. */
    String pending(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT gtid FROM " + table
                + " WHERE channel = ?")) {
            statement.setString(1, channel);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }

    /**
     * Notes the DDL, in the caller's transaction (the caller commits before running the DDL on the same connection).
     * The note also tells a reader of this target's binary log where the DDL that follows in the same session
     * originated ({@code originServerId}, 0 if unknown).
     */
    void mark(Connection connection, String gtid, long originServerId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("REPLACE INTO " + table
                + " (channel, gtid, origin_server_id) VALUES (?, ?, ?)")) {
            statement.setString(1, channel);
            statement.setString(2, gtid);
            statement.setLong(3, originServerId);
            statement.executeUpdate();
        }
    }

    /** Removes the note, in the caller's transaction (together with the checkpoint row). */
    void clear(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("DELETE FROM " + table + " WHERE channel = ?")) {
            statement.setString(1, channel);
            statement.executeUpdate();
        }
    }
}
