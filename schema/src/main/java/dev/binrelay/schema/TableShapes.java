package dev.binrelay.schema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads table shapes from {@code information_schema}: the one reader of them, for source and target tables alike
 * (MySQL 8 and MariaDB have the same columns there). Each read is two statements on the caller's connection, columns
 * then keys; what a caller needs to hold them consistent (a global read lock, a cache dropped after DDL) is its own.
 */
public final class TableShapes {
    private static final String COLUMNS = "SELECT column_name, data_type, column_type, is_nullable, "
            + "character_set_name, collation_name, character_octet_length, numeric_precision, numeric_scale, "
            + "column_key, extra, generation_expression FROM information_schema.columns "
            + "WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position";
    /** A functional key part has no column: its COLUMN_NAME is NULL, and it is kept as such. */
    private static final String UNIQUE_KEYS = "SELECT index_name, column_name, sub_part "
            + "FROM information_schema.statistics WHERE table_schema = ? AND table_name = ? AND non_unique = 0 "
            + "ORDER BY index_name = 'PRIMARY' DESC, index_name, seq_in_index";

    private TableShapes() {
    }

    /** The shape of {@code schema.table} on {@code connection}'s server, or empty when there is no such table. */
    public static Optional<TableShape> read(Connection connection, String schema, String table) throws SQLException {
        List<ColumnShape> columns = columns(connection, schema, table);
        if (columns.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new TableShape(schema, table, columns, uniqueKeys(connection, schema, table)));
    }

    /**
     * The columns of {@code schema.table} by ordinal position, without its keys (one statement); empty when there is
     * no such table.
     */
    public static List<ColumnShape> columns(Connection connection, String schema, String table) throws SQLException {
        List<ColumnShape> columns = new ArrayList<>();
        try (PreparedStatement statement = prepare(connection, COLUMNS, schema, table);
             ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                columns.add(new ColumnShape(rows.getString(1), rows.getString(2), rows.getString(3),
                        "YES".equals(rows.getString(4)), rows.getString(5), rows.getString(6), rows.getLong(7),
                        rows.getInt(8), rows.getInt(9), rows.getString(10), rows.getString(11), rows.getString(12)));
            }
        }
        return List.copyOf(columns);
    }

    private static List<UniqueKey> uniqueKeys(Connection connection, String schema, String table)
            throws SQLException {
        Map<String, List<UniqueKey.Part>> keys = new LinkedHashMap<>();
        try (PreparedStatement statement = prepare(connection, UNIQUE_KEYS, schema, table);
             ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                keys.computeIfAbsent(rows.getString(1), index -> new ArrayList<>())
                        .add(new UniqueKey.Part(rows.getString(2), rows.getInt(3))); // SUB_PART NULL: 0
            }
        }
        return keys.entrySet().stream().map(key -> new UniqueKey(key.getKey(), key.getValue())).toList();
    }

    private static PreparedStatement prepare(Connection connection, String sql, String schema, String table)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        try {
            statement.setString(1, schema);
            statement.setString(2, table);
            return statement;
        } catch (SQLException e) {
            statement.close();
            throw e;
        }
    }
}
