package dev.binrelay.engine.event;

import java.util.List;

/**
 * A source table as the binary log describes it in a TABLE_MAP event.
 *
 * @param schema      the database name
 * @param name        the table name
 * @param columnTypes MySQL column type codes ({@code enum_field_types}), one per column, after un-packing STRING
 *                    sub-types (so ENUM and SET appear as themselves)
 * @param columnNames column names, or an empty list when the source logs {@code binlog_row_metadata=MINIMAL}
 */
public record SourceTable(String schema, String name, int[] columnTypes, List<String> columnNames) {
    /** MySQL's {@code MYSQL_TYPE_JSON}. */
    public static final int TYPE_JSON = 245;

    /** Number of columns the source table has. */
    public int columnCount() {
        return columnTypes.length;
    }

    /** {@code schema.name}, for messages. */
    public String qualifiedName() {
        return schema + "." + name;
    }

    @Override
    public String toString() {
        return qualifiedName();
    }
}
