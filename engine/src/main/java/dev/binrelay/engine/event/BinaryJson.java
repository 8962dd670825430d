package dev.binrelay.engine.event;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A JSON value exactly as the binary log carries it: MySQL's binary JSON storage format ({@code json_binary.h}).
 * Kept binary rather than turned into text because text loses what MySQL's JSON types distinguish (DECIMAL from
 * DOUBLE, UNSIGNED from signed integers, DATE and TIME values from strings); the applier decides how to write it.
 *
 * @param bytes the binary form; empty for the JSON {@code null} MySQL stores in JSON NOT NULL columns added without
 *              a default
 */
public record BinaryJson(byte[] bytes) {

    // An array component: equality and hashing by content, not identity.
    @Override
    public boolean equals(Object other) {
        return other instanceof BinaryJson json && Arrays.equals(bytes, json.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "BinaryJson[" + HexFormat.of().formatHex(bytes) + "]";
    }
}
