package dev.binrelay.schema;

import java.util.Locale;

/**
 * One column of a table, as {@code information_schema.COLUMNS} describes it.
 *
 * @param name      {@code COLUMN_NAME}
 * @param dataType  {@code DATA_TYPE}, lower case ({@code int}, {@code varchar}, {@code json}, ...)
 * @param columnType {@code COLUMN_TYPE} as the server prints it ({@code int unsigned}, {@code varchar(40)}, ...)
 * @param nullable  whether {@code IS_NULLABLE} is {@code YES}
 * @param charset   {@code CHARACTER_SET_NAME}, or null for columns that are not character data
 * @param collation {@code COLLATION_NAME}, or null
 * @param maxBytes  {@code CHARACTER_OCTET_LENGTH}, the most bytes a string column holds; 0 for other columns
 * @param precision {@code NUMERIC_PRECISION}; 0 when not numeric
 * @param scale     {@code NUMERIC_SCALE}; 0 when not numeric
 * @param columnKey {@code COLUMN_KEY}: {@code PRI}, {@code UNI}, {@code MUL} or empty
 * @param extra     {@code EXTRA} ({@code auto_increment}, {@code VIRTUAL GENERATED}, {@code DEFAULT_GENERATED},
 *                  {@code INVISIBLE}, ...), empty when there is nothing
 * @param generationExpression {@code GENERATION_EXPRESSION}: what the server computes the column from; empty when it
 *                  is not generated (MySQL says '', MariaDB NULL)
 */
public record ColumnShape(String name, String dataType, String columnType, boolean nullable, String charset,
                          String collation, long maxBytes, int precision, int scale, String columnKey, String extra,
                          String generationExpression) {
    public ColumnShape {
        dataType = dataType.toLowerCase(Locale.ROOT);
        columnKey = columnKey == null ? "" : columnKey;
        extra = extra == null ? "" : extra;
        generationExpression = generationExpression == null ? "" : generationExpression;
    }

    /**
     * Whether the server computes the column (VIRTUAL or STORED): it is never written. Either mark says so: the
     * expression, or EXTRA's {@code VIRTUAL GENERATED} / {@code STORED GENERATED} (MySQL gives both for every such
     * column; MariaDB words a PERSISTENT column's EXTRA differently, and its expression still says it). Not
     * {@code DEFAULT_GENERATED}, MySQL's mark of an expression default, which is an ordinary column.
     */
    public boolean generated() {
        String upper = extra.toUpperCase(Locale.ROOT);
        return !generationExpression.isEmpty() || upper.contains("VIRTUAL GENERATED")
                || upper.contains("STORED GENERATED");
    }

    /** Whether {@code COLUMN_TYPE} says {@code unsigned}. */
    public boolean unsigned() {
        return columnType.toLowerCase(Locale.ROOT).contains("unsigned");
    }
}
