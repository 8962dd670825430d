package dev.binrelay.snapshot;

import dev.binrelay.schema.Identifiers;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * Copies one table from a snapshot connection to a target connection.
 *
 * <p>A keyed table goes in chunks in key order (keyset pagination: {@code WHERE key > last ORDER BY key LIMIT n});
 * each chunk's rows and its progress row are one target transaction, so an interrupted copy resumes after the last
 * committed chunk. A table without a usable key goes in one piece, one target transaction. Values travel as the
 * bytes MySQL stores (the source session returns results in the binary charset) and are written back as bytes,
 * which the target reads in each column's own charset.
 *
 * <p>Not thread-safe: one copy thread uses it for one table.
 */
final class TableCopier {
    /**
     * A chunk's rows are held in memory (read whole, then written): when rows are wide, fewer per chunk, so a chunk
     * stays near this size whatever {@code snapshot.chunkRows} says.
     */
    private static final long CHUNK_BYTES = 32L << 20;

    private final TableDefinition table;
    private final int chunkRows;
    private final boolean replace;
    private final SnapshotStore store;
    private final ProgressBoard.Entry progress;
    /** The selected columns: the copied ones, then key columns that are not copied (generated). */
    private final List<String> selected = new ArrayList<>();
    /** For each key column, its position in {@link #selected}. */
    private final int[] keyAt;

    /**
     * @param replace write with REPLACE: a resumed copy's rows may collide on a unique key with an older row copied
     *                at the first snapshot, which the catch-up window then corrects
     */
    TableCopier(TableDefinition table, int chunkRows, boolean replace, SnapshotStore store,
                ProgressBoard.Entry progress) {
        this.table = table;
        this.chunkRows = chunkRows;
        this.replace = replace;
        this.store = store;
        this.progress = progress;
        for (TableDefinition.CopyColumn column : table.columns()) {
            selected.add(column.name());
        }
        keyAt = new int[table.key().size()];
        for (int i = 0; i < keyAt.length; i++) {
            String name = table.key().get(i).name();
            int at = indexOfIgnoreCase(selected, name);
            if (at < 0) {
                selected.add(name);
                at = selected.size() - 1;
            }
            keyAt[i] = at;
        }
    }

    /**
     * Copies what is left of the table.
     *
     * @param lastKey    the key of the last row an earlier run copied, or null to start at the first row
     * @param rowsCopied rows an earlier run copied
     */
    void copy(Connection source, Connection target, List<byte[]> lastKey, long rowsCopied) throws SQLException {
        progress.started();
        if (table.chunked()) {
            copyInChunks(source, target, lastKey, rowsCopied);
        } else {
            copyWhole(source, target);
        }
    }

    private void copyInChunks(Connection source, Connection target, List<byte[]> lastKey, long rowsCopied)
            throws SQLException {
        List<byte[]> after = lastKey;
        long copied = rowsCopied;
        int limit = chunkRows;
        try (PreparedStatement insert = target.prepareStatement(insertSql())) {
            while (true) {
                List<byte[][]> rows = new ArrayList<>();
                long bytes = readChunk(source, after, limit, rows);
                boolean last = rows.size() < limit;
                if (!rows.isEmpty()) {
                    write(insert, rows);
                    after = keyOf(rows.get(rows.size() - 1));
                    copied += rows.size();
                }
                store.chunkCopied(target, table, after, copied, last);
                target.commit();
                progress.chunk(rows.size(), last);
                if (last) {
                    return;
                }
                long perRow = Math.max(1, bytes / rows.size());
                limit = (int) Math.max(1, Math.min(chunkRows, CHUNK_BYTES / perRow));
            }
        } catch (SQLException e) {
            target.rollback();
            throw e;
        }
    }

    private void copyWhole(Connection source, Connection target) throws SQLException {
        long copied = 0;
        try (PreparedStatement insert = target.prepareStatement(insertSql());
             Statement select = source.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            select.setFetchSize(Integer.MIN_VALUE); // streamed: the table may not fit in memory
            try (ResultSet result = select.executeQuery("SELECT " + columnList() + " FROM " + table.quotedName())) {
                List<byte[][]> rows = new ArrayList<>();
                long bytes = 0;
                while (result.next()) {
                    byte[][] row = row(result);
                    bytes += size(row);
                    rows.add(row);
                    if (rows.size() >= chunkRows || bytes >= CHUNK_BYTES) {
                        write(insert, rows);
                        copied += rows.size();
                        progress.chunk(rows.size(), false);
                        rows.clear();
                        bytes = 0;
                    }
                }
                write(insert, rows);
                copied += rows.size();
                progress.chunk(rows.size(), false);
            }
            store.chunkCopied(target, table, null, copied, true);
            target.commit();
            progress.chunk(0, true);
        } catch (SQLException e) {
            target.rollback();
            throw e;
        }
    }

