package dev.binrelay.engine.apply;

import java.util.ArrayList;
import java.util.List;

/**
 * What the writeset scheduler hashes for a row of one table, as source column positions.
 *
 * @param uniqueKeys  the primary key and every unique key, each as source column indexes; a unique key with a
 *                    functional part appears with its column parts only (possibly none): a coarser key that collides
 *                    whenever the real one does
 * @param prefixes    per unique key and part, the index prefix length (characters for text, bytes for binary
 *                    strings), or 0 for the whole value
 * @param folds       per source column, how a text column's values are reduced to what its collation compares, or
 *                    null where values compare as they are (numbers, temporal values, binary strings)
 * @param primaryKey  whether the first of {@code uniqueKeys} is the primary key (so every row has a complete key)
 * @param foreignKeys both sides of every foreign key the table takes part in (as child and as parent); {@code folds}
 *                    covers their text columns too
 * @param rowColumns  the columns by which the applier finds a row that no unique key identifies (a table without
 *                    keys, or NULL in every unique key): the applier compares them exactly (text as bytes), so equal
 *                    values there mean the same row; empty when no such identity is known (such rows run alone)
 */
public record TableKeys(List<int[]> uniqueKeys, List<int[]> prefixes, KeyFold[] folds, boolean primaryKey,
                        List<ForeignKeyColumns> foreignKeys, int[] rowColumns) {

    /** Keys without prefixes, foreign keys or a row identity beyond them. */
    public TableKeys(List<int[]> uniqueKeys, KeyFold[] folds, boolean primaryKey) {
        this(uniqueKeys, wholeValues(uniqueKeys), folds, primaryKey);
    }

    /** Keys with prefixes, without foreign keys or a row identity beyond them. */
    public TableKeys(List<int[]> uniqueKeys, List<int[]> prefixes, KeyFold[] folds, boolean primaryKey) {
        this(uniqueKeys, prefixes, folds, primaryKey, List.of(), new int[0]);
    }

    /** Whether a unique key covers a prefix of some column's value (MySQL's writeset hashes the whole value). */
    public boolean hasPrefixKey() {
        for (int[] parts : prefixes) {
            for (int prefix : parts) {
                if (prefix > 0) {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<int[]> wholeValues(List<int[]> keys) {
        List<int[]> prefixes = new ArrayList<>(keys.size());
        for (int[] key : keys) {
            prefixes.add(new int[key.length]);
        }
        return List.copyOf(prefixes);
    }
}
