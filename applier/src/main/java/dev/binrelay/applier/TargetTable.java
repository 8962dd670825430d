package dev.binrelay.applier;

import java.util.List;

/**
 * A target table's shape: its columns in ordinal order and the columns that identify a row.
 *
 * @param schema     the schema
 * @param name       the table name
 * @param columns    all columns, in ordinal order
 * @param keyColumns indexes into {@code columns} of the primary key, else of the first unique key on NOT NULL
 *                   columns; empty when the table has neither
 */
record TargetTable(String schema, String name, List<TargetColumn> columns, int[] keyColumns) {

    String qualifiedName() {
        return schema + "." + name;
    }

    List<String> columnNames() {
        return columns.stream().map(TargetColumn::name).toList();
    }
}
