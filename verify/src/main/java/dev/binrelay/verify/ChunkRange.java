package dev.binrelay.verify;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The rows of a chunk: primary keys after {@code after} (exclusive) up to {@code upTo} (inclusive), in index order.
 * Either end may be open (null): the first chunk has no lower end, the last none above, and a table verified as one
 * chunk neither.
 *
 * @param after the key values the chunk starts after, as {@link Column#readKey} read them; null for no lower end
 * @param upTo  the key values of the chunk's last row; null for no upper end
 */
record ChunkRange(List<Object> after, List<Object> upTo) {
    /** The whole table. */
    static final ChunkRange WHOLE_TABLE = new ChunkRange(null, null);

    ChunkRange {
        after = after == null ? null : Collections.unmodifiableList(new ArrayList<>(after));
        upTo = upTo == null ? null : Collections.unmodifiableList(new ArrayList<>(upTo));
    }

    /** The range for a report, such as {@code (id) after (1000) up to (1500)}. */
    String describe(List<Column> key) {
        if (after == null && upTo == null) {
            return "whole table";
        }
        String columns = "(" + String.join(", ", key.stream().map(Column::name).toList()) + ")";
        StringBuilder text = new StringBuilder(columns);
        if (after != null) {
            text.append(" after ").append(values(after));
        }
        if (upTo != null) {
            text.append(" up to ").append(values(upTo));
        }
        return text.toString();
    }

    private static String values(List<Object> values) {
        return "(" + String.join(", ", values.stream().map(value -> Column.shortened(Column.keyText(value))).toList())
                + ")";
    }
}
