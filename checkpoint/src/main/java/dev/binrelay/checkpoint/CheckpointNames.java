package dev.binrelay.checkpoint;

import java.util.regex.Pattern;

/** The checks every checkpoint table applies to its schema and channel names, which it splices into SQL. */
final class CheckpointNames {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9_$]{1,64}");
    private static final String IDENTIFIER_RULE = "letters, digits, '_' or '$', 1 to 64 characters";

    private CheckpointNames() {
    }

    /** {@code schema}, if it is a plain identifier (config key {@code checkpoint.schema}). */
    static String schema(String schema) {
        return require(schema, "checkpoint.schema");
    }

    /** {@code channel}, if it is a plain identifier. */
    static String channel(String channel) {
        return require(channel, "checkpoint channel name");
    }

    private static String require(String value, String what) {
        if (value == null || !IDENTIFIER.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " must be a plain identifier (" + IDENTIFIER_RULE + "), got "
                    + (value == null ? "null" : "\"" + value + "\""));
        }
        return value;
    }
}
