package dev.binrelay.applier;

import dev.binrelay.engine.RowChange;
import dev.binrelay.engine.SourceTable;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How rows of one source table become statements on one target table: which target column each source column
 * lands in, which columns are never written (generated), how a row is found (primary key, else a NOT NULL unique
 * key, else every column with {@code LIMIT 1}), and the SQL for each row image shape, built once.
 *
 * <p>Not thread-safe: each worker keeps its own plans.
 */
final class TablePlan {
    private final SourceTable source;
    private final TargetTable target;
    /** For each source column, its target column. */
    private final int[] targetOf;
    private final Map<Shape, RowStatement> statements = new HashMap<>();

    private TablePlan(SourceTable source, TargetTable target, int[] targetOf) {
        this.source = source;
        this.target = target;
        this.targetOf = targetOf;
    }

    /**
     * Maps the source table onto the target table.
     *
     * @throws IllegalArgumentException naming both column lists when they do not match
     */
    static TablePlan build(SourceTable source, TargetTable target) {
        List<TargetColumn> columns = target.columns();
        int[] targetOf = new int[source.columnCount()];
        if (source.columnNames().isEmpty()) {
            // binlog_row_metadata=MINIMAL: positions are all we have; DDL is applied in order, so they agree.
            if (source.columnCount() != columns.size()) {
                throw mismatch(source, target, "the source row has " + source.columnCount() + " columns");
            }
            for (int i = 0; i < targetOf.length; i++) {
                targetOf[i] = i;
            }
        } else {
            if (source.columnCount() != columns.size()) {
                throw mismatch(source, target, "the source row has columns " + source.columnNames());
            }
            for (int i = 0; i < targetOf.length; i++) {
                targetOf[i] = indexOf(columns, source.columnNames().get(i));
                if (targetOf[i] < 0) {
                    throw mismatch(source, target, "the source row has columns " + source.columnNames());
                }
            }
        }
        return new TablePlan(source, target, targetOf);
    }

    TargetTable target() {
        return target;
    }

    SourceTable source() {
        return source;
    }

    /** The statement for this row's kind and image shape. */
    RowStatement statementFor(RowChange row) {
        Shape shape = new Shape(row.kind(), row.presentBefore(), row.presentAfter());
        RowStatement statement = statements.get(shape);
        if (statement == null) {
            statement = switch (row.kind()) {
                case INSERT -> insert(row.presentAfter());
                case UPDATE -> update(row.presentBefore(), row.presentAfter());
                case DELETE -> delete(row.presentBefore());
            };
            statements.put(shape, statement);
        }
        return statement;
    }

    private RowStatement insert(BitSet present) {
        List<Integer> values = writable(present);
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(tableName()).append(" (");
        StringBuilder placeholders = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sql.append(", ");
                placeholders.append(", ");
            }
            sql.append(quote(column(values.get(i)).name()));
            placeholders.append('?');
        }
        sql.append(") VALUES (").append(placeholders).append(')');
        return new RowStatement(sql.toString(), toArray(values), new int[0], targetColumns(values), List.of());
    }

    private RowStatement update(BitSet before, BitSet after) {
        List<Integer> values = writable(after);
        StringBuilder sql = new StringBuilder("UPDATE ").append(tableName()).append(" SET ");
        for (int i = 0; i < values.size(); i++) {
            sql.append(i > 0 ? ", " : "").append(quote(column(values.get(i)).name())).append(" = ?");
        }
        List<Integer> where = new ArrayList<>();
        sql.append(where(before, where));
        return new RowStatement(sql.toString(), toArray(values), toArray(where), targetColumns(values),
                targetColumns(where));
    }

    private RowStatement delete(BitSet before) {
        List<Integer> where = new ArrayList<>();
        String sql = "DELETE FROM " + tableName() + where(before, where);
        return new RowStatement(sql, new int[0], toArray(where), List.of(), targetColumns(where));
    }

    /** Builds the WHERE clause and fills {@code where} with the source columns it binds, in order. */
    private String where(BitSet present, List<Integer> where) {
        int[] key = target.keyColumns();
        boolean byKey = key.length > 0;
        if (byKey) {
            for (int targetColumn : key) {
                int sourceColumn = sourceOf(targetColumn);
                if (!present.get(sourceColumn)) {
                    throw new IllegalArgumentException("table " + source + ": the before image lacks key column "
                            + column(sourceColumn).name());
                }
                where.add(sourceColumn);
            }
        } else {
            where.addAll(writable(present));
        }
        StringBuilder sql = new StringBuilder(" WHERE ");
        for (int i = 0; i < where.size(); i++) {
            TargetColumn column = column(where.get(i));
            sql.append(i > 0 ? " AND " : "").append(quote(column.name())).append(byKey ? " = " : " <=> ");
            if (column.textual()) {
                // Bytes compared as bytes would bypass the column's index: convert them to its charset and collation.
                sql.append("CONVERT(? USING ").append(column.charset()).append(") COLLATE ")
                        .append(column.collation());
            } else {
                sql.append('?');
            }
        }
        if (!byKey) {
            sql.append(" LIMIT 1"); // a table without a key may hold identical rows: change exactly one, as the source did
        }
        return sql.toString();
    }

    private List<Integer> writable(BitSet present) {
        List<Integer> columns = new ArrayList<>();
        for (int i = 0; i < targetOf.length; i++) {
            if (present.get(i) && !column(i).generated()) {
                columns.add(i);
            }
        }
        return columns;
    }

    private TargetColumn column(int sourceColumn) {
        return target.columns().get(targetOf[sourceColumn]);
    }

    private List<TargetColumn> targetColumns(List<Integer> sourceColumns) {
        return sourceColumns.stream().map(this::column).toList();
    }

    private int sourceOf(int targetColumn) {
        for (int i = 0; i < targetOf.length; i++) {
            if (targetOf[i] == targetColumn) {
                return i;
            }
        }
        throw new IllegalStateException("target column " + targetColumn + " has no source column");
    }

    private String tableName() {
        return quote(target.schema()) + "." + quote(target.name());
    }

    static String quote(String identifier) {
        return '`' + identifier.replace("`", "``") + '`';
    }

    private static int indexOf(List<TargetColumn> columns, String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    private static int[] toArray(List<Integer> values) {
        return values.stream().mapToInt(Integer::intValue).toArray();
    }

    private static IllegalArgumentException mismatch(SourceTable source, TargetTable target, String sourceSide) {
        return new IllegalArgumentException("table " + source.qualifiedName() + " differs on the target: "
                + sourceSide + ", the target table has " + target.columns().size() + " columns "
                + target.columnNames());
    }

    private record Shape(RowChange.Kind kind, BitSet before, BitSet after) {
        Shape {
            Objects.requireNonNull(kind);
        }
    }

    /**
     * One statement and the source columns it binds: {@code values} (from the after image) then {@code where}
     * (from the before image), with the target columns for each.
     */
    record RowStatement(String sql, int[] values, int[] where, List<TargetColumn> valueColumns,
                        List<TargetColumn> whereColumns) {
    }
}
