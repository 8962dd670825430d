package dev.binrelay.benchmarks.differential;

import java.util.ArrayList;
import java.util.List;

/**
 * Random row statements for one {@link TableSpec}, on hot keys: inserts, updates of values, updates of the key,
 * deletes, and the two halves of a key swap (free a unique value, take it).
 */
final class RowStatements {
    private final ValueGenerator values;

    RowStatements(ValueGenerator values) {
        this.values = values;
    }

    /** An INSERT of a new row; {@code id} is a hot key, so it often collides (and the transaction rolls back). */
    String insert(TableSpec table) {
        return insert(table, Integer.toString(values.hotKey()));
    }

    /** An INSERT of a row with this {@code id} literal. */
    String insert(TableSpec table, String id) {
        return insert(table, id, null);
    }

    /** An INSERT of a row with this {@code id} literal and, when not null, this {@code u} literal. */
    private String insert(TableSpec table, String id, String text) {
        List<String> columns = new ArrayList<>();
        List<String> literals = new ArrayList<>();
        columns.add("id");
        literals.add(table.shape() == TableShape.NULLABLE_UNIQUE || table.shape() == TableShape.KEYLESS
                ? (values.hotKey() % 7 == 0 ? "NULL" : id) : id);
        if (table.shape() == TableShape.COMPOSITE_KEY) {
            columns.add("tag");
            literals.add(values.confusableLiteral());
        }
        if (table.uniqueText()) {
            columns.add("u");
            literals.add(text != null ? text : values.hotKey() % 3 == 0 ? "NULL" : values.confusableLiteral());
        }
        if (table.prefixUnique()) {
            columns.add("p");
            literals.add(ValueGenerator.quote(values.confusable() + values.text()));
        }
        if (table.functional()) {
            columns.add("f");
            literals.add(Integer.toString(values.smallSigned(40)));
        }
        if (table.parent() != null) {
            columns.add("pid");
            literals.add(values.hotKey() % 5 == 0 ? "NULL" : Integer.toString(values.hotKey()));
        }
        for (int i = 0; i < table.values().size(); i++) {
            columns.add("c" + i);
            literals.add(values.literal(table.values().get(i)));
        }
        return "INSERT INTO " + table.qualified() + " (" + String.join(", ", columns) + ") VALUES ("
                + String.join(", ", literals) + ")";
    }

    /** An UPDATE of a few value columns of the rows with a hot key. */
    String updateValues(TableSpec table) {
        List<String> sets = new ArrayList<>();
        int column = values.hotKey() % table.values().size();
        sets.add("c" + column + " = " + values.literal(table.values().get(column)));
        if (table.functional() && values.hotKey() % 2 == 0) {
            sets.add("f = " + values.smallSigned(40));
        }
        if (table.parent() != null && values.hotKey() % 3 == 0) {
            sets.add("pid = " + values.hotKey());
        }
        if (table.prefixUnique() && values.hotKey() % 4 == 0) {
            sets.add("p = " + ValueGenerator.quote(values.confusable() + values.text()));
        }
        return "UPDATE " + table.qualified() + " SET " + String.join(", ", sets) + " WHERE id = " + values.hotKey();
    }

    /** An UPDATE of the key itself: {@code id} moved to another hot value (or the composite key's tag retold). */
    String updateKey(TableSpec table) {
        if (table.shape() == TableShape.COMPOSITE_KEY && values.hotKey() % 2 == 0) {
            return "UPDATE " + table.qualified() + " SET tag = " + values.confusableLiteral() + " WHERE id = "
                    + values.hotKey() + " LIMIT 1";
        }
        return "UPDATE " + table.qualified() + " SET id = " + values.hotKey() + " WHERE id = " + values.hotKey();
    }

    /** A DELETE of the rows with a hot key. */
    String delete(TableSpec table) {
        return "DELETE FROM " + table.qualified() + " WHERE id = " + values.hotKey();
    }

    /** A DELETE by a confusable unique text (so the collation decides which row goes). */
    String deleteByText(TableSpec table) {
        return "DELETE FROM " + table.qualified() + " WHERE u = " + values.confusableLiteral();
    }

    /**
     * The first half of a key swap: the row holding {@code literal} in {@code u} gives it up (set to NULL, or the row
     * deleted). Under MINIMAL the before image holds the primary key only, not the value freed.
     */
    String freeText(TableSpec table, String literal) {
        return values.hotKey() % 2 == 0 ? "UPDATE " + table.qualified() + " SET u = NULL WHERE u = " + literal
                : "DELETE FROM " + table.qualified() + " WHERE u = " + literal;
    }

    /**
     * The second half: another row takes {@code literal}, or a value its collation calls equal: a hot row, or a new
     * row on a cold key (then nothing but the value links it to the first half).
     */
    String takeText(TableSpec table, String literal) {
        String taken = values.hotKey() % 3 == 0 ? values.confusableLiteral() : literal;
        if (values.hotKey() % 2 == 0) {
            return insert(table, Integer.toString(values.coldKey()), taken);
        }
        return "UPDATE " + table.qualified() + " SET u = " + taken + " WHERE id = " + values.hotKey() + " LIMIT 1";
    }
}
