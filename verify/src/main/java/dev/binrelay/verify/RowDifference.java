package dev.binrelay.verify;

import java.util.List;

/**
 * One row that differs between source and target.
 *
 * @param kind    how it differs
 * @param columns the columns naming the row: the primary key, or every column of a table without one
 * @param values  those columns' values, as text (binary values as {@code 0x...} hex, long values shortened)
 */
public record RowDifference(Kind kind, List<String> columns, List<String> values) {
    /** How a row differs. */
    public enum Kind {
        /** On the source, not on the target. */
        MISSING_ON_TARGET("missing on target"),
        /** On the target, not on the source. */
        EXTRA_ON_TARGET("extra on target"),
        /** On both, with different column values. */
        DIFFERENT("different");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** The kind for a report: {@code missing on target}, {@code extra on target}, {@code different}. */
        public String label() {
            return label;
        }
    }

    /** Copies the lists. */
    public RowDifference {
        columns = List.copyOf(columns);
        values = List.copyOf(values);
    }

    /** The row's identity for a report, such as {@code id=5} or {@code a=1, b=x}. */
    public String describe() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            text.append(i > 0 ? ", " : "").append(columns.get(i)).append('=').append(values.get(i));
        }
        return text.toString();
    }
}
