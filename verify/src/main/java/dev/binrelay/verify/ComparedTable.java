package dev.binrelay.verify;

import dev.binrelay.schema.Identifiers;
import dev.binrelay.schema.TableShape;
import dev.binrelay.schema.TableShapes;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * A table as the verifier compares it: its columns, in order, and its primary key, mapped from {@link TableShapes}.
 *
 * @param schema  the schema
 * @param name    the table
 * @param columns every column, by ordinal position (generated and invisible columns too: nothing is excluded)
 * @param key     the primary key's columns in key order; empty when the table has none
 */
record ComparedTable(String schema, String name, List<Column> columns, List<Column> key) {
    ComparedTable {
        columns = List.copyOf(columns);
        key = List.copyOf(key);
    }

    /** The table's shape on {@code connection}'s server, or empty when it has no such table. */
    static Optional<ComparedTable> load(Connection connection, String schema, String name) throws SQLException {
        return TableShapes.read(connection, schema, name).map(ComparedTable::of);
    }

    private static ComparedTable of(TableShape shape) {
        List<Column> columns = shape.columns().stream().map(column -> new Column(column.name(), column.dataType(),
                column.unsigned(), column.precision(), column.scale(), column.charset(), column.collation())).toList();
        List<Column> key = shape.primaryKey().map(primary -> primary.columnNames().stream()
                .map(part -> columns.get(shape.indexOf(part))).toList()).orElse(List.of());
        return new ComparedTable(shape.schema(), shape.name(), columns, key);
    }

    /** The same columns and key in {@code otherSchema}: the target table of a rewritten database. */
    ComparedTable in(String otherSchema) {
        return new ComparedTable(otherSchema, name, columns, key);
    }

    /** {@code schema.table}, for messages. */
    String displayName() {
        return schema + "." + name;
    }

    /** The table quoted for SQL. */
    String quoted() {
        return Identifiers.qualified(schema, name);
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
