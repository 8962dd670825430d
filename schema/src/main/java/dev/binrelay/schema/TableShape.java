package dev.binrelay.schema;

import java.util.List;
import java.util.Optional;

/**
 * A table's columns and unique keys, read by {@link TableShapes}.
 *
 * @param schema     its schema
 * @param name       its name
 * @param columns    every column by ordinal position, generated and invisible ones included
 * @param uniqueKeys every unique key, the primary key first, then by index name; functional ones included
 */
public record TableShape(String schema, String name, List<ColumnShape> columns, List<UniqueKey> uniqueKeys) {
    public TableShape {
        columns = List.copyOf(columns);
        uniqueKeys = List.copyOf(uniqueKeys);
    }

    /** The position in {@link #columns()} of the column named {@code column} (ignoring case, as MySQL does), or -1. */
    public int indexOf(String column) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equalsIgnoreCase(column)) {
                return i;
            }
        }
        return -1;
    }

    /** The column named {@code column}, ignoring case. */
    public Optional<ColumnShape> column(String column) {
        int index = indexOf(column);
        return index < 0 ? Optional.empty() : Optional.of(columns.get(index));
    }

    /** The primary key, if the table has one. */
    public Optional<UniqueKey> primaryKey() {
        return uniqueKeys.isEmpty() || !uniqueKeys.get(0).primary() ? Optional.empty()
                : Optional.of(uniqueKeys.get(0));
    }
}
