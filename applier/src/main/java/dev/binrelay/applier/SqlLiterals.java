package dev.binrelay.applier;

import dev.binrelay.engine.event.BinaryJson;
import dev.binrelay.engine.event.RowChange;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes binrelay's exact row values (see {@code RowChange}) into statement text as SQL literals, without conversion
 * loss and without depending on the session: bytes as a hexadecimal literal ({@code X'..'}, a binary string: the
 * target applies the column's charset, as Connector/J's own hex form of a bound byte array on a UTF-8 connection),
 * text as a hexadecimal literal with the {@code _utf8mb4} introducer (no escaping, so neither
 * {@code NO_BACKSLASH_ESCAPES} nor {@code character_set_connection} changes what arrives), numbers in their exact
 * decimal form, temporal literals as strings. Only values whose text MySQL reads back exactly come here; JSON that
 * text cannot carry is an expression in the statement itself ({@link TablePlan}).
 *
 * <p>The statement text is the one place values are formatted: binrelay writes them itself because it knows each
 * column, where the driver formatting bound parameters cost most of a worker's CPU.
 */
final class SqlLiterals {
    private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    /** Room a value takes in the text beyond its hex digits: quotes and an introducer. */
    private static final int FRAME = 12;

    private SqlLiterals() {
    }

    /** Appends {@code value}, to be written to or compared with {@code column}, as a literal. */
    static void append(StringBuilder sql, Object value, TargetColumn column) {
        if (value == null) {
            sql.append("NULL");
        } else if (value instanceof Long number) {
            if (number < 0 && column.unsigned() && column.dataType().equals("bigint")) {
                // A source that logs no signedness: the target column knows the value is unsigned.
                sql.append(BigInteger.valueOf(number).add(TWO_TO_64));
            } else {
                sql.append(number.longValue());
            }
        } else if (value instanceof byte[] bytes) {
            // Padded as stored: a WHERE clause compares BINARY values byte for byte, padding included.
            int padding = column.fixedBinary() && bytes.length < column.maxBytes()
                    ? (int) column.maxBytes() - bytes.length : 0;
            hex(sql, bytes, padding);
        } else if (value instanceof String text) {
            string(sql, text);
        } else if (value instanceof BigDecimal decimal) {
            sql.append(decimal.toPlainString());
        } else if (value instanceof BigInteger big) {
            sql.append(big);
        } else if (value instanceof Double number) {
            approximate(sql, number, column);
        } else if (value instanceof Float number) {
            // The float's exact double value: stored as a FLOAT it is the same float, and a WHERE clause compares
            // the column (widened to double) with exactly it. The float's own shortest text would not match.
            approximate(sql, number.doubleValue(), column);
        } else if (value instanceof Integer number) {
            sql.append(number.intValue());
        } else if (value instanceof BinaryJson json) {
            string(sql, JsonSql.text(json.bytes()));
        } else {
            throw new IllegalArgumentException("column " + column.name() + ": no literal for a "
                    + value.getClass().getName());
        }
    }

    /**
     * Appends {@code statement}'s text with the row's values in place of its placeholders: {@code pieces} is
     * {@link TablePlan.RowStatement#pieces()} or {@link TablePlan.RowStatement#tuplePieces()}.
     */
    static void appendRow(StringBuilder sql, String[] pieces, RowChange row, TablePlan.RowStatement statement) {
        int piece = 0;
        sql.append(pieces[piece++]);
        int[] values = statement.values();
        for (int i = 0; i < values.length; i++) {
            append(sql, row.after()[values[i]], statement.valueColumns().get(i));
            sql.append(pieces[piece++]);
        }
        int[] where = statement.where();
        for (int i = 0; i < where.length; i++) {
            append(sql, row.before()[where[i]], statement.whereColumns().get(i));
            sql.append(pieces[piece++]);
        }
    }

    /** The text of {@code statement} for one row, its values in it. */
    static String rowText(RowChange row, TablePlan.RowStatement statement) {
        StringBuilder sql = new StringBuilder(statement.sql().length() + (int) Math.min(bytes(row, statement),
                1 << 20));
        appendRow(sql, statement.pieces(), row, statement);
        return sql.toString();
    }

    /** At most how many characters the row's values take in the statement text. */
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
            return 2L * binary.length + FRAME;
        }
        if (value instanceof String text) {
            return 6L * text.length() + FRAME; // up to three UTF-8 bytes per char, two hex digits per byte
        }
        if (value instanceof BinaryJson json) {
            return 6L * json.bytes().length + FRAME; // its text: at most about three times the binary form
        }
        return 24;
    }

    private static void hex(StringBuilder sql, byte[] bytes, int padding) {
        char[] digits = new char[2 * (bytes.length + padding)]; // one append: per-char appends cost twice as much
        int at = 0;
        for (byte b : bytes) {
            digits[at++] = HEX[(b >> 4) & 0xF];
            digits[at++] = HEX[b & 0xF];
        }
        Arrays.fill(digits, at, digits.length, '0');
        sql.append("X'").append(digits).append('\'');
    }

    /**
     * A string: as it is when it holds only characters that mean the same in every charset and sql_mode (the
     * temporal literals), otherwise its UTF-8 bytes in hex with the {@code _utf8mb4} introducer.
     */
    private static void string(StringBuilder sql, String text) {
        if (plain(text)) {
            sql.append('\'').append(text).append('\'');
            return;
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        sql.append("_utf8mb4 ");
        hex(sql, bytes, 0);
    }

    private static boolean plain(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean plain = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == ' '
                    || c == '-' || c == ':' || c == '.' || c == '+';
            if (!plain) {
                return false;
            }
        }
        return true;
    }

    /**
     * A double as a floating-point literal (with an exponent, so MySQL reads it as a DOUBLE, not as an exact
     * DECIMAL): Java's shortest text that reads back as the same double.
     */
    private static void approximate(StringBuilder sql, double number, TargetColumn column) {
        if (Double.isNaN(number) || Double.isInfinite(number)) {
            // MySQL stores neither; a binary log that holds one is damaged.
            throw new IllegalArgumentException("column " + column.name() + ": no literal for the value " + number);
        }
        if (number == 0 && Double.doubleToRawLongBits(number) != 0) {
            // The literal -0.0E0 is read as zero without the sign; the string '-0' converts to the double -0.0.
            sql.append("'-0'");
            return;
        }
        String text = Double.toString(number);
        sql.append(text);
        if (text.indexOf('E') < 0) {
            sql.append("E0");
        }
    }
}
