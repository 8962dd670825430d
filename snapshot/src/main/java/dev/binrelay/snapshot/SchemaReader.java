package dev.binrelay.snapshot;

import dev.binrelay.schema.ColumnShape;
import dev.binrelay.schema.Identifiers;
import dev.binrelay.schema.TableShape;
import dev.binrelay.schema.TableShapes;
import dev.binrelay.schema.UniqueKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads what the copy needs of the source's schemas: which tables and views there are, their CREATE statements,
 * columns and chunking keys (mapped from {@link TableShapes}). Run under the global read lock, so no DDL can change
 * them in between.
 */
final class SchemaReader {
    /** MySQL's own schemas, never copied. */
    static final Set<String> SYSTEM_SCHEMAS = Set.of("mysql", "sys", "information_schema", "performance_schema");

    private final Connection connection;

    /** @param connection a source connection; its session is changed to read fresh row estimates */
    SchemaReader(Connection connection) throws SQLException {
        this.connection = connection;
        try (Statement statement = connection.createStatement()) {
            // TABLE_ROWS is cached for a day by default: a table filled since would show 0 rows.
            statement.execute("SET SESSION information_schema_stats_expiry = 0");
        }
    }

    /**
     * The schemas to copy: {@code wanted}, each of which must exist, or when it is empty every schema but MySQL's
     * own and {@code checkpointSchema}.
     */
    List<String> schemas(List<String> wanted, String checkpointSchema) throws SQLException {
        List<String> existing = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA "
                     + "ORDER BY SCHEMA_NAME")) {
            while (rows.next()) {
                existing.add(rows.getString(1));
            }
        }
        if (wanted.isEmpty()) {
            return existing.stream().filter(schema -> !SYSTEM_SCHEMAS.contains(schema.toLowerCase(Locale.ROOT))
                    && !schema.equals(checkpointSchema)).toList();
        }
        for (String schema : wanted) {
            if (!existing.contains(schema)) {
                throw new SnapshotException("snapshot.schemas: schema '" + schema + "' does not exist on the source");
            }
        }
        return List.copyOf(wanted);
    }

    /** The base tables of {@code schemas}, in schema and name order. */
    List<TableDefinition> tables(List<String> schemas) throws SQLException {
        List<TableDefinition> tables = new ArrayList<>();
        for (String schema : schemas) {
            Map<String, Long> estimates = new LinkedHashMap<>();
            try (PreparedStatement statement = connection.prepareStatement("SELECT TABLE_NAME, TABLE_ROWS FROM "
                    + "information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' "
                    + "ORDER BY TABLE_NAME")) {
                statement.setString(1, schema);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        estimates.put(rows.getString(1), rows.getLong(2));
                    }
                }
            }
            for (Map.Entry<String, Long> table : estimates.entrySet()) {
                tables.add(definition(schema, table.getKey(), table.getValue()));
            }
        }
        return tables;
    }

    /** One table's definition, or empty when it no longer exists. */
    Optional<TableDefinition> table(String schema, String name) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT TABLE_ROWS FROM information_schema.TABLES "
                + "WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND TABLE_TYPE = 'BASE TABLE'")) {
            statement.setString(1, schema);
            statement.setString(2, name);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(definition(schema, name, rows.getLong(1))) : Optional.empty();
            }
        }
    }

    /** The views of {@code schemas}: name and {@code SHOW CREATE VIEW} text. */
    List<View> views(List<String> schemas) throws SQLException {
        List<View> views = new ArrayList<>();
        for (String schema : schemas) {
            List<String> names = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement("SELECT TABLE_NAME FROM "
                    + "information_schema.VIEWS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME")) {
                statement.setString(1, schema);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        names.add(rows.getString(1));
                    }
                }
            }
            if (!names.isEmpty()) {
                try (Statement statement = connection.createStatement()) {
                    // With the view's schema as default, SHOW CREATE VIEW leaves the tables of that schema
                    // unqualified (as mysqldump relies on), so the view also reads them under a rewritten name.
                    statement.execute("USE " + Identifiers.quote(schema));
                }
            }
            for (String name : names) {
                views.add(new View(schema, name, showCreate("VIEW", schema, name), schema));
            }
        }
        return views;
    }

    /**
     * {@code SHOW CREATE DATABASE IF NOT EXISTS}: the schema with its default charset, safe to run again, named
     * {@code targetSchema}: the name is the statement's first quoted identifier (only a version comment,
     * {@code IF NOT EXISTS}, precedes it).
     */
    String createSchema(String schema, String targetSchema) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SHOW CREATE DATABASE IF NOT EXISTS " + Identifiers.quote(schema))) {
            row.next();
            String sql = row.getString(2);
            String quoted = Identifiers.quote(schema);
            int at = sql.indexOf(quoted);
            if (schema.equals(targetSchema)) {
                return sql;
            }
            if (at < 0) {
                throw new SnapshotException("cannot rename schema " + schema + " to " + targetSchema + " in: " + sql);
            }
            return sql.substring(0, at) + Identifiers.quote(targetSchema) + sql.substring(at + quoted.length());
        }
    }

    private TableDefinition definition(String schema, String name, long rowsEstimated) throws SQLException {
        // Gone (it cannot be, under the read lock): no columns, and SHOW CREATE TABLE below fails saying so.
        TableShape shape = TableShapes.read(connection, schema, name)
                .orElseGet(() -> new TableShape(schema, name, List.of(), List.of()));
        List<TableDefinition.CopyColumn> columns = shape.columns().stream().filter(column -> !column.generated())
                .map(column -> TableDefinition.CopyColumn.of(column.name(), column.dataType(), column.charset()))
                .toList();
        return new TableDefinition(schema, name, Sql.withoutAutoIncrement(showCreate("TABLE", schema, name)),
                columns, chunkKey(shape), rowsEstimated, schema);
    }

    /** The primary key, else the first unique key, whose columns are all NOT NULL and of a kind chunks can follow. */
    private static List<KeyColumn> chunkKey(TableShape shape) {
        for (UniqueKey unique : shape.uniqueKeys()) {
            List<KeyColumn> key = new ArrayList<>();
            for (String column : unique.columnNames()) {
                // A functional key part has no column name: such a key cannot be followed by column values.
                KeyColumn usable = column == null ? null : keyColumn(shape, column);
                if (usable == null) {
                    key = null;
                    break;
                }
                key.add(usable);
            }
            if (key != null) {
                return key;
            }
        }
        return List.of();
    }

    /** The column as a chunk key's column, or null when it may be NULL or is of a kind chunks cannot follow. */
    private static KeyColumn keyColumn(TableShape shape, String name) {
        ColumnShape column = shape.column(name).orElse(null);
        KeyColumn.Kind kind = column == null ? null : KeyColumn.Kind.of(column.dataType());
        return kind == null || column.nullable() ? null
                : new KeyColumn(column.name(), kind, column.charset(), column.collation());
    }

    private String showCreate(String kind, String schema, String name) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SHOW CREATE " + kind + " "
                     + Identifiers.qualified(schema, name))) {
            row.next();
            return row.getString(2);
        }
    }

    /**
     * A view: its {@code SHOW CREATE VIEW} text, and the schema it is created in on the target ({@code schema} unless
     * the replication filter rewrites it).
     */
    record View(String schema, String name, String createSql, String targetSchema) {
        /** This view created in {@code targetSchema} on the target. */
        View into(String targetSchema) {
            return new View(schema, name, createSql, targetSchema);
        }
    }
}
