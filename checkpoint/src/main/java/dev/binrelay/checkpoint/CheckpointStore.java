package dev.binrelay.checkpoint;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Records on the target database which source GTIDs have been applied, in the table
 * {@code <schema>.gtid_executed (channel, source_uuid, gno_start, gno_end)}.
 *
 * <p>A transaction's checkpoint row is written by {@link #record} on the caller's connection, inside the same target
 * transaction as that transaction's row changes, and the caller commits both together: a crash at any instant leaves
 * data and checkpoint in agreement. Parallel workers each insert their own row, so they never contend on one row;
 * {@link #compact} merges the rows into ranges in the background, as MySQL does with {@code mysql.gtid_executed}.
 *
 * <p>Thread-safe: an instance holds only immutable configuration and may be shared by all workers. Connections are
 * not: each thread passes its own.
 */
public final class CheckpointStore {
    // Deletes name rows by primary key, a bounded number per statement to keep statements small.
    private static final int DELETE_CHUNK = 500;

    private final String channel;
    private final String schemaName;
    private final String table;
    private final String insertSql;
    /** For sets: a range already recorded (a commit whose outcome a lost connection hid) is widened, not an error. */
    private final String mergeSql;
    private final String recordSql;
    /** {@link #recordSql} up to the source UUID's value, the channel in it. */
    private final String recordPrefix;

    /**
     * A store for one replication channel in the given schema.
     *
     * @param schema  the schema holding the table, from the config key {@code checkpoint.schema}
     * @param channel the replication channel's name; one table serves several channels
     * @throws IllegalArgumentException if either is not a plain identifier
     */
    public CheckpointStore(String schema, String channel) {
        this.schemaName = CheckpointNames.schema(schema);
        this.channel = CheckpointNames.channel(channel);
        this.table = "`" + schema + "`.`gtid_executed`";
        this.insertSql = "INSERT INTO " + table + " (channel, source_uuid, gno_start, gno_end) VALUES (?, ?, ?, ?)";
        // VALUES() rather than a row alias: MariaDB targets know only this form.
        this.mergeSql = insertSql + " ON DUPLICATE KEY UPDATE gno_end = GREATEST(gno_end, VALUES(gno_end))";
        String record = "INSERT INTO " + table + " (channel, source_uuid, gno_start, gno_end, origin_server_id) "
                + "VALUES (";
        this.recordSql = record + "?, ?, ?, ?, ?)";
        this.recordPrefix = record + "'" + this.channel + "', '";
    }

    /**
     * Creates the schema and the table if they do not exist, and adds the column {@code origin_server_id} to a table
     * made before it existed. MySQL runs DDL in a transaction of its own, implicitly committing any transaction open
     * on {@code c}; the connection's autocommit setting is left as it was.
     *
     * @return whether an existing table was given the column {@code origin_server_id} (for the caller to log)
     */
    public boolean createIfMissing(Connection c) throws SQLException {
        try (Statement statement = c.createStatement()) {
            statement.execute("CREATE DATABASE IF NOT EXISTS `" + schemaName + "`");
            statement.execute("CREATE TABLE IF NOT EXISTS " + table + " ("
                    + "channel VARCHAR(64) NOT NULL, "
                    + "source_uuid CHAR(36) NOT NULL, "
                    + "gno_start BIGINT UNSIGNED NOT NULL, "
                    + "gno_end BIGINT UNSIGNED NOT NULL, "
                    + "origin_server_id INT UNSIGNED NOT NULL DEFAULT 0, "
                    + "PRIMARY KEY (channel, source_uuid, gno_start)) ENGINE=InnoDB");
        }
        return addColumnIfMissing(c, schemaName, "gtid_executed", "origin_server_id",
                "INT UNSIGNED NOT NULL DEFAULT 0");
    }

    /**
     * Adds a column at the end of a table of binrelay's unless it has it; returns whether it did. The column is
     * appended, so readers of the binary log find it by position ({@code LoopGuard}).
     */
    public static boolean addColumnIfMissing(Connection c, String schema, String table, String column,
                                             String definition) throws SQLException {
        try (PreparedStatement exists = c.prepareStatement("SELECT COUNT(*) FROM information_schema.COLUMNS "
                + "WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND COLUMN_NAME = ?")) {
            exists.setString(1, schema);
            exists.setString(2, table);
            exists.setString(3, column);
            try (ResultSet result = exists.executeQuery()) {
                result.next();
                if (result.getInt(1) > 0) {
                    return false;
                }
            }
        }
        try (Statement alter = c.createStatement()) {
            alter.execute("ALTER TABLE `" + schema + "`.`" + table + "` ADD COLUMN " + column + " " + definition);
        }
        return true;
    }

    /**
     * Everything recorded for this channel: the union of its rows, read with a plain consistent (non-locking) read
     * in the caller's transaction, or a statement of its own with autocommit on.
     */
    public GtidSet load(Connection c) throws SQLException {
        GtidSetBuilder builder = new GtidSetBuilder();
        for (CheckpointRow row : readRows(c, "")) {
            builder.add(row.sourceId(), row.start(), row.end());
        }
        return builder.build();
    }

    /**
     * Records one applied transaction as its own row, in the caller's transaction: never commits and never changes
     * autocommit. The caller records each GTID once: the primary key catches a repeat only while the GTID's
     * own row is not yet compacted into a range.
     */
    public void record(Connection c, Gtid gtid) throws SQLException {
        record(c, gtid, 0);
    }

    /**
     * As {@link #record(Connection, Gtid)}, noting the server_id the transaction originated on (0 if unknown): a
     * reader of this target's binary log takes the row as the origin of the changes logged after it in the same
     * transaction, so call it before applying the transaction's changes.
     */
    public void record(Connection c, Gtid gtid, long originServerId) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(recordSql)) {
            bindRecord(insert, gtid, originServerId);
            insert.executeUpdate();
        }
    }

    /**
     * The statement {@link #record(Connection, Gtid, long)} runs, with this GTID's values in its text, for a caller
     * that sends it in one text with other statements; it inserts one row. The values are a plain identifier, a UUID
     * and numbers: no quoting rule of the session can change them.
     */
    public String recordText(Gtid gtid, long originServerId) {
        return recordPrefix + gtid.sourceId() + "', " + gtid.transactionId() + ", " + gtid.transactionId() + ", "
                + originServerId + ")";
    }

    private void bindRecord(PreparedStatement insert, Gtid gtid, long originServerId) throws SQLException {
        insert.setString(1, channel);
        insert.setString(2, gtid.sourceId().toString());
        insert.setLong(3, gtid.transactionId());
        insert.setLong(4, gtid.transactionId());
        insert.setLong(5, originServerId);
    }

    /**
     * Records a whole set, one row per interval, in the caller's transaction (for skipped transactions, an initial
     * position, and transactions the reader emptied): never commits and never changes autocommit. A row whose start
     * is already recorded is widened instead (after a commit whose outcome a lost connection hid, the caller cannot
     * know its rows went in); overlapping rows are merged by {@link #compact}.
     */
    public void recordAll(Connection c, GtidSet set) throws SQLException {
        if (set.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = c.prepareStatement(mergeSql)) {
            for (UUID sourceId : set.sourceIds()) {
                for (Interval interval : set.intervals(sourceId)) {
                    bindRow(insert, sourceId, interval.start(), interval.end());
                    insert.addBatch();
                }
            }
            insert.executeBatch();
        }
    }

    /**
     * Merges this channel's rows into as few range rows as possible, in one transaction of its own at READ COMMITTED,
     * so it takes no gap locks and never blocks workers inserting new rows (it may wait for a worker's uncommitted
     * row). Only rows it read and locked are changed, so rows workers insert meanwhile survive; a failure or crash
     * before the commit leaves all rows as they were.
     *
     * <p>Call it on a connection with no transaction in progress (a dedicated one): it commits. The connection's
     * autocommit and isolation level are restored afterwards; on failure the transaction is rolled back and the
     * exception rethrown.
     *
     * @return how many rows were removed
     */
    public int compact(Connection c) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        int isolation = c.getTransactionIsolation();
        Throwable failure = null;
        try {
            c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            c.setAutoCommit(false);
            int removed = applyPlan(c, CompactionPlan.of(readRows(c, " FOR UPDATE")));
            c.commit();
            return removed;
        } catch (SQLException | RuntimeException | Error e) {
            failure = e;
            rollbackAfter(c, e);
            throw e;
        } finally {
            restore(c, autoCommit, isolation, failure);
        }
    }

    /**
     * Deletes all of this channel's rows in the caller's transaction (immediately with autocommit on), for tests and
     * a reset command.
     */
    public void clear(Connection c) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM " + table + " WHERE channel = ?")) {
            delete.setString(1, channel);
            delete.executeUpdate();
        }
    }

    private List<CheckpointRow> readRows(Connection c, String lockingClause) throws SQLException {
        List<CheckpointRow> rows = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement("SELECT source_uuid, gno_start, gno_end FROM " + table
                + " WHERE channel = ? ORDER BY source_uuid, gno_start" + lockingClause)) {
            select.setString(1, channel);
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    String sourceId = result.getString(1);
                    rows.add(new CheckpointRow(GtidText.parseUuid(sourceId, "source_uuid in " + table),
                            result.getLong(2), result.getLong(3)));
                }
            }
        }
        return rows;
    }

    private int applyPlan(Connection c, CompactionPlan plan) throws SQLException {
        if (!plan.widened().isEmpty()) {
            try (PreparedStatement update = c.prepareStatement("UPDATE " + table
                    + " SET gno_end = ? WHERE channel = ? AND source_uuid = ? AND gno_start = ?")) {
                for (CheckpointRow row : plan.widened()) {
                    update.setLong(1, row.end());
                    update.setString(2, channel);
                    update.setString(3, row.sourceId().toString());
                    update.setLong(4, row.start());
                    update.addBatch();
                }
                update.executeBatch();
            }
        }
        List<CheckpointRow> removed = plan.removed();
        int deleted = 0;
        int from = 0;
        while (from < removed.size()) {
            int to = chunkEnd(removed, from);
            deleted += deleteByKey(c, removed.subList(from, to));
            from = to;
        }
        if (deleted != removed.size()) {
            // Impossible while the rows stay locked; rolling back is the safe answer if it ever happens.
            throw new IllegalStateException("compaction of channel " + channel + " in " + table + " deleted "
                    + deleted + " rows instead of " + removed.size());
        }
        return deleted;
    }

    /** The end of the chunk starting at {@code from}: same source, at most {@link #DELETE_CHUNK} rows. */
    private static int chunkEnd(List<CheckpointRow> rows, int from) {
        UUID sourceId = rows.get(from).sourceId();
        int to = from + 1;
        while (to < rows.size() && to - from < DELETE_CHUNK && rows.get(to).sourceId().equals(sourceId)) {
            to++;
        }
        return to;
    }

    private int deleteByKey(Connection c, List<CheckpointRow> sameSource) throws SQLException {
        StringBuilder sql = new StringBuilder("DELETE FROM ").append(table)
                .append(" WHERE channel = ? AND source_uuid = ? AND gno_start IN (?");
        sql.append(",?".repeat(sameSource.size() - 1)).append(')');
        try (PreparedStatement delete = c.prepareStatement(sql.toString())) {
            delete.setString(1, channel);
            delete.setString(2, sameSource.get(0).sourceId().toString());
            for (int i = 0; i < sameSource.size(); i++) {
                delete.setLong(3 + i, sameSource.get(i).start());
            }
            return delete.executeUpdate();
        }
    }

    private void bindRow(PreparedStatement insert, UUID sourceId, long start, long end) throws SQLException {
        insert.setString(1, channel);
        insert.setString(2, sourceId.toString());
        insert.setLong(3, start);
        insert.setLong(4, end);
    }

    private static void rollbackAfter(Connection c, Throwable failure) {
        try {
            c.rollback();
        } catch (SQLException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private static void restore(Connection c, boolean autoCommit, int isolation, Throwable failure)
            throws SQLException {
        try {
            c.setAutoCommit(autoCommit);
            c.setTransactionIsolation(isolation);
        } catch (SQLException e) {
            if (failure == null) {
                throw e;
            }
            failure.addSuppressed(e);
        }
    }
}
