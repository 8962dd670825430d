package dev.binrelay.applier;

import com.github.shyiko.mysql.binlog.event.deserialization.AbstractRowsEventDataDeserializer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Writes a JSON value given in MySQL's binary storage format ({@code json_binary.h}) so that the target stores the
 * same value with the same JSON types.
 *
 * <p>JSON text is the cheap way, and exact for most documents: {@link #textIsExact} says whether MySQL's JSON parser
 * turns {@link #text} back into the same value. It is not when the value holds a DECIMAL (text makes it a DOUBLE),
 * a DATE, TIME, DATETIME, TIMESTAMP or binary value (text makes it a string), an integer whose signedness MySQL's
 * parser would choose differently (it makes 0..4294967295 signed, larger ones unsigned), or a double that its
 * parser would round differently (it is exact only for at most 15-16 significant digits and a power of ten up to
 * 22). Those values are written as an SQL expression ({@link #expression}) that builds each part with its own type:
 * {@code JSON_OBJECT}, {@code JSON_ARRAY}, {@code CAST(... AS UNSIGNED)}, a {@code JSON_TABLE} column of type
 * {@code DECIMAL(p,s)} and so on.
 *
 * <p>Stateless and thread-safe.
 */
final class JsonSql {
    private static final int SMALL_OBJECT = 0x0;
    private static final int LARGE_OBJECT = 0x1;
    private static final int SMALL_ARRAY = 0x2;
    private static final int LARGE_ARRAY = 0x3;
    private static final int LITERAL = 0x4;
    private static final int INT16 = 0x5;
    private static final int UINT16 = 0x6;
    private static final int INT32 = 0x7;
    private static final int UINT32 = 0x8;
    private static final int INT64 = 0x9;
    private static final int UINT64 = 0xA;
    private static final int DOUBLE = 0xB;
    private static final int STRING = 0xC;
    private static final int OPAQUE = 0xF;
    private static final int LITERAL_NULL = 0x0;
    private static final int LITERAL_TRUE = 0x1;
    private static final int LITERAL_FALSE = 0x2;

    /** MySQL field types ({@code enum_field_types}) of the opaque values it keeps in JSON. */
    private static final int FIELD_TIMESTAMP = 7;
    private static final int FIELD_DATE = 10;
    private static final int FIELD_TIME = 11;
    private static final int FIELD_DATETIME = 12;
    private static final int FIELD_VARCHAR = 15;
    private static final int FIELD_NEWDECIMAL = 246;

    /** Integers MySQL's JSON parser makes signed: negative ones and 0..2^32-1 (it calls larger ones unsigned). */
    private static final long LARGEST_PARSED_AS_SIGNED = 0xFFFFFFFFL;
    /** A double parsed as significand times or over a power of ten is exact while both factors are exact doubles. */
    private static final BigInteger EXACT_SIGNIFICAND = BigInteger.ONE.shiftLeft(53);
    private static final int EXACT_POWER_OF_TEN = 22;
    private static final HexFormat HEX = HexFormat.of();

    private JsonSql() {
    }

    /** Whether MySQL, parsing {@link #text} of this value, stores exactly this value with exactly these types. */
    static boolean textIsExact(byte[] binary) {
        if (binary.length == 0) {
            return true;
        }
        return new Reader(binary, null, Mode.CHECK).value(binary[0] & 0xFF, 1);
    }

    /** The value as JSON text. */
    static String text(byte[] binary) {
        if (binary.length == 0) {
            return "null"; // what MySQL stores for JSON NOT NULL columns added without a default
        }
        StringBuilder out = new StringBuilder(binary.length + 16);
        new Reader(binary, out, Mode.TEXT).value(binary[0] & 0xFF, 1);
        return out.toString();
    }

    /**
     * The value as an SQL expression of type JSON that rebuilds it exactly.
     *
     * @throws IllegalArgumentException for a value MySQL can hold in JSON but SQL cannot build: binary data of a
     *                                  field type other than VARBINARY, such as a BLOB, BINARY or BIT column's value
     */
    static String expression(byte[] binary) {
        if (binary.length == 0) {
            return "CAST('null' AS JSON)";
        }
        int type = binary[0] & 0xFF;
        StringBuilder out = new StringBuilder(binary.length * 3 + 32);
        boolean container = type <= LARGE_ARRAY;
        if (!container) {
            out.append("JSON_EXTRACT(JSON_ARRAY("); // a scalar becomes JSON-typed as the one element of an array
        }
        new Reader(binary, out, Mode.EXPRESSION).value(type, 1);
        if (!container) {
            out.append("), '$[0]')");
        }
        return out.toString();
    }

    private enum Mode { CHECK, TEXT, EXPRESSION }

    /** One walk over a binary value; in CHECK mode it writes nothing and answers whether text is exact. */
    private static final class Reader {
        private final byte[] data;
        private final StringBuilder out;
        private final Mode mode;

        Reader(byte[] data, StringBuilder out, Mode mode) {
            this.data = data;
            this.out = out;
            this.mode = mode;
        }

        /** Reads the value of {@code type} stored at {@code offset}; false if text would not reproduce it. */
        boolean value(int type, int offset) {
            return switch (type) {
                case SMALL_OBJECT -> container(offset, true, false);
                case LARGE_OBJECT -> container(offset, true, true);
                case SMALL_ARRAY -> container(offset, false, false);
                case LARGE_ARRAY -> container(offset, false, true);
                case LITERAL -> literal(data[offset] & 0xFF);
                case INT16 -> signed((short) uint(offset, 2));
                case UINT16 -> unsigned(uint(offset, 2));
                case INT32 -> signed((int) uint(offset, 4));
                case UINT32 -> unsigned(uint(offset, 4));
                case INT64 -> signed(uint(offset, 8));
                case UINT64 -> unsigned(uint(offset, 8));
                case DOUBLE -> number(Double.longBitsToDouble(uint(offset, 8)));
                case STRING -> string(offset);
                case OPAQUE -> opaque(offset);
                default -> throw new IllegalArgumentException("not a MySQL binary JSON value: type " + type
                        + " at byte " + offset);
            };
        }

        private boolean container(int start, boolean object, boolean large) {
            int size = large ? 4 : 2;
            int count = (int) uint(start, size);
            int keyEntries = start + 2 * size;
            int valueEntries = object ? keyEntries + count * (size + 2) : keyEntries;
            boolean exact = true;
            begin(object ? "{" : "[", object ? "JSON_OBJECT(" : "JSON_ARRAY(");
            for (int i = 0; i < count; i++) {
                if (i > 0) {
                    write(", ");
                }
                if (object) {
                    int keyEntry = keyEntries + i * (size + 2);
                    int keyOffset = start + (int) uint(keyEntry, size);
                    int keyLength = (int) uint(keyEntry + size, 2);
                    utf8(keyOffset, keyLength);
                    write(mode == Mode.TEXT ? ": " : ", ");
                }
                int entry = valueEntries + i * (size + 1);
                int type = data[entry] & 0xFF;
                exact &= inlined(type, large) ? value(type, entry + 1)
                        : value(type, start + (int) uint(entry + 1, size));
                if (!exact && mode == Mode.CHECK) {
                    return false;
                }
            }
            write(mode == Mode.TEXT ? (object ? "}" : "]") : ")");
            return exact;
        }

        private static boolean inlined(int type, boolean large) {
            return type == LITERAL || type == INT16 || type == UINT16 || (large && (type == INT32 || type == UINT32));
        }

        private boolean literal(int literal) {
            String text = switch (literal) {
                case LITERAL_NULL -> "null";
                case LITERAL_TRUE -> "true";
                case LITERAL_FALSE -> "false";
                default -> throw new IllegalArgumentException("not a JSON literal: " + literal);
            };
            // In SQL, TRUE is the integer 1: only a cast of the JSON text makes a JSON true.
            begin(text, "CAST('" + text + "' AS JSON)");
            return true;
        }

        private boolean signed(long value) {
            begin(Long.toString(value), "CAST(" + value + " AS SIGNED)");
            return value <= LARGEST_PARSED_AS_SIGNED;
        }

        private boolean unsigned(long value) {
            String text = Long.toUnsignedString(value);
            begin(text, "CAST(" + text + " AS UNSIGNED)");
            return value < 0 || value > LARGEST_PARSED_AS_SIGNED; // negative here means above 2^63
        }

        private boolean number(double value) {
            String text = Double.toString(value); // always with a '.' or an exponent: JSON text reads it as a double
            // An SQL number literal is a DOUBLE only with an exponent (1.5 is a DECIMAL).
            begin(text, text.indexOf('E') >= 0 ? text : text + "E0");
            BigDecimal decimal = new BigDecimal(text);
            return decimal.unscaledValue().abs().compareTo(EXACT_SIGNIFICAND) < 0
                    && Math.abs(decimal.scale()) <= EXACT_POWER_OF_TEN;
        }

        private boolean string(int offset) {
            long[] length = variableLength(offset);
            utf8((int) length[1], (int) length[0]);
            return true;
        }

        private boolean opaque(int offset) {
            if (mode == Mode.CHECK) {
                return false;
            }
            int fieldType = data[offset] & 0xFF;
            long[] length = variableLength(offset + 1);
            int start = (int) length[1];
            byte[] value = Arrays.copyOfRange(data, start, start + (int) length[0]);
            switch (fieldType) {
                case FIELD_NEWDECIMAL -> {
                    int precision = value[0] & 0xFF;
                    int scale = value[1] & 0xFF;
                    BigDecimal decimal = AbstractRowsEventDataDeserializer.asBigDecimal(precision, scale,
                            Arrays.copyOfRange(value, 2, value.length));
                    begin(decimal.toPlainString(), Decimals.expression(decimal, precision, scale));
                }
                case FIELD_DATE -> temporal(PackedTime.date(littleEndian(value)), "DATE");
                case FIELD_TIME -> temporal(PackedTime.time(littleEndian(value)), "TIME(6)");
                case FIELD_DATETIME -> temporal(PackedTime.datetime(littleEndian(value)), "DATETIME(6)");
                case FIELD_TIMESTAMP -> {
                    // No SQL cast yields a TIMESTAMP; a JSON_TABLE column of that type does.
                    String literal = PackedTime.datetime(littleEndian(value));
                    begin('"' + literal + '"', "(SELECT JSON_EXTRACT(JSON_ARRAY(t), '$[0]') FROM JSON_TABLE("
                            + "'[\"" + literal + "\"]', '$[*]' COLUMNS (t TIMESTAMP(6) PATH '$')) AS ts)");
                }
                case FIELD_VARCHAR -> begin('"' + "base64:type" + fieldType + ":"
                        + Base64.getEncoder().encodeToString(value) + '"', "_binary X'" + HEX.formatHex(value) + "'");
                default -> throw new IllegalArgumentException("the JSON value holds binary data of MySQL field type "
                        + fieldType + ", which no SQL expression builds; binrelay cannot write it exactly");
            }
            return false;
        }

        private void temporal(String literal, String sqlType) {
            begin('"' + literal + '"', "CAST('" + literal + "' AS " + sqlType + ")");
        }

        /** Writes UTF-8 bytes as a JSON string or as a utf8mb4 SQL string. */
        private void utf8(int offset, int length) {
            if (mode == Mode.CHECK) {
                return;
            }
            if (mode == Mode.EXPRESSION) {
                out.append(length == 0 ? "_utf8mb4''" : "_utf8mb4 X'" + HEX.formatHex(data, offset, offset + length)
                        + "'");
                return;
            }
            String text = new String(data, offset, length, StandardCharsets.UTF_8);
            out.append('"');
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    case '\b' -> out.append("\\b");
                    case '\f' -> out.append("\\f");
                    default -> {
                        if (c < 0x20) {
                            out.append(String.format("\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            out.append('"');
        }

        private void begin(String text, String expression) {
            if (mode == Mode.TEXT) {
                out.append(text);
            } else if (mode == Mode.EXPRESSION) {
                out.append(expression);
            }
        }

        private void write(String text) {
            if (mode != Mode.CHECK) {
                out.append(text);
            }
        }

        /** A length of 7 bits per byte, low bits first: {length, offset of the first byte after it}. */
        private long[] variableLength(int offset) {
            long length = 0;
            for (int i = 0; i < 5; i++) {
                int b = data[offset + i] & 0xFF;
                length |= (long) (b & 0x7F) << (7 * i);
                if ((b & 0x80) == 0) {
                    return new long[] {length, offset + i + 1};
                }
            }
            throw new IllegalArgumentException("not a MySQL binary JSON length at byte " + offset);
        }

        private long uint(int offset, int bytes) {
            long value = 0;
            for (int i = bytes - 1; i >= 0; i--) {
                value = (value << 8) | (data[offset + i] & 0xFF);
            }
            return value;
        }

        private static long littleEndian(byte[] value) {
            long result = 0;
            for (int i = Math.min(8, value.length) - 1; i >= 0; i--) {
                result = (result << 8) | (value[i] & 0xFF);
            }
            return result;
        }
    }

    /**
     * SQL for a DECIMAL that JSON holds with MySQL's internal precision: the digits before the point it keeps
     * ({@code intg}), which decide the stored size. Each way of making a DECIMAL sets them its own way: a column or
     * JSON_TABLE column of DECIMAL(p,s) keeps p-s less leading all-zero groups of digits (groups of nine, the
     * first one p-s mod 9 long); a CAST rounds them up to a multiple of nine; a literal keeps its own.
     */
    private static final class Decimals {
        private static final int DIGITS_PER_GROUP = 9;

        private Decimals() {
        }

        static String expression(BigDecimal value, int precision, int scale) {
            int kept = precision - scale;
            int digits = value.abs().compareTo(BigDecimal.ONE) < 0 ? 0
                    : value.abs().setScale(0, RoundingMode.DOWN).toPlainString().length();
            String text = value.setScale(scale, RoundingMode.UNNECESSARY).toPlainString();
            int firstGroup = kept % DIGITS_PER_GROUP == 0 ? DIGITS_PER_GROUP : kept % DIGITS_PER_GROUP;
            if (kept == 1 && digits == 0 && scale > 0) {
                return text; // "0.5": the literal keeps its one zero digit
            }
            if (kept > 0 && digits <= kept - firstGroup && kept % DIGITS_PER_GROUP == 0
                    && kept == roundUpToGroup(Math.max(digits, 1))) {
                return "CAST(" + text + " AS DECIMAL(65," + scale + "))";
            }
            // Exact when no leading group is all zeros; otherwise no SQL keeps that precision, and this keeps the
            // value, scale and type (only JSON_STORAGE_SIZE tells the difference).
            return "(SELECT d FROM JSON_TABLE('[\"" + text + "\"]', '$[*]' COLUMNS (d DECIMAL(" + Math.max(precision, 1)
                    + "," + scale + ") PATH '$')) AS dec_value)";
        }

        private static int roundUpToGroup(int digits) {
            return (digits + DIGITS_PER_GROUP - 1) / DIGITS_PER_GROUP * DIGITS_PER_GROUP;
        }
    }

    /** MySQL's packed temporal integers ({@code my_time.cc}): ymd and hms bit fields above 24 bits of microseconds. */
    private static final class PackedTime {
        private PackedTime() {
        }

        static String date(long packed) {
            return datetime(packed).substring(0, 10);
        }

        static String datetime(long packed) {
            long magnitude = Math.abs(packed);
            int micros = (int) (magnitude & 0xFFFFFF);
            long ymdhms = magnitude >> 24;
            long ymd = ymdhms >> 17;
            long hms = ymdhms & 0x1FFFF;
            long yearMonth = ymd >> 5;
            return String.format("%04d-%02d-%02d %02d:%02d:%02d.%06d", yearMonth / 13, yearMonth % 13, ymd & 31,
                    hms >> 12, (hms >> 6) & 63, hms & 63, micros);
        }

        static String time(long packed) {
            long magnitude = Math.abs(packed);
            int micros = (int) (magnitude & 0xFFFFFF);
            long hms = magnitude >> 24;
            return String.format("%s%02d:%02d:%02d.%06d", packed < 0 ? "-" : "", (hms >> 12) & 0x3FF,
                    (hms >> 6) & 63, hms & 63, micros);
        }
    }
}
