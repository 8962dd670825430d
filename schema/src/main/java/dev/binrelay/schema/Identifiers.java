package dev.binrelay.schema;

/** Schema, table and column names in SQL text. */
public final class Identifiers {
    private Identifiers() {
    }

    /** {@code identifier} in backquotes, inner backquotes doubled: {@code a`b} is {@code `a``b`}. */
    public static String quote(String identifier) {
        return '`' + identifier.replace("`", "``") + '`';
    }

    /** {@code `schema`.`table`}. */
    public static String qualified(String schema, String table) {
        return quote(schema) + "." + quote(table);
    }
}
