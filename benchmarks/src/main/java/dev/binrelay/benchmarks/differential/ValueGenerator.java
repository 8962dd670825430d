package dev.binrelay.benchmarks.differential;

import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * SQL literals for every {@link ColumnKind}, drawn from a {@link Random}. Text comes from a small confusable alphabet
 * ({@code 'a'}, {@code 'A'}, {@code 'á'}, {@code 'ss'}, {@code 'ß'}, {@code 'a '}, {@code 'æ'}, {@code 'ae'} ...)
 * so that case-, accent- and pad-insensitive collations find equal keys in different bytes. Every value fits
 * latin1 as well as utf8mb4.
 */
final class ValueGenerator {
    /** Pieces that collations fold together in one way or another. */
    static final List<String> CONFUSABLES = List.of("a", "A", "á", "Á", "à", "ss", "ß", "s", "S", "a ", "A  ", "æ",
            "ae", "AE", "ö", "o", "oe", "O", "");
    private static final String[] JSON_PIECES = {"1", "-7", "2.5", "1e300", "true", "false", "null", "\"a\"",
            "\"ß\"", "[]", "{}", "18446744073709551615", "-9223372036854775808", "0.000001"};

    private final Random random;

    ValueGenerator(Random random) {
        this.random = random;
    }

    /** A hot key: most draws fall in a few values, the rest spread over a wider range. */
    int hotKey() {
        return random.nextInt(100) < 80 ? 1 + random.nextInt(8) : 1 + random.nextInt(200);
    }

    /** A key no other statement draws: a row taken in a key swap depends on nothing but the value it takes. */
    int coldKey() {
        return 1_000 + random.nextInt(1_000_000);
    }

    /** A key text: one or two confusable pieces. */
    String confusable() {
        String text = CONFUSABLES.get(random.nextInt(CONFUSABLES.size()));
        if (random.nextInt(3) == 0) {
            text += CONFUSABLES.get(random.nextInt(CONFUSABLES.size()));
        }
        return text.length() > 6 ? text.substring(0, 6) : text;
    }

    /** A quoted text literal of a confusable key text. */
    String confusableLiteral() {
        return quote(confusable());
    }

    /** An integer in {@code [-range, range]}, for the functional key {@code ABS(f)}. */
    int smallSigned(int range) {
        return random.nextInt(2 * range + 1) - range;
    }

    /** A literal for a nullable column of {@code kind}; sometimes NULL. */
    String literal(ColumnKind kind) {
        if (random.nextInt(8) == 0) {
            return "NULL";
        }
        return switch (kind) {
            case TINYINT -> Integer.toString(random.nextInt(256) - 128);
            case SMALLINT_UNSIGNED -> Integer.toString(random.nextInt(65536));
            case MEDIUMINT -> Integer.toString(random.nextInt(1 << 24) - (1 << 23));
            case INT_UNSIGNED -> Long.toString(random.nextLong() >>> 32);
            case BIGINT -> pick(Long.toString(random.nextLong()), "-9223372036854775808", "9223372036854775807", "0");
            case BIGINT_UNSIGNED -> pick(Long.toUnsignedString(random.nextLong()), "18446744073709551615", "0");
            case DECIMAL -> (random.nextBoolean() ? "-" : "") + random.nextInt(1_000_000_000) + "." + digits(4);
            case FLOAT -> pick(Float.toString(random.nextFloat() * 1e6f - 5e5f), "-0e0", "3.4e38", "1.17549435e-38",
                    "0.1");
            case DOUBLE -> pick(Double.toString(random.nextGaussian() * 1e12), "-0e0", "1.7976931348623157e308",
                    "4.9e-324", "0.1");
            case DATE -> quote(String.format("%04d-%02d-%02d", 1000 + random.nextInt(9000), 1 + random.nextInt(12),
                    1 + random.nextInt(28)));
            case TIME -> quote(String.format("%s%03d:%02d:%02d.%03d", random.nextBoolean() ? "-" : "",
                    random.nextInt(839), random.nextInt(60), random.nextInt(60), random.nextInt(1000)));
            case DATETIME -> quote(String.format("%04d-%02d-%02d %02d:%02d:%02d.%s", 1000 + random.nextInt(9000),
                    1 + random.nextInt(12), 1 + random.nextInt(28), random.nextInt(24), random.nextInt(60),
                    random.nextInt(60), digits(6)));
            case TIMESTAMP -> quote(String.format("%04d-%02d-%02d %02d:%02d:%02d.%s", 1971 + random.nextInt(66),
                    1 + random.nextInt(12), 1 + random.nextInt(28), random.nextInt(24), random.nextInt(60),
                    random.nextInt(60), digits(6)));
            case YEAR -> random.nextInt(10) == 0 ? "0" : Integer.toString(1901 + random.nextInt(255));
            case CHAR -> quote(truncate(text(), 5));
            case VARCHAR -> quote(truncate(text(), 24));
            case TEXT -> quote(text().repeat(1 + random.nextInt(40)));
            case BLOB -> hex(bytes(random.nextInt(300)));
            case BINARY -> hex(bytes(random.nextInt(5)));
            case VARBINARY -> hex(bytes(random.nextInt(13)));
            case ENUM -> pick("'a'", "'b'", "'c'");
            case SET -> pick("''", "'x'", "'y,z'", "'x,y,z'", "'z,x'");
            case JSON -> json();
            case BIT -> Integer.toString(random.nextInt(1024));
        };
    }

