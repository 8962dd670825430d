package dev.binrelay.verify;

import dev.binrelay.schema.Identifiers;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;

/**
 * One column of a table as {@code information_schema.columns} describes it, and the SQL that hashes it, reads it as a
 * key value and compares it with a key value bound as a parameter.
 *
 * @param name      the column name
 * @param dataType  {@code DATA_TYPE}, lowercase ({@code int}, {@code varchar}, ...)
 * @param unsigned  whether {@code COLUMN_TYPE} says {@code unsigned}
 * @param precision {@code NUMERIC_PRECISION} (0 when not numeric)
 * @param scale     {@code NUMERIC_SCALE} (0 when not numeric)
 * @param charset   {@code CHARACTER_SET_NAME}, or null for non-text columns
 * @param collation {@code COLLATION_NAME}, or null for non-text columns
 */
record Column(String name, String dataType, boolean unsigned, int precision, int scale, String charset,
              String collation) {
    /**
     * Types hashed by their MD5 rather than their bytes: a row's concatenation could otherwise exceed
     * max_allowed_packet, and MySQL then returns NULL with a warning instead of failing, which would hide a difference.
     */
    private static final Set<String> LARGE_TYPES = Set.of("tinyblob", "blob", "mediumblob", "longblob", "tinytext",
            "text", "mediumtext", "longtext", "json", "geometry", "point", "linestring", "polygon", "multipoint",
            "multilinestring", "multipolygon", "geomcollection", "geometrycollection");
    private static final Set<String> TEXT_TYPES = Set.of("char", "varchar");
    private static final Set<String> BINARY_TYPES = Set.of("binary", "varbinary");
    private static final Set<String> INTEGER_TYPES = Set.of("tinyint", "smallint", "mediumint", "int", "bigint",
            "year");
    private static final Set<String> DISPLAYED_AS_HEX = Set.of("binary", "varbinary", "tinyblob", "blob",
            "mediumblob", "longblob", "bit", "geometry", "point", "linestring", "polygon", "multipoint",
            "multilinestring", "multipolygon", "geomcollection", "geometrycollection");
    /** Longest value shown in a report: enough to recognise a row, never a whole document. */
    private static final int DISPLAY_CHARS = 64;

    Column {
        dataType = dataType.toLowerCase(Locale.ROOT);
    }

    /** The column's name quoted for SQL. */
    String quoted() {
        return Identifiers.quote(name);
    }

    /**
     * The column as bytes for the row hash. Everything is cast to binary, so that text of different collations
     * concatenates without an "illegal mix of collations" error and compares byte for byte.
     */
    String hashed() {
        return LARGE_TYPES.contains(dataType) ? "MD5(" + quoted() + ")" : "CAST(" + quoted() + " AS BINARY)";
    }

    /**
     * Whether keyset pagination on this column is exact: its values read back as text and bound again compare in
     * the same order as the index sorts them. ENUM, SET and BIT keys do not (an ENUM sorts by its index, compares as
     * text), nor FLOAT, which MySQL prints with 6 significant digits, so the text of a key is not the key (DOUBLE
     * prints the shortest text that reads back exactly).
     */
    boolean chunkable() {
        return TEXT_TYPES.contains(dataType) || BINARY_TYPES.contains(dataType) || INTEGER_TYPES.contains(dataType)
                || Set.of("decimal", "double", "date", "datetime", "timestamp", "time").contains(dataType);
    }

    /**
     * The column in a key read: text and binary columns as they are, everything else as the server's own text (so
     * a TIMESTAMP or DATETIME comes back exactly as MySQL prints it, without the driver's time-zone conversion).
     */
    String keySelect() {
        return TEXT_TYPES.contains(dataType) || BINARY_TYPES.contains(dataType) ? quoted()
                : "CAST(" + quoted() + " AS CHAR)";
    }

    /**
     * A parameter compared with this column, converted to the column's own type, character set and collation: a
     * constant of the column's type keeps the comparison in index order and lets MySQL use a range scan of the
     * primary key (a plain string compared with an integer column would compare as doubles, a utf8mb4 string with a
     * latin1 column would convert the column and scan the whole table).
     */
    String keyParameter() {
        if (TEXT_TYPES.contains(dataType)) {
            return "CONVERT(? USING " + charset + ") COLLATE " + collation;
        }
        if (BINARY_TYPES.contains(dataType)) {
            return "?";
        }
        return switch (dataType) {
            case "tinyint", "smallint", "mediumint", "int", "bigint", "year" ->
                    "CAST(? AS " + (unsigned ? "UNSIGNED" : "SIGNED") + ")";
            case "decimal" -> "CAST(? AS DECIMAL(" + precision + "," + scale + "))";
            case "double" -> "CAST(? AS DOUBLE)";
            case "date" -> "CAST(? AS DATE)";
            case "datetime", "timestamp" -> "CAST(? AS DATETIME(6))";
            case "time" -> "CAST(? AS TIME(6))";
            default -> throw new IllegalStateException("column " + name + " of type " + dataType
                    + " is not a chunkable key");
        };
    }

    /** Reads a key value selected with {@link #keySelect()}: bytes for binary columns, text otherwise. */
    Object readKey(ResultSet row, int index) throws SQLException {
        return BINARY_TYPES.contains(dataType) ? row.getBytes(index) : row.getString(index);
    }

    /** Binds a value read by {@link #readKey} to a {@link #keyParameter()}. */
    void bindKey(PreparedStatement statement, int index, Object value) throws SQLException {
        if (value instanceof byte[] bytes) {
            statement.setBytes(index, bytes);
        } else {
            statement.setString(index, (String) value);
        }
    }

    /** The column for a report: text as the server prints it, binary data in hex (read with {@link #display}). */
    String displaySelect() {
        return DISPLAYED_AS_HEX.contains(dataType) ? "HEX(" + quoted() + ")" : "CAST(" + quoted() + " AS CHAR)";
    }

    /** A value selected with {@link #displaySelect()}, in full: {@code NULL}, text, or {@code 0x...} hex. */
    String display(ResultSet row, int index) throws SQLException {
        String text = row.getString(index);
        return text == null ? "NULL" : DISPLAYED_AS_HEX.contains(dataType) ? "0x" + text : text;
    }

    /** A key value read by {@link #readKey}, in full: text, or {@code 0x...} hex for binary values. */
    static String keyText(Object value) {
        return value instanceof byte[] bytes ? "0x" + HexFormat.of().withUpperCase().formatHex(bytes) : (String) value;
    }

    /** A value shortened for a report. */
    static String shortened(String text) {
        return text.length() <= DISPLAY_CHARS ? text : text.substring(0, DISPLAY_CHARS) + "...";
    }
}
