package dev.binrelay.applier;

import dev.binrelay.schema.TableShape;
import dev.binrelay.schema.TableShapes;
import dev.binrelay.schema.UniqueKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Target table shapes read by {@link TableShapes}, mapped for writing rows (and the foreign keys they take part in),
 * and cached until a statement (DDL) may have changed them. Thread-safe: workers share one catalog.
 */
final class TableCatalog {
    private static final String FOREIGN_KEYS = "SELECT COUNT(*) FROM information_schema.referential_constraints "
            + "WHERE (constraint_schema = ? AND table_name = ?) OR (unique_constraint_schema = ? "
            + "AND referenced_table_name = ?)";

    private final Map<String, Optional<TargetTable>> cache = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();

    /** The table's shape, or empty when the target has no such table. */
    Optional<TargetTable> table(Connection connection, String schema, String name) throws SQLException {
        String key = schema + "\u0000" + name;
        Optional<TargetTable> known = cache.get(key);
        if (known != null) {
            return known;
        }
        long loadedIn = generation.get();
        Optional<TargetTable> loaded = load(connection, schema, name);
        cache.put(key, loaded);
        if (generation.get() != loadedIn) {
            cache.remove(key, loaded); // a statement ran while we read: what we read may be the old shape
        }
        return loaded;
    }

    /**
     * Forgets every cached shape: called after any statement, since DDL may rename, alter or drop tables. Moves the
     * {@link #generation()} on, so that every worker drops the plans it built from the old shapes.
     */
    void invalidate() {
        generation.incrementAndGet();
        cache.clear();
    }

    /** Changes with every {@link #invalidate()}: plans built in an earlier generation may map a table's old shape. */
    long generation() {
        return generation.get();
    }

    private static Optional<TargetTable> load(Connection connection, String schema, String name) throws SQLException {
        Optional<TableShape> read = TableShapes.read(connection, schema, name);
        if (read.isEmpty()) {
            return Optional.empty();
        }
        TableShape shape = read.get();
        List<TargetColumn> columns = shape.columns().stream().map(column -> new TargetColumn(column.name(),
                column.dataType(), column.charset(), column.collation(), column.generated(), column.unsigned(),
                column.nullable(), column.maxBytes())).toList();
        List<int[]> uniqueKeys = new ArrayList<>();
        List<TargetKey> keys = new ArrayList<>();
        int[] rowKey = uniqueKeys(shape, uniqueKeys, keys);
        return Optional.of(new TargetTable(schema, name, columns, rowKey, List.copyOf(uniqueKeys),
                hasForeignKeys(connection, schema, name), List.copyOf(keys)));
    }

    private static boolean hasForeignKeys(Connection connection, String schema, String name) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(FOREIGN_KEYS)) {
            statement.setString(1, schema);
            statement.setString(2, name);
            statement.setString(3, schema);
            statement.setString(4, name);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() && rows.getLong(1) > 0;
            }
        }
    }

    /**
     * Fills {@code all} with every unique key over columns only and {@code keys} with every unique key with its
     * prefixes (functional ones too); returns the key that identifies a row (primary, else NOT NULL, never one with
     * a functional part).
     */
    private static int[] uniqueKeys(TableShape shape, List<int[]> all, List<TargetKey> keys) {
        int[] rowKey = null;
        for (UniqueKey key : shape.uniqueKeys()) {
            keys.add(targetKey(shape, key));
            if (key.functional()) {
                continue; // a functional index: its values are not in the row, its columns alone are not unique
            }
            int[] indexes = new int[key.parts().size()];
            boolean notNull = true;
            for (int i = 0; i < indexes.length; i++) {
                indexes[i] = indexOf(shape, key.parts().get(i).column());
                notNull &= !shape.columns().get(indexes[i]).nullable();
            }
            all.add(indexes);
            if (rowKey == null && notNull) {
                rowKey = indexes; // a unique key over nullable columns does not identify one row
            }
        }
        return rowKey == null ? new int[0] : rowKey;
    }

    private static TargetKey targetKey(TableShape shape, UniqueKey key) {
        List<UniqueKey.Part> columnParts = key.parts().stream().filter(part -> part.column() != null).toList();
        return new TargetKey(columnParts.stream().mapToInt(part -> indexOf(shape, part.column())).toArray(),
                columnParts.stream().mapToInt(UniqueKey.Part::prefix).toArray(), key.primary(), key.functional());
    }

    private static int indexOf(TableShape shape, String column) {
        int index = shape.indexOf(column);
        if (index < 0) {
            throw new IllegalStateException("key column " + column + " is not among the table's columns");
        }
        return index;
    }
}
