package dev.binrelay.engine;

import java.nio.charset.Charset;
import java.util.List;

/**
 * What identifies a row of one table, as source column positions.
 *
 * @param uniqueKeys   the primary key and every unique key, each as source column indexes
 * @param textCharsets per source column, the charset of a column whose key comparisons fold case and accents (its
 *                     values are folded before hashing), or null where bytes compare as bytes
 * @param foreignKeys  whether the table is the child or parent of a foreign key (its transactions run alone: cascades
 *                     touch rows the binlog does not show)
 */
public record TableKeys(List<int[]> uniqueKeys, Charset[] textCharsets, boolean foreignKeys) {
}