    /** Text of confusable pieces, sometimes with trailing spaces. */
    String text() {
        StringBuilder text = new StringBuilder();
        int pieces = 1 + random.nextInt(4);
        for (int i = 0; i < pieces; i++) {
            text.append(CONFUSABLES.get(random.nextInt(CONFUSABLES.size())));
        }
        return text.toString();
    }

    private String json() {
        return switch (random.nextInt(4)) {
            case 0 -> quote("{\"k\": " + jsonPiece() + ", \"a\": [" + jsonPiece() + ", " + jsonPiece() + "], \"s\": "
                    + "\"" + text().replace("\"", "") + "\"}");
            case 1 -> quote("[" + jsonPiece() + ", {\"n\": " + jsonPiece() + "}]");
            case 2 -> "JSON_OBJECT('d', CAST('" + random.nextInt(1000) + ".50' AS DECIMAL(8,2)), 'u', CAST("
                    + Long.toUnsignedString(random.nextLong()) + " AS UNSIGNED), 't', CAST('2020-02-29 12:00:00.5' AS "
                    + "DATETIME(6)), 'dt', CAST('1999-12-31' AS DATE))";
            default -> "JSON_ARRAY(" + random.nextInt() + ", CAST(-" + random.nextInt(1000) + " AS SIGNED), "
                    + "CAST('12:30:00' AS TIME), " + Double.toString(random.nextDouble()) + ")";
        };
    }

    private String jsonPiece() {
        return JSON_PIECES[random.nextInt(JSON_PIECES.length)];
    }

    private String pick(String... values) {
        return values[random.nextInt(values.length)];
    }

    private String digits(int count) {
        StringBuilder digits = new StringBuilder();
        for (int i = 0; i < count; i++) {
            digits.append(random.nextInt(10));
        }
        return digits.toString();
    }

    private byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        if (length > 0 && random.nextBoolean()) {
            bytes[length - 1] = 0; // BINARY(n) pads with 0x00, which the binary log drops
        }
        return bytes;
    }

    private static String truncate(String text, int length) {
        return text.length() > length ? text.substring(0, length) : text;
    }

    /** A SQL string literal (the sessions run without NO_BACKSLASH_ESCAPES). */
    static String quote(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    private static String hex(byte[] bytes) {
        return "X'" + HexFormat.of().formatHex(bytes) + "'";
    }
}
