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
 * @param nullable  whether the column accepts NULL
 * @param maxBytes  CHARACTER_OCTET_LENGTH, the most bytes a string column holds; 0 for other columns
 */
record TargetColumn(String name, String dataType, String charset, String collation, boolean generated,
                    boolean unsigned, boolean nullable, long maxBytes) {

    /**
     * Whether values compare as text in the column's collation (so key lookups must convert bytes to it). Not
     * ENUM and SET: they have a charset, but binrelay writes them as their index and bit set, which compare as
     * numbers.
     */
    boolean textual() {
        return charset != null && !"binary".equals(charset) && !"enum".equals(dataType) && !"set".equals(dataType);
    }

    /** BINARY(n): MySQL pads its values with 0x00 and logs them without the padding. */
    boolean fixedBinary() {
        return "binary".equals(dataType);
    }

    boolean json() {
        return "json".equals(dataType);
    }

    boolean enumeration() {
        return "enum".equals(dataType);
    }
}
