package dev.binrelay.snapshot;

import dev.binrelay.schema.Identifiers;
import java.util.List;

/**
 * One source table as the copy sees it, read under the global read lock.
 *
 * @param schema        its schema
 * @param name          its name
 * @param createSql     {@code SHOW CREATE TABLE} without the AUTO_INCREMENT counter, which moves with every insert
 * @param columns       the columns copied: every column but generated ones (the target computes those), invisible
 *                      ones included, in table order
 * @param key           the primary key, else a unique key over NOT NULL columns, that chunks follow; empty when the
 *                      table has neither (it is then copied in one piece)
 * @param rowsEstimated {@code information_schema.TABLES.TABLE_ROWS}
 * @param targetSchema  the schema the table is created and copied into on the target: {@code schema} unless the
 *                      replication filter rewrites it
 */
record TableDefinition(String schema, String name, String createSql, List<CopyColumn> columns, List<KeyColumn> key,
                       long rowsEstimated, String targetSchema) {
    TableDefinition {
        columns = List.copyOf(columns);
        key = List.copyOf(key);
    }

    /** This table copied into {@code targetSchema} on the target. */
    TableDefinition into(String targetSchema) {
        return new TableDefinition(schema, name, createSql, columns, key, rowsEstimated, targetSchema);
    }

    /** {@code `schema`.`name`}: the source table. */
    String quotedName() {
        return Identifiers.qualified(schema, name);
    }

    /** {@code `targetSchema`.`name`}: the table on the target. */
    String targetQuotedName() {
        return Identifiers.qualified(targetSchema, name);
    }

    /** {@code schema.name}, for messages. */
    String displayName() {
        return schema + "." + name;
    }

    /** {@code targetSchema.name}, for messages about the target table. */
    String targetDisplayName() {
        return targetSchema + "." + name;
    }

    /**
     * A column copied, and how its value (the bytes the source returned) is written back.
     *
     * @param name    its name
     * @param binding how the value is bound
     * @param charset the character set its bytes are in, for {@link Binding#TEXT}
     */
    record CopyColumn(String name, Binding binding, String charset) {
        /** The column for a {@code DATA_TYPE} and {@code CHARACTER_SET_NAME} of information_schema.COLUMNS. */
        static CopyColumn of(String name, String dataType, String charset) {
            return switch (dataType.toLowerCase(java.util.Locale.ROOT)) {
                case "char", "varchar", "tinytext", "text", "mediumtext", "longtext", "enum", "set" ->
                        new CopyColumn(name, Binding.TEXT, charset);
                case "json" -> new CopyColumn(name, Binding.TEXT, "utf8mb4"); // MySQL returns JSON as utf8mb4 text
                case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob", "bit", "geometry", "point",
                        "linestring", "polygon", "multipoint", "multilinestring", "multipolygon",
                        "geometrycollection", "geomcollection" -> new CopyColumn(name, Binding.BYTES, null);
                default -> new CopyColumn(name, Binding.NUMBER_OR_TIME, null);
            };
        }

        /** The placeholder in the INSERT's VALUES. */
        String placeholder() {
            // A binary string is taken as it is by a character column; named with its charset it is taken as text
            // (which JSON, ENUM and SET need) without conversion.
            return binding == Binding.TEXT ? "CONVERT(? USING " + charset + ")" : "?";
        }
    }

    /** How a copied value is written back. */
    enum Binding {
        /** Character data, ENUM, SET and JSON: the bytes, as text in the column's charset. */
        TEXT,
        /** Binary strings, BIT and spatial values: the bytes as they are. */
        BYTES,
        /**
         * Numbers, dates and times: MySQL's own text for them (ASCII), which the column reads back exactly; bound as
         * a string, since the driver may send bytes as a hexadecimal literal, which a numeric column reads as an
         * integer.
         */
        NUMBER_OR_TIME
    }

    /** Whether the table is copied in key-ordered chunks (else in one piece). */
    boolean chunked() {
        return !key.isEmpty();
    }
}
