package dev.binrelay.snapshot;

import java.util.regex.Pattern;

/** Small SQL text helpers (identifiers are quoted by {@link dev.binrelay.schema.Identifiers}). */
final class Sql {
    /** The counter SHOW CREATE TABLE prints, which moves with every insert and says nothing about the shape. */
    private static final Pattern AUTO_INCREMENT = Pattern.compile(" AUTO_INCREMENT=\\d+");

    private Sql() {
    }

    static String literal(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    /** {@code SHOW CREATE TABLE} text without the AUTO_INCREMENT counter, to compare a table's shape over time. */
    static String withoutAutoIncrement(String createSql) {
        return AUTO_INCREMENT.matcher(createSql).replaceFirst("");
    }
}
