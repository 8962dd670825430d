package dev.binrelay.schema;

import java.util.List;

/**
 * A unique index of a table (the primary key among them), from {@code information_schema.STATISTICS}.
 *
 * @param name  {@code INDEX_NAME}: {@code PRIMARY} for the primary key
 * @param parts its parts in index order ({@code SEQ_IN_INDEX})
 */
public record UniqueKey(String name, List<Part> parts) {
    public UniqueKey {
        parts = List.copyOf(parts);
    }

    /** Whether this is the primary key. */
    public boolean primary() {
        return "PRIMARY".equals(name);
    }

    /** Whether a part is an expression (MySQL's functional key part): then the columns alone are not unique. */
    public boolean functional() {
        return parts.stream().anyMatch(part -> part.column() == null);
    }

    /** The names of the key's column parts, in index order; null for a functional part. */
    public List<String> columnNames() {
        return parts.stream().map(Part::column).toList();
    }

    /**
     * One part of a key.
     *
     * @param column {@code COLUMN_NAME}, or null for a functional part (an expression)
     * @param prefix {@code SUB_PART}, the index prefix (characters for text, bytes for binary strings), or 0 for
     *               the whole value
     */
    public record Part(String column, int prefix) {
    }
}
