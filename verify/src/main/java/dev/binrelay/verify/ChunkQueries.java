package dev.binrelay.verify;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL that verify runs on one table, the same text on source and target (only the source's reads lock).
 *
 * <p>A row's hash is {@code MD5} over every column's bytes: {@code CONCAT_WS('#', c1, ..., cn, nulls, lengths)}
 * where {@code nulls} is {@code CONCAT(ISNULL(c1), ...)}, telling NULL from empty, and {@code lengths} the columns'
 * byte lengths, so that no two different rows concatenate alike ({@code 'a#', 'b'} against {@code 'a', '#b'}). A
 * chunk's checksum is the row count and the SUMs of the two 64-bit halves of the row hashes. SUM rather than
 * pt-table-checksum's BIT_XOR: XOR cancels a pair of identical rows, which a table without a primary key can hold,
 * so two duplicated rows would look like none; SUM of BIGINT UNSIGNED values is an exact DECIMAL and never overflows.
 */
final class ChunkQueries {
    private final ComparedTable table;
    private final String rowHash;
    private final String index;
    private final String keyOrder;

    ChunkQueries(ComparedTable table) {
        this.table = table;
        List<String> hashed = table.columns().stream().map(Column::hashed).toList();
        List<String> nulls = table.columns().stream().map(column -> "ISNULL(" + column.quoted() + ")").toList();
        List<String> lengths = hashed.stream().map(value -> "LENGTH(" + value + ")").toList();
        this.rowHash = "MD5(CONCAT_WS('#', " + String.join(", ", hashed) + ", CONCAT(" + String.join(", ", nulls)
                + "), CONCAT_WS(',', " + String.join(", ", lengths) + ")))";
        // The range is on the primary key: forcing it makes the locking read lock exactly the chunk's key range.
        this.index = table.key().isEmpty() ? "" : " FORCE INDEX (PRIMARY)";
        this.keyOrder = String.join(", ", table.key().stream().map(Column::quoted).toList());
    }

    /** A statement with its parameters, in the order of its placeholders. */
    record Query(String sql, List<Bound> parameters) {
        /** Binds the parameters to {@code statement}, prepared from {@link #sql}. */
        void bind(PreparedStatement statement) throws SQLException {
            for (int i = 0; i < parameters.size(); i++) {
                Bound bound = parameters.get(i);
                bound.column().bindKey(statement, i + 1, bound.value());
            }
        }
    }

    /** One key value bound as a parameter. */
    record Bound(Column column, Object value) {
    }

    /**
     * The key of the {@code rows}-th row after {@code after} (null: from the start), non-locking: the upper end of
     * the next chunk, or no row when fewer remain.
     */
    Query nextBoundary(List<Object> after, int rows) {
        List<Bound> parameters = new ArrayList<>();
        String where = after == null ? "" : " WHERE " + after(after, parameters);
        String sql = "SELECT " + String.join(", ", table.key().stream().map(Column::keySelect).toList()) + " FROM "
                + table.quoted() + index + where + " ORDER BY " + keyOrder + " LIMIT 1 OFFSET " + (rows - 1);
        return new Query(sql, parameters);
    }

    /**
     * The chunk's row count and hash sums; with {@code lock}, a locking read ({@code FOR SHARE}) that in REPEATABLE
     * READ also locks the gaps, so no other transaction can change, insert or delete a row of the range until this
     * transaction ends.
     */
    Query checksum(ChunkRange range, boolean lock) {
        List<Bound> parameters = new ArrayList<>();
        String sql = "SELECT COUNT(*), COALESCE(SUM(CAST(CONV(SUBSTRING(h, 1, 16), 16, 10) AS UNSIGNED)), 0), "
                + "COALESCE(SUM(CAST(CONV(SUBSTRING(h, 17, 16), 16, 10) AS UNSIGNED)), 0) FROM (SELECT " + rowHash
                + " AS h FROM " + table.quoted() + index + where(range, parameters) + (lock ? " FOR SHARE" : "")
                + ") AS chunk_rows";
        return new Query(sql, parameters);
    }

    /**
     * Every row of the chunk as its identity and its hash: the key columns (or, without a key, every column for
     * display), then the row hash; in key order.
     */
    Query rowHashes(ChunkRange range, boolean lock) {
        List<Bound> parameters = new ArrayList<>();
        List<String> identity = table.key().isEmpty()
                ? table.columns().stream().map(Column::displaySelect).toList()
                : table.key().stream().map(Column::keySelect).toList();
        String sql = "SELECT " + String.join(", ", identity) + ", " + rowHash + " FROM " + table.quoted() + index
                + where(range, parameters) + (keyOrder.isEmpty() ? "" : " ORDER BY " + keyOrder)
                + (lock ? " FOR SHARE" : "");
        return new Query(sql, parameters);
    }

    private String where(ChunkRange range, List<Bound> parameters) {
        List<String> conditions = new ArrayList<>();
        if (range.after() != null) {
            conditions.add("(" + after(range.after(), parameters) + ")");
        }
        if (range.upTo() != null) {
            conditions.add("(" + upTo(range.upTo(), parameters) + ")");
        }
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    /**
     * {@code key > values} spelled out as {@code k1 > v1 OR (k1 = v1 AND k2 > v2) OR ...}: MySQL does not use a range
     * scan for a row constructor compared with {@code >}, and a full scan would lock the whole table.
     */
    private String after(List<Object> values, List<Bound> parameters) {
        return lexicographic(values, parameters, ">", false);
    }

    /** {@code key <= values}: {@code k1 < v1 OR (k1 = v1 AND k2 < v2) OR ... OR (k1 = v1 AND ... AND kn = vn)}. */
    private String upTo(List<Object> values, List<Bound> parameters) {
        return lexicographic(values, parameters, "<", true);
    }

    private String lexicographic(List<Object> values, List<Bound> parameters, String strict, boolean orEqual) {
        List<Column> key = table.key();
        List<String> alternatives = new ArrayList<>();
        for (int last = 0; last < key.size(); last++) {
            alternatives.add(prefixThen(values, parameters, last, strict));
        }
        if (orEqual) {
            alternatives.add(prefixThen(values, parameters, key.size(), null));
        }
        return String.join(" OR ", alternatives);
    }

    /** {@code k1 = v1 AND ... AND k(last-1) = v(last-1) AND k(last) <op> v(last)} (no last term when op is null). */
    private String prefixThen(List<Object> values, List<Bound> parameters, int last, String op) {
        List<Column> key = table.key();
        List<String> terms = new ArrayList<>();
        for (int i = 0; i < last; i++) {
            terms.add(term(key.get(i), "=", values.get(i), parameters));
        }
        if (op != null) {
            terms.add(term(key.get(last), op, values.get(last), parameters));
        }
        return terms.size() == 1 ? terms.get(0) : "(" + String.join(" AND ", terms) + ")";
    }

    private static String term(Column column, String op, Object value, List<Bound> parameters) {
        parameters.add(new Bound(column, value));
        return column.quoted() + " " + op + " " + column.keyParameter();
    }
}
