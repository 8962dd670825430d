package dev.binrelay.verify;

/** SQL text helpers. */
final class Sql {
    private Sql() {
    }

    /** An identifier quoted with backquotes, inner backquotes doubled. */
    static String quote(String identifier) {
        return '`' + identifier.replace("`", "``") + '`';
    }

    /** {@code `schema`.`table`}. */
    static String qualified(String schema, String table) {
        return quote(schema) + "." + quote(table);
    }
}
