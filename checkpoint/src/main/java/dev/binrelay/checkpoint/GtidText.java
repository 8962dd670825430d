package dev.binrelay.checkpoint;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The lexical pieces shared by the GTID and GTID-set parsers: UUIDs, transaction numbers and MySQL 8.4 tags.
 *
 * <p>Stateless and thread-safe.
 */
final class GtidText {
    // UUID.fromString is lenient ("1-2-3-4-5" parses), so the exact 8-4-4-4-12 hex shape is checked first.
    private static final Pattern UUID_SHAPE =
            Pattern.compile("\\p{XDigit}{8}-\\p{XDigit}{4}-\\p{XDigit}{4}-\\p{XDigit}{4}-\\p{XDigit}{12}");
    // MySQL 8.4 tags: an identifier that starts with a letter or an underscore (a number never does).
    private static final Pattern TAG = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");

    private GtidText() {
    }

    /** Parses a UUID in the canonical 36-character form, any case; {@code input} is quoted in the error. */
    static UUID parseUuid(String text, String input) {
        if (!UUID_SHAPE.matcher(text).matches()) {
            throw new IllegalArgumentException("invalid GTID text \"" + input + "\": \"" + text
                    + "\" is not a UUID (expected 8-4-4-4-12 hexadecimal digits)");
        }
        return UUID.fromString(text);
    }

    /** Parses a transaction number from 1 to {@link Gtid#MAX_TRANSACTION_ID}; {@code input} is quoted in the error. */
    static long parseTransactionId(String text, String input) {
        if (!DIGITS.matcher(text).matches()) {
            throw new IllegalArgumentException("invalid GTID text \"" + input + "\": \"" + text
                    + "\" is not a transaction id (expected a positive decimal number)");
        }
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            value = -1;
        }
        if (value < 1 || value > Gtid.MAX_TRANSACTION_ID) {
            throw new IllegalArgumentException("invalid GTID text \"" + input + "\": transaction id \"" + text
                    + "\" must be between 1 and " + Gtid.MAX_TRANSACTION_ID);
        }
        return value;
    }

    /** Whether a colon-separated part is a MySQL 8.4 GTID tag rather than a transaction number or range. */
    static boolean isTag(String part) {
        return TAG.matcher(part).matches();
    }

    /** The error for text using MySQL 8.4 tagged GTIDs. */
    static IllegalArgumentException taggedGtids(String input) {
        return new IllegalArgumentException("tagged GTIDs (MySQL 8.4) are not supported yet: " + input);
    }
}
