package dev.binrelay.engine.apply;

import java.util.Locale;

/**
 * One side of a foreign key, as the writeset scheduler hashes it: the child's referencing columns or the parent's
 * referenced ones. Both sides name the same referenced values, so a child row and the parent row it points at hash
 * to the same key and the two transactions are ordered, as MySQL's WRITESET tracking orders them.
 *
 * @param referenced       the referenced table and columns, the same string on both sides (see {@link #name})
 * @param columns          source column positions of this table's side, in the foreign key's column order
 * @param parent           whether this table is the referenced one (the parent)
 * @param cascadesOnDelete for a parent: whether deleting a row makes the target change child rows the binlog does
 *                         not show (ON DELETE CASCADE, SET NULL or SET DEFAULT)
 * @param cascadesOnUpdate for a parent: whether changing the referenced values does (ON UPDATE CASCADE, SET NULL or
 *                         SET DEFAULT)
 */
public record ForeignKeyColumns(String referenced, int[] columns, boolean parent, boolean cascadesOnDelete,
                                boolean cascadesOnUpdate) {

    /** The referenced side's name, {@code schema.table(column,...)} in lower case (names compare that way). */
    public static String name(String schema, String table, Iterable<String> columns) {
        return (schema + "." + table + "(" + String.join(",", columns) + ")").toLowerCase(Locale.ROOT);
    }

    /** A child's referencing columns. */
    public static ForeignKeyColumns child(String referenced, int[] columns) {
        return new ForeignKeyColumns(referenced, columns, false, false, false);
    }
}
