package dev.binrelay.checkpoint;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The position-mode checkpoint, for sources without GTIDs: anchors in the table
 * {@code <schema>.binlog_position (channel, worker, seq, file, pos)}, next to the synthetic GTIDs that
 * {@link CheckpointStore} records as for any source.
 *
 * <p>In position mode each transaction gets the synthetic GTID {@code sourceIdFor(server_uuid):n}, where n counts
 * transactions from an anchor (see {@link PositionAnchor}). Each worker upserts its own anchor row (the newest
 * transaction it applied and where it ends) in the same target transaction as that transaction's rows and GTID, as
 * MySQL's crash-safe {@code slave_worker_info} does; the origin row (worker {@link PositionAnchor#ORIGIN}) holds the
 * start position with seq 0. {@link #resumeFrom} picks where to read after a restart.
 *
 * <p>Thread-safe: an instance holds only immutable configuration. Connections are not: each thread passes its own.
 */
public final class PositionAnchors {
    private final String channel;
    private final String schemaName;
    private final String table;
    private final String upsertSql;

    /**
     * @param schema  the checkpoint schema ({@code checkpoint.schema})
     * @param channel the replication channel's name
     * @throws IllegalArgumentException if either is not a plain identifier
     */
    public PositionAnchors(String schema, String channel) {
        this.schemaName = CheckpointNames.schema(schema);
        this.channel = CheckpointNames.channel(channel);
        this.table = "`" + schema + "`.`binlog_position`";
        // VALUES() rather than a row alias: MariaDB targets know only this form.
        this.upsertSql = "INSERT INTO " + table + " (channel, worker, seq, file, pos) VALUES (?, ?, ?, ?, ?) "
                + "ON DUPLICATE KEY UPDATE seq = VALUES(seq), file = VALUES(file), pos = VALUES(pos)";
    }

    /**
     * The source id of the synthetic GTIDs of a source: name-based on its {@code server_uuid}, so that it never
     * equals a real server's UUID and a restart derives the same one.
     */
    public static UUID sourceIdFor(String serverUuid) {
        return UUID.nameUUIDFromBytes(("binrelay-position:" + serverUuid).getBytes(StandardCharsets.UTF_8));
    }

    /** Creates the schema and the table if they do not exist (DDL: commits any open transaction on {@code c}). */
    public void createIfMissing(Connection c) throws SQLException {
        try (Statement statement = c.createStatement()) {
            statement.execute("CREATE DATABASE IF NOT EXISTS `" + schemaName + "`");
            statement.execute("CREATE TABLE IF NOT EXISTS " + table + " ("
                    + "channel VARCHAR(64) NOT NULL, "
                    + "worker INT NOT NULL, "
                    + "seq BIGINT UNSIGNED NOT NULL, "
                    + "file VARCHAR(512) NOT NULL, "
                    + "pos BIGINT UNSIGNED NOT NULL, "
                    + "PRIMARY KEY (channel, worker)) ENGINE=InnoDB");
        }
    }

    /** Every anchor of this channel, the origin included; empty before the first start. */
    public List<PositionAnchor> load(Connection c) throws SQLException {
        List<PositionAnchor> anchors = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement("SELECT worker, seq, file, pos FROM " + table
                + " WHERE channel = ? ORDER BY worker")) {
            select.setString(1, channel);
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    anchors.add(new PositionAnchor(result.getInt(1), result.getLong(2),
                            new BinlogPosition(result.getString(3), result.getLong(4))));
                }
            }
        }
        return anchors;
    }

    /**
     * Writes {@code anchor} as its worker's row, replacing the previous one, in the caller's transaction: never
     * commits and never changes autocommit.
     */
    public void record(Connection c, PositionAnchor anchor) throws SQLException {
        try (PreparedStatement upsert = c.prepareStatement(upsertSql)) {
            upsert.setString(1, channel);
            upsert.setInt(2, anchor.worker());
            upsert.setLong(3, anchor.seq());
            upsert.setString(4, anchor.end().file());
            upsert.setLong(5, anchor.end().position());
            upsert.executeUpdate();
        }
    }

    /** Deletes this channel's anchors in the caller's transaction, for tests and a reset. */
    public void clear(Connection c) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM " + table + " WHERE channel = ?")) {
            delete.setString(1, channel);
            delete.executeUpdate();
        }
    }

    /**
     * Where to read from after a restart: the anchor with the largest seq at or below the applied prefix, the end
     * of the first interval of {@code executed} for {@code sourceId} when it starts at 1 (0 otherwise).
     *
     * <p>Why this loses and repeats nothing: numbers are given densely and deterministically from any anchor, so
     * reading from the chosen anchor gives every later transaction the number it had before. Every transaction at or
     * below the anchor's seq is in the prefix, so in {@code executed}; transactions after it that are in
     * {@code executed} are dropped by the reader, the others applied.
     *
     * <p>Why the anchor is close behind the first gap, not just the origin: the scheduler hands ring slots to workers
     * in source order and each worker takes its slots in order, committing its anchor row with its transactions. So
     * the first missing number g was handed to some worker w (or to none yet) before any later one; w has not
     * committed g, so w's anchor row names a transaction before g, which is within the prefix. Anchors of other
     * workers may lie beyond the gap (they applied later transactions): they are skipped here, and read from
     * again once the gap is filled. Rows of worker indexes beyond today's worker count stay valid anchors.
     *
     * @param anchors  every anchor of the channel (the origin must be among them)
     * @param executed the checkpoint's GTID set
     * @param sourceId the synthetic source id ({@link #sourceIdFor})
     * @throws IllegalStateException if no anchor qualifies (the origin row is missing)
     */
    public static PositionAnchor resumeFrom(List<PositionAnchor> anchors, GtidSet executed, UUID sourceId) {
        List<Interval> intervals = executed.intervals(sourceId);
        long prefix = !intervals.isEmpty() && intervals.get(0).start() == 1 ? intervals.get(0).end() : 0;
        PositionAnchor best = null;
        for (PositionAnchor anchor : anchors) {
            if (anchor.seq() <= prefix && (best == null || anchor.seq() > best.seq())) {
                best = anchor;
            }
        }
        if (best == null) {
            throw new IllegalStateException("no position anchor at or before transaction " + prefix + " of "
                    + sourceId + " (the origin row of binlog_position is missing): reset the checkpoint");
        }
        return best;
    }
}
