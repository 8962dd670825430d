package dev.binrelay.applier;

import dev.binrelay.engine.apply.ForeignKeyColumns;
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
 * @param foreignKeys both sides of every foreign key the table takes part in, as child and as parent; their
 *                    {@code columns} index {@code columns} here (the key catalog maps them to source positions)
 * @param keys       every unique key (primary first) with its prefixes, functional ones included, for the writeset
 */
record TargetTable(String schema, String name, List<TargetColumn> columns, int[] keyColumns, List<int[]> uniqueKeys,
                   List<ForeignKeyColumns> foreignKeys, List<TargetKey> keys) {

    /**
     * A table without foreign keys whose unique keys are whole columns only (the first is the primary key if it is
     * the row key).
     */
    TargetTable(String schema, String name, List<TargetColumn> columns, int[] keyColumns, List<int[]> uniqueKeys) {
        this(schema, name, columns, keyColumns, uniqueKeys, List.of(), uniqueKeys.stream()
                .map(key -> new TargetKey(key, new int[key.length], false, false)).toList());
    }

    String qualifiedName() {
        return schema + "." + name;
    }

    List<String> columnNames() {
        return columns.stream().map(TargetColumn::name).toList();
    }
}
