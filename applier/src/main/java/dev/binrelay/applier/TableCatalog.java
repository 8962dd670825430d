package dev.binrelay.applier;

import dev.binrelay.engine.apply.ForeignKeyColumns;
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
    /** The table's foreign keys as the child: its columns and the parent's, pair by pair in key order. */
    private static final String REFERENCING = "SELECT constraint_name, column_name, referenced_table_schema, "
            + "referenced_table_name, referenced_column_name FROM information_schema.key_column_usage "
            + "WHERE table_schema = ? AND table_name = ? AND referenced_table_name IS NOT NULL "
            + "ORDER BY constraint_name, ordinal_position";
    /** The foreign keys that reference the table (the parent), with what the target does to the children. */
    private static final String REFERENCED = "SELECT k.constraint_schema, k.constraint_name, "
            + "k.referenced_column_name, r.update_rule, r.delete_rule FROM information_schema.key_column_usage k "
            + "JOIN information_schema.referential_constraints r ON r.constraint_schema = k.constraint_schema "
            + "AND r.constraint_name = k.constraint_name AND r.table_name = k.table_name "
            + "WHERE k.referenced_table_schema = ? AND k.referenced_table_name = ? "
            + "ORDER BY k.constraint_schema, k.table_name, k.constraint_name, k.ordinal_position";

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
                foreignKeys(connection, shape, schema, name), List.copyOf(keys)));
    }

    /**
     * Both sides of the foreign keys the table takes part in. A parent side names itself the way its children name
     * it ({@link ForeignKeyColumns#name}), so the two hash alike; its rules say whether the target cascades.
     */
    private static List<ForeignKeyColumns> foreignKeys(Connection connection, TableShape shape, String schema,
                                                       String name) throws SQLException {
        List<ForeignKeyColumns> found = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(REFERENCING)) {
            statement.setString(1, schema);
            statement.setString(2, name);
            try (ResultSet rows = statement.executeQuery()) {
                ForeignKeyReader key = new ForeignKeyReader();
                while (rows.next()) {
                    String constraint = rows.getString(1);
                    if (!key.continues(constraint)) {
                        key.addTo(found, shape, false);
                        key = new ForeignKeyReader(constraint, rows.getString(3), rows.getString(4), null, null);
                    }
                    key.add(rows.getString(2), rows.getString(5));
                }
                key.addTo(found, shape, false);
            }
        }
        try (PreparedStatement statement = connection.prepareStatement(REFERENCED)) {
            statement.setString(1, schema);
            statement.setString(2, name);
            try (ResultSet rows = statement.executeQuery()) {
                ForeignKeyReader key = new ForeignKeyReader();
                while (rows.next()) {
                    String constraint = rows.getString(1) + "." + rows.getString(2);
                    if (!key.continues(constraint)) {
                        key.addTo(found, shape, true);
                        key = new ForeignKeyReader(constraint, schema, name, rows.getString(4), rows.getString(5));
                    }
                    key.add(rows.getString(3), rows.getString(3));
                }
                key.addTo(found, shape, true);
            }
        }
        return List.copyOf(found);
    }

    /** One foreign key read row by row: this table's columns and the referenced ones, in key order. */
    private static final class ForeignKeyReader {
        private final String constraint;
        private final String parentSchema;
        private final String parentTable;
        private final String updateRule;
        private final String deleteRule;
        private final List<String> columns = new ArrayList<>();
        private final List<String> referenced = new ArrayList<>();

        ForeignKeyReader() {
            this(null, null, null, null, null);
        }

        ForeignKeyReader(String constraint, String parentSchema, String parentTable, String updateRule,
                         String deleteRule) {
            this.constraint = constraint;
            this.parentSchema = parentSchema;
            this.parentTable = parentTable;
            this.updateRule = updateRule;
            this.deleteRule = deleteRule;
        }

        boolean continues(String otherConstraint) {
            return constraint != null && constraint.equals(otherConstraint);
        }

        void add(String column, String referencedColumn) {
            columns.add(column);
            referenced.add(referencedColumn);
        }

        void addTo(List<ForeignKeyColumns> found, TableShape shape, boolean parent) {
            if (constraint == null) {
                return;
            }
            int[] indexes = columns.stream().mapToInt(column -> indexOf(shape, column)).toArray();
            found.add(new ForeignKeyColumns(ForeignKeyColumns.name(parentSchema, parentTable, referenced), indexes,
                    parent, parent && cascades(deleteRule), parent && cascades(updateRule)));
        }

        /** CASCADE, SET NULL and SET DEFAULT change child rows; RESTRICT and NO ACTION only check them. */
        private static boolean cascades(String rule) {
            return rule != null && !rule.equalsIgnoreCase("RESTRICT") && !rule.equalsIgnoreCase("NO ACTION");
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
