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
 * @param uniqueKeys every unique key over columns only (primary first), as indexes into {@code columns}; keys with
 *                   a functional part are not among them
 * @param foreignKeys whether the table is the child or the parent of a foreign key
 * @param keys       every unique key (primary first) with its prefixes, functional ones included, for the writeset
 */
record TargetTable(String schema, String name, List<TargetColumn> columns, int[] keyColumns, List<int[]> uniqueKeys,
                   boolean foreignKeys, List<TargetKey> keys) {

    /** A table whose unique keys are whole columns only (the first is the primary key if it is the row key). */
    TargetTable(String schema, String name, List<TargetColumn> columns, int[] keyColumns, List<int[]> uniqueKeys,
                boolean foreignKeys) {
        this(schema, name, columns, keyColumns, uniqueKeys, foreignKeys, uniqueKeys.stream()
                .map(key -> new TargetKey(key, new int[key.length], false, false)).toList());
    }

    String qualifiedName() {
        return schema + "." + name;
    }

    List<String> columnNames() {
        return columns.stream().map(TargetColumn::name).toList();
    }
}
