package dev.binrelay.devtools;

import dev.binrelay.testkit.TableChecksum;

/**
 * One table's checksum on the source and on the target.
 *
 * @param table  the table name
 * @param source its checksum on the source, or null when the source lacks the table
 * @param target its checksum on the target, or null when the target lacks the table
 */
record TableComparison(String table, TableChecksum source, TableChecksum target) {

    /** Whether both servers have the table with the same rows, byte for byte. */
    boolean matches() {
        return source != null && source.equals(target);
    }
}