    /** Reads up to {@code limit} rows after {@code after} into {@code rows}; returns their size in bytes. */
    private long readChunk(Connection source, List<byte[]> after, int limit, List<byte[][]> rows)
            throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT ").append(columnList()).append(" FROM ")
                .append(table.quotedName());
        if (after != null) {
            sql.append(" WHERE ").append(afterCondition());
        }
        sql.append(" ORDER BY ");
        for (int i = 0; i < table.key().size(); i++) {
            sql.append(i > 0 ? ", " : "").append(Identifiers.quote(table.key().get(i).name()));
        }
        sql.append(" LIMIT ").append(limit);
        long bytes = 0;
        try (PreparedStatement select = source.prepareStatement(sql.toString())) {
            if (after != null) {
                bindAfter(select, after);
            }
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    byte[][] row = row(result);
                    bytes += size(row);
                    rows.add(row);
                }
            }
        }
        return bytes;
    }

    /**
     * Rows whose key is greater than the last one copied, written out column by column,
     * {@code (k1 > ?) OR (k1 = ? AND k2 > ?) OR ...}, which MySQL's range optimizer turns into index ranges (a row
     * constructor comparison {@code (k1, k2) > (?, ?)} it would scan).
     */
    private String afterCondition() {
        List<String> alternatives = new ArrayList<>();
        for (int i = 0; i < table.key().size(); i++) {
            StringBuilder alternative = new StringBuilder("(");
            for (int j = 0; j <= i; j++) {
                KeyColumn column = table.key().get(j);
                alternative.append(j > 0 ? " AND " : "").append(Identifiers.quote(column.name()))
                        .append(j < i ? " = " : " > ").append(column.placeholder());
            }
            alternatives.add(alternative.append(')').toString());
        }
        return String.join(" OR ", alternatives);
    }

    private void bindAfter(PreparedStatement select, List<byte[]> after) throws SQLException {
        int parameter = 1;
        for (int i = 0; i < table.key().size(); i++) {
            for (int j = 0; j <= i; j++) {
                bindKey(select, parameter++, table.key().get(j), after.get(j));
            }
        }
    }

    private static void bindKey(PreparedStatement statement, int index, KeyColumn column, byte[] value)
            throws SQLException {
        switch (column.kind()) {
            case NUMBER -> statement.setBigDecimal(index, new BigDecimal(new String(value, StandardCharsets.US_ASCII)));
            case TEMPORAL -> statement.setString(index, new String(value, StandardCharsets.US_ASCII));
            case TEXT, BINARY -> statement.setBytes(index, value);
        }
    }

    private void write(PreparedStatement insert, List<byte[][]> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        List<TableDefinition.CopyColumn> columns = table.columns();
        for (byte[][] row : rows) {
            for (int i = 0; i < columns.size(); i++) {
                if (row[i] == null) {
                    insert.setNull(i + 1, Types.NULL);
                } else if (columns.get(i).binding() == TableDefinition.Binding.NUMBER_OR_TIME) {
                    insert.setString(i + 1, new String(row[i], StandardCharsets.US_ASCII));
                } else {
                    insert.setBytes(i + 1, row[i]);
                }
            }
            insert.addBatch();
        }
        insert.executeBatch(); // one multi-row INSERT per max_allowed_packet (rewriteBatchedStatements)
    }

    private String insertSql() {
        StringBuilder sql = new StringBuilder(replace ? "REPLACE INTO " : "INSERT INTO ")
                .append(table.targetQuotedName())
                .append(" (");
        List<TableDefinition.CopyColumn> columns = table.columns();
        for (int i = 0; i < columns.size(); i++) {
            sql.append(i > 0 ? ", " : "").append(Identifiers.quote(columns.get(i).name()));
        }
        sql.append(") VALUES (");
        for (int i = 0; i < columns.size(); i++) {
            sql.append(i > 0 ? ", " : "").append(columns.get(i).placeholder());
        }
        return sql.append(')').toString();
    }

    private String columnList() {
        List<String> quoted = selected.stream().map(Identifiers::quote).toList();
        return String.join(", ", quoted);
    }

    private byte[][] row(ResultSet result) throws SQLException {
        byte[][] row = new byte[selected.size()][];
        for (int i = 0; i < row.length; i++) {
            row[i] = result.getBytes(i + 1);
        }
        return row;
    }

    private List<byte[]> keyOf(byte[][] row) {
        List<byte[]> key = new ArrayList<>(keyAt.length);
        for (int at : keyAt) {
            key.add(row[at]);
        }
        return key;
    }

    private static long size(byte[][] row) {
        long bytes = 16;
        for (byte[] value : row) {
            bytes += value == null ? 8 : value.length + 16;
        }
        return bytes;
    }

    private static int indexOfIgnoreCase(List<String> names, String name) {
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }
}
