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
 * @param foreignKeys whether the table is the child or parent of a foreign key (its transactions run alone: cascades
 *                    touch rows the binlog does not show)
 */
public record TableKeys(List<int[]> uniqueKeys, List<int[]> prefixes, KeyFold[] folds, boolean primaryKey,
                        boolean foreignKeys) {

    /** Keys without prefixes. */
    public TableKeys(List<int[]> uniqueKeys, KeyFold[] folds, boolean primaryKey, boolean foreignKeys) {
        this(uniqueKeys, wholeValues(uniqueKeys), folds, primaryKey, foreignKeys);
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
