package dev.binrelay.applier;

/**
 * A column of a target table, from information_schema.COLUMNS.
 *
 * @param name      the column name
 * @param dataType  DATA_TYPE, lower case (int, varchar, json, ...)
 * @param charset   CHARACTER_SET_NAME, or null for non-character columns
 * @param collation COLLATION_NAME, or null
 * @param generated whether the column is generated (VIRTUAL or STORED): never written
 * @param unsigned  whether the column is an unsigned number
 */
record TargetColumn(String name, String dataType, String charset, String collation, boolean generated,
                    boolean unsigned) {

    /** Whether values compare as text in the column's collation (so key lookups must convert bytes to it). */
    boolean textual() {
        return charset != null && !"binary".equals(charset);
    }
}
