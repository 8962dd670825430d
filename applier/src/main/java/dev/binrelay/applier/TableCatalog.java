package dev.binrelay.applier;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Target table shapes read from information_schema and cached until a statement (DDL) may have changed them.
 * Thread-safe: workers share one catalog.
 */
final class TableCatalog {
    private static final String COLUMNS = "SELECT column_name, data_type, character_set_name, collation_name, extra, "
            + "column_type, is_nullable, character_octet_length FROM information_schema.columns WHERE table_schema = ? AND table_name = ? "
            + "ORDER BY ordinal_position";
    /** LEFT JOIN: a functional key part has no column (column_name NULL) and must still be seen. */
    private static final String KEYS = "SELECT s.index_name, s.column_name, s.non_unique, c.is_nullable, s.sub_part "
            + "FROM information_schema.statistics s LEFT JOIN information_schema.columns c "
            + "ON c.table_schema = s.table_schema AND c.table_name = s.table_name AND c.column_name = s.column_name "
            + "WHERE s.table_schema = ? AND s.table_name = ? ORDER BY s.index_name = 'PRIMARY' DESC, s.index_name, "
            + "s.seq_in_index";

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
        List<TargetColumn> columns = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(COLUMNS)) {
            statement.setString(1, schema);
            statement.setString(2, name);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String extra = rows.getString(5) == null ? "" : rows.getString(5).toUpperCase();
                    columns.add(new TargetColumn(rows.getString(1), rows.getString(2).toLowerCase(), rows.getString(3),
                            rows.getString(4), extra.contains("VIRTUAL GENERATED") || extra.contains("STORED GENERATED"),
                            rows.getString(6).toLowerCase().contains("unsigned"), "YES".equals(rows.getString(7)),
                            rows.getLong(8)));
                }
            }
        }
        if (columns.isEmpty()) {
            return Optional.empty();
        }
        List<int[]> uniqueKeys = new ArrayList<>();
        List<TargetKey> keys = new ArrayList<>();
        int[] rowKey = uniqueKeys(connection, schema, name, columns, uniqueKeys, keys);
        return Optional.of(new TargetTable(schema, name, List.copyOf(columns), rowKey, List.copyOf(uniqueKeys),
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
    private static int[] uniqueKeys(Connection connection, String schema, String name, List<TargetColumn> columns,
                                    List<int[]> all, List<TargetKey> keys) throws SQLException {
        Map<String, List<String>> uniqueKeys = new LinkedHashMap<>();
        Map<String, List<Integer>> prefixes = new LinkedHashMap<>();
        Map<String, Boolean> usable = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(KEYS)) {
            statement.setString(1, schema);
            statement.setString(2, name);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    if (rows.getInt(3) != 0) {
                        continue;
                    }
                    String index = rows.getString(1);
                    uniqueKeys.computeIfAbsent(index, i -> new ArrayList<>()).add(rows.getString(2));
                    prefixes.computeIfAbsent(index, i -> new ArrayList<>()).add(rows.getInt(5)); // NULL: 0
                    boolean notNull = "NO".equals(rows.getString(4));
                    usable.merge(index, notNull && rows.getString(2) != null, Boolean::logicalAnd);
                }
            }
        }
        int[] rowKey = null;
        for (Map.Entry<String, List<String>> key : uniqueKeys.entrySet()) {
            keys.add(targetKey(columns, key.getKey(), key.getValue(), prefixes.get(key.getKey())));
            if (key.getValue().contains(null)) {
                continue; // a functional index: its values are not in the row, its columns alone are not unique
            }
            int[] indexes = new int[key.getValue().size()];
            for (int i = 0; i < indexes.length; i++) {
                indexes[i] = indexOf(columns, key.getValue().get(i));
            }
            all.add(indexes);
            if (rowKey == null && usable.get(key.getKey())) {
                rowKey = indexes; // a unique key over nullable columns does not identify one row
            }
        }
        return rowKey == null ? new int[0] : rowKey;
    }

    private static TargetKey targetKey(List<TargetColumn> columns, String index, List<String> parts,
                                       List<Integer> prefixes) {
        List<Integer> indexes = new ArrayList<>();
        List<Integer> lengths = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            if (parts.get(i) != null) {
                indexes.add(indexOf(columns, parts.get(i)));
                lengths.add(prefixes.get(i));
            }
        }
        return new TargetKey(indexes.stream().mapToInt(Integer::intValue).toArray(),
                lengths.stream().mapToInt(Integer::intValue).toArray(), "PRIMARY".equals(index),
                indexes.size() < parts.size());
    }

    private static int indexOf(List<TargetColumn> columns, String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equalsIgnoreCase(name)) {
                return i;
            }
        }
        throw new IllegalStateException("key column " + name + " is not among the table's columns");
    }
}
