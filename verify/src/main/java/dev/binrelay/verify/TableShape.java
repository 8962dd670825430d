package dev.binrelay.verify;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A table's columns, in order, and its primary key, read from {@code information_schema}.
 *
 * @param schema  the schema
 * @param name    the table
 * @param columns every column, by ordinal position (generated and invisible columns too: nothing is excluded)
 * @param key     the primary key's columns in key order; empty when the table has none
 */
record TableShape(String schema, String name, List<Column> columns, List<Column> key) {
    TableShape {
        columns = List.copyOf(columns);
        key = List.copyOf(key);
    }

    /** The table's shape on {@code connection}'s server, or empty when it has no such table. */
    static Optional<TableShape> load(Connection connection, String schema, String name) throws SQLException {
        List<Column> columns = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT column_name, data_type, column_type, "
                + "numeric_precision, numeric_scale, character_set_name, collation_name FROM "
                + "information_schema.columns WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position")) {
            select.setString(1, schema);
            select.setString(2, name);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    columns.add(new Column(rows.getString(1), rows.getString(2),
                            rows.getString(3).toLowerCase(Locale.ROOT).contains("unsigned"),
                            rows.getInt(4), rows.getInt(5), rows.getString(6), rows.getString(7)));
                }
            }
        }
        if (columns.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Column> byName = columns.stream().collect(Collectors.toMap(Column::name, Function.identity()));
        List<Column> key = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT column_name FROM "
                + "information_schema.statistics WHERE table_schema = ? AND table_name = ? AND index_name = 'PRIMARY' "
                + "ORDER BY seq_in_index")) {
            select.setString(1, schema);
            select.setString(2, name);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    key.add(byName.get(rows.getString(1)));
                }
            }
        }
        return Optional.of(new TableShape(schema, name, columns, key));
    }

    /** The same columns and key in {@code otherSchema}: the target table of a rewritten database. */
    TableShape in(String otherSchema) {
        return new TableShape(otherSchema, name, columns, key);
    }

    /** {@code schema.table}, for messages. */
    String displayName() {
        return schema + "." + name;
    }

    /** The table quoted for SQL. */
    String quoted() {
        return Sql.qualified(schema, name);
    }

    /** Whether the table is verified in primary-key chunks: it has a primary key of types that paginate exactly. */
    boolean chunked() {
        return chunking() == TableReport.Chunking.PRIMARY_KEY;
    }

    /** How the table's rows are split into chunks. */
    TableReport.Chunking chunking() {
        if (key.isEmpty()) {
            return TableReport.Chunking.ONE_CHUNK_NO_KEY;
        }
        return key.stream().allMatch(Column::chunkable) ? TableReport.Chunking.PRIMARY_KEY
                : TableReport.Chunking.ONE_CHUNK_KEY_TYPE;
    }

    /** The column names, in order, to compare the two sides' structure. */
    List<String> columnNames() {
        return columns.stream().map(Column::name).toList();
    }
}
