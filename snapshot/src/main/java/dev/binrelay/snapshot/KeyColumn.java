package dev.binrelay.snapshot;

import java.util.Locale;

/**
 * A column of the key a table is copied in order of, and how a value read from it (bytes, in its own charset) is
 * compared with it again in the next chunk's {@code WHERE}.
 *
 * @param name      the column name
 * @param kind      how its values are bound
 * @param charset   its character set (textual columns), else null
 * @param collation its collation (textual columns), else null
 */
record KeyColumn(String name, Kind kind, String charset, String collation) {

    /** How a key value is written back into SQL so that it compares as the column orders. */
    enum Kind {
        /** Integers and DECIMAL: bound as an exact number (a string would compare as a double). */
        NUMBER,
        /** Character strings: their bytes converted to the column's charset and collation, so the order matches. */
        TEXT,
        /** Binary strings: bytes compared as bytes. */
        BINARY,
        /** Dates and times: MySQL's own literal, which the column converts (TIMESTAMP in the session's UTC). */
        TEMPORAL;

        /** The kind for a column's {@code DATA_TYPE}, or null when binrelay does not chunk by such a column. */
        static Kind of(String dataType) {
            return switch (dataType.toLowerCase(Locale.ROOT)) {
                case "tinyint", "smallint", "mediumint", "int", "bigint", "decimal" -> NUMBER;
                case "char", "varchar", "tinytext", "text", "mediumtext", "longtext" -> TEXT;
                case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob" -> BINARY;
                case "date", "datetime", "timestamp", "time", "year" -> TEMPORAL;
                // FLOAT, ENUM, SET, BIT, JSON, spatial: orders and literals that do not round-trip simply.
                default -> null;
            };
        }
    }

    /** The placeholder for a value of this column in a comparison. */
    String placeholder() {
        return kind == Kind.TEXT ? "CONVERT(? USING " + charset + ") COLLATE " + collation : "?";
    }
}
