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
 * @param uniqueKeys every unique key (primary first), as indexes into {@code columns}
 * @param foreignKeys whether the table is the child or the parent of a foreign key
 */
record TargetTable(String schema, String name, List<TargetColumn> columns, int[] keyColumns, List<int[]> uniqueKeys,
                   boolean foreignKeys) {

    String qualifiedName() {
        return schema + "." + name;
    }

    List<String> columnNames() {
        return columns.stream().map(TargetColumn::name).toList();
    }
}
