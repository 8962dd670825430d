package dev.binrelay.applier;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;

/**
 * Binds binrelay's exact row values (see {@code RowChange}) to statement parameters without conversion loss:
 * bytes stay bytes (the target applies the column's charset), temporal literals and JSON text go as strings.
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
            statement.setBytes(index, bytes);
        } else if (value instanceof String text) {
            statement.setString(index, text);
        } else if (value instanceof BigDecimal decimal) {
            statement.setBigDecimal(index, decimal);
        } else if (value instanceof BigInteger big) {
            statement.setBigDecimal(index, new BigDecimal(big));
        } else if (value instanceof Double number) {
            statement.setDouble(index, number);
        } else if (value instanceof Float number) {
            statement.setFloat(index, number);
        } else if (value instanceof Integer number) {
            statement.setInt(index, number);
        } else {
            throw new IllegalArgumentException("column " + column.name() + ": no binding for a "
                    + value.getClass().getName());
        }
    }
}
