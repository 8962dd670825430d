package dev.binrelay.applier;

import dev.binrelay.engine.event.BinaryJson;
import dev.binrelay.engine.event.RowChange;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Arrays;

/**
 * Binds binrelay's exact row values (see {@code RowChange}) to statement parameters without conversion loss:
 * bytes stay bytes (the target applies the column's charset), temporal literals go as strings, JSON as text (only
 * values whose text MySQL reads back exactly come here; {@link TablePlan} writes the others as SQL).
 */
final class ValueBinder {
    private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);

    private ValueBinder() {
    }

    static void bind(PreparedStatement statement, int index, Object value, TargetColumn column) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.NULL);
        } else if (value instanceof Long number) {
            if (number < 0 && column.unsigned() && column.dataType().equals("bigint")) {
                // A source that logs no signedness: the target column knows the value is unsigned.
                statement.setBigDecimal(index, new BigDecimal(BigInteger.valueOf(number).add(TWO_TO_64)));
            } else {
                statement.setLong(index, number);
            }
        } else if (value instanceof byte[] bytes) {
            if (column.fixedBinary() && bytes.length < column.maxBytes()) {
                // Padded as stored: a WHERE clause compares BINARY values byte for byte, padding included.
                statement.setBytes(index, Arrays.copyOf(bytes, (int) column.maxBytes()));
            } else {
                statement.setBytes(index, bytes);
            }
        } else if (value instanceof String text) {
            statement.setString(index, text);
        } else if (value instanceof BigDecimal decimal) {
            statement.setBigDecimal(index, decimal);
        } else if (value instanceof BigInteger big) {
            statement.setBigDecimal(index, new BigDecimal(big));
        } else if (value instanceof Double number) {
            bindDouble(statement, index, number);
        } else if (value instanceof Float number) {
            // The float's exact double value: stored as a FLOAT it is the same float, and a WHERE clause compares
            // the column (widened to double) with exactly it. The float's own shortest text would not match.
            bindDouble(statement, index, number.doubleValue());
        } else if (value instanceof Integer number) {
            statement.setInt(index, number);
        } else if (value instanceof BinaryJson json) {
            statement.setString(index, JsonSql.text(json.bytes()));
        } else {
            throw new IllegalArgumentException("column " + column.name() + ": no binding for a "
                    + value.getClass().getName());
        }
    }

    /** Binds the row's values to {@code statement}'s parameters, from the first. */
    static void bindRow(PreparedStatement prepared, RowChange row, TablePlan.RowStatement statement)
            throws SQLException {
        bindRow(prepared, 1, row, statement);
    }

    /**
     * Binds the row's values to {@code statement}'s parameters, starting at {@code parameter} (one statement of
     * several in one text), and returns the number of the next parameter.
     */
    static int bindRow(PreparedStatement prepared, int parameter, RowChange row, TablePlan.RowStatement statement)
            throws SQLException {
        for (int i = 0; i < statement.values().length; i++) {
            bind(prepared, parameter++, row.after()[statement.values()[i]], statement.valueColumns().get(i));
        }
        for (int i = 0; i < statement.where().length; i++) {
            bind(prepared, parameter++, row.before()[statement.where()[i]], statement.whereColumns().get(i));
        }
        return parameter;
    }

    /**
     * At most how many bytes the row's values take in the statement text: escaping may double binary and text
     * values, and a character takes up to three UTF-8 bytes.
     */
    static long bytes(RowChange row, TablePlan.RowStatement statement) {
        long bytes = 0;
        for (int column : statement.values()) {
            bytes += bytes(row.after()[column]);
        }
        for (int column : statement.where()) {
            bytes += bytes(row.before()[column]);
        }
        return bytes;
    }

    private static long bytes(Object value) {
        if (value instanceof byte[] binary) {
            return 2L * binary.length + 3;
        }
        if (value instanceof String text) {
            return 6L * text.length() + 3;
        }
        if (value instanceof BinaryJson json) {
            return 2L * json.bytes().length + 3;
        }
        return 24;
    }

    private static void bindDouble(PreparedStatement statement, int index, double number) throws SQLException {
        if (number == 0 && Double.doubleToRawLongBits(number) != 0) {
            // The driver would write the literal -0.0, which MySQL reads as DECIMAL zero, without the sign; the
            // string '-0' converts to the double -0.0.
            statement.setString(index, "-0");
        } else {
            statement.setDouble(index, number);
        }
    }
}
