package dev.binrelay.snapshot;

import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.schema.Identifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The copy's state on the target, next to the checkpoint, where an operator can read it:
 * <ul>
 *   <li>{@code <schema>.snapshot_state}: per channel, the GTID set of the first snapshot, of the latest one (a resumed
 *   copy takes a new one), the catch-up window between them, and whether the copy is {@code copying} or
 *   {@code done};</li>
 *   <li>{@code <schema>.snapshot_progress}: per table, its CREATE TABLE when the copy began, the key of the last row
 *   copied, rows copied, done.</li>
 * </ul>
 * A chunk's rows and its progress row are written in one target transaction ({@link #chunkCopied}, committed by the
 * caller), so a crash never loses or repeats a chunk.
 *
 * <p>Thread-safe: holds only names; each caller passes its own connection.
 */
final class SnapshotStore {
    static final String COPYING = "copying";
    static final String DONE = "done";

    private final String schema;
    private final String channel;
    private final String state;
    private final String progress;

    SnapshotStore(String schema, String channel) {
        this.schema = schema;
        this.channel = channel;
        this.state = Identifiers.quote(schema) + ".`snapshot_state`";
        this.progress = Identifiers.quote(schema) + ".`snapshot_progress`";
    }

    void createIfMissing(Connection c) throws SQLException {
        try (Statement statement = c.createStatement()) {
            statement.execute("CREATE DATABASE IF NOT EXISTS " + Identifiers.quote(schema));
            statement.execute("CREATE TABLE IF NOT EXISTS " + state + " (channel VARCHAR(64) NOT NULL PRIMARY KEY, "
                    + "first_gtids LONGTEXT NOT NULL, latest_gtids LONGTEXT NOT NULL, window_gtids LONGTEXT NOT NULL, "
                    + "state VARCHAR(16) NOT NULL, started TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, "
                    + "updated TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP) "
                    + "ENGINE=InnoDB");
            statement.execute("CREATE TABLE IF NOT EXISTS " + progress + " (channel VARCHAR(64) NOT NULL, "
                    + "db VARCHAR(64) NOT NULL, tbl VARCHAR(64) NOT NULL, create_sql LONGTEXT NOT NULL, "
                    + "last_key LONGTEXT NULL, rows_copied BIGINT NOT NULL DEFAULT 0, "
                    + "rows_estimated BIGINT NOT NULL DEFAULT 0, done BOOLEAN NOT NULL DEFAULT FALSE, "
                    + "PRIMARY KEY (channel, db, tbl)) ENGINE=InnoDB");
        }
    }

    /** This channel's copy, if one was begun; empty also when the tables do not exist. */
    Optional<State> state(Connection c) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement("SELECT first_gtids, latest_gtids, window_gtids, state "
                + "FROM " + state + " WHERE channel = ?")) {
            statement.setString(1, channel);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new State(GtidSet.parse(row.getString(1)), GtidSet.parse(row.getString(2)),
                        GtidSet.parse(row.getString(3)), DONE.equals(row.getString(4))));
            }
        } catch (SQLException e) {
            if (e.getErrorCode() == 1146 || e.getErrorCode() == 1049) { // no such table or schema
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Records a new copy at {@code gtids} of {@code tables}; the caller commits. */
    void begin(Connection c, GtidSet gtids, List<TableDefinition> tables) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement("INSERT INTO " + state + " (channel, first_gtids, "
                + "latest_gtids, window_gtids, state) VALUES (?, ?, ?, '', ?)")) {
            statement.setString(1, channel);
            statement.setString(2, gtids.toString());
            statement.setString(3, gtids.toString());
            statement.setString(4, COPYING);
            statement.executeUpdate();
        }
        try (PreparedStatement statement = c.prepareStatement("INSERT INTO " + progress + " (channel, db, tbl, "
                + "create_sql, rows_estimated) VALUES (?, ?, ?, ?, ?)")) {
            for (TableDefinition table : tables) {
                statement.setString(1, channel);
                statement.setString(2, table.schema());
                statement.setString(3, table.name());
                statement.setString(4, table.createSql());
                statement.setLong(5, table.rowsEstimated());
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    /** Every table of this channel's copy. */
    List<TableState> tables(Connection c) throws SQLException {
        List<TableState> tables = new ArrayList<>();
        try (PreparedStatement statement = c.prepareStatement("SELECT db, tbl, create_sql, last_key, rows_copied, done "
                + "FROM " + progress + " WHERE channel = ? ORDER BY db, tbl")) {
            statement.setString(1, channel);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    tables.add(new TableState(rows.getString(1), rows.getString(2), rows.getString(3),
                            decodeKey(rows.getString(4)), rows.getLong(5), rows.getBoolean(6)));
                }
            }
        }
        return tables;
    }

    /** A resumed copy took a new snapshot at {@code latest}; {@code window} is what it holds beyond the first. */
    void resumed(Connection c, GtidSet latest, GtidSet window) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement("UPDATE " + state + " SET latest_gtids = ?, "
                + "window_gtids = ? WHERE channel = ?")) {
            statement.setString(1, latest.toString());
            statement.setString(2, window.toString());
            statement.setString(3, channel);
            statement.executeUpdate();
        }
    }

    /** One chunk of a table is written: its last key, the rows copied so far, and whether it was the last. */
    void chunkCopied(Connection c, TableDefinition table, List<byte[]> lastKey, long rowsCopied, boolean done)
            throws SQLException {
        try (PreparedStatement statement = c.prepareStatement("UPDATE " + progress + " SET last_key = ?, "
                + "rows_copied = ?, done = ? WHERE channel = ? AND db = ? AND tbl = ?")) {
            statement.setString(1, encodeKey(lastKey));
            statement.setLong(2, rowsCopied);
            statement.setBoolean(3, done);
            statement.setString(4, channel);
            statement.setString(5, table.schema());
            statement.setString(6, table.name());
            if (statement.executeUpdate() != 1) {
                throw new SQLException("no progress row for " + table.displayName() + " in " + progress);
            }
        }
    }

    /** The copy is complete; the caller records the checkpoint in the same transaction and commits. */
    void finish(Connection c) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement("UPDATE " + state + " SET state = ? WHERE channel = ?")) {
            statement.setString(1, DONE);
            statement.setString(2, channel);
            statement.executeUpdate();
        }
    }

    /** Key values as comma-separated hex: exact bytes, any charset, in a text column an operator can read. */
    static String encodeKey(List<byte[]> key) {
        if (key == null) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        for (byte[] value : key) {
            parts.add(HexFormat.of().formatHex(value));
        }
        return String.join(",", parts);
    }

    static List<byte[]> decodeKey(String text) {
        if (text == null) {
            return null;
        }
        List<byte[]> key = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            key.add(HexFormat.of().parseHex(part));
        }
        return key;
    }

    /**
     * @param first  the GTID set of the first snapshot: the checkpoint when the copy is done
     * @param latest the GTID set of the latest snapshot
     * @param window {@code latest} minus {@code first}: applied idempotently while catching up
     * @param done   whether the copy is complete
     */
    record State(GtidSet first, GtidSet latest, GtidSet window, boolean done) {
    }

    /**
     * @param lastKey the chunk key of the last row copied, or null before the first chunk
     */
    record TableState(String schema, String table, String createSql, List<byte[]> lastKey, long rowsCopied,
                      boolean done) {
    }
}
