package dev.binrelay.applier;

/**
 * One unique index of a target table, from information_schema.STATISTICS.
 *
 * @param columns    indexes into the table's columns of the key's column parts, in index order; a functional part
 *                   (an expression, no column) is left out
 * @param prefixes   per column part, SUB_PART (the index prefix: characters for text, bytes for binary strings), or 0
 *                   for the whole value
 * @param primary    whether this is the primary key
 * @param functional whether the key has a functional part (then {@code columns} alone are not unique)
 */
record TargetKey(int[] columns, int[] prefixes, boolean primary, boolean functional) {
}
