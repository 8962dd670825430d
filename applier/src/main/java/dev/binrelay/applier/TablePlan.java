package dev.binrelay.applier;

import dev.binrelay.engine.event.BinaryJson;
import dev.binrelay.engine.event.RowChange;
import dev.binrelay.engine.event.SourceTable;
import dev.binrelay.schema.Identifiers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * How rows of one source table become statements on one target table: which target column each source column
 * lands in, which columns are never written (generated), how a row is found (primary key, else a NOT NULL unique
 * key whose columns the before image holds, else every column with {@code LIMIT 1}), and the SQL for each row image
 * shape, built once.
 *
 * <p>Two kinds of rows get other SQL: a JSON value whose text MySQL would not read back exactly is written as an
 * SQL expression in the statement itself ({@link JsonSql}), so that statement serves that row only; and a row that
 * writes ENUM's error value (index 0, the empty string a non-strict source stores for an invalid value) runs
 * without strict mode, which otherwise refuses that value.
 *
 * <p>Not thread-safe: each worker keeps its own plans.
 */
final class TablePlan {
    /** The row sql_mode without strictness, for rows that write ENUM's error value. */
    private static final String RELAXED_SQL_MODE = Arrays.stream(JdbcApplier.ROW_SQL_MODE.split(","))
            .filter(mode -> !mode.startsWith("STRICT_")).collect(Collectors.joining(","));

    private final SourceTable source;
    private final TargetTable target;
    /** For each source column, its target column. */
    private final int[] targetOf;
    private final Map<Shape, RowStatement> statements = new HashMap<>();
    /** Source columns that are JSON on the target, and those that are ENUM. */
    private final int[] jsonColumns;
    private final int[] enumColumns;
    /** Keys that identify a row (all columns NOT NULL), as target column indexes, the table's row key first. */
    private final List<int[]> rowKeys;

    private TablePlan(SourceTable source, TargetTable target, int[] targetOf) {
        this.source = source;
        this.target = target;
        this.targetOf = targetOf;
        this.jsonColumns = sourceColumns(TargetColumn::json);
        this.enumColumns = sourceColumns(TargetColumn::enumeration);
        this.rowKeys = rowKeys(target);
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

    /**
     * The statement for this row's kind and image shape, the same object for every row of that shape (kept), except
     * for a row whose JSON the SQL carries ({@link JsonSql}): its statement is built for it alone.
     */
    RowStatement statementFor(RowChange row) {
        boolean relaxed = writesEnumErrorValue(row);
        if (needsJsonExpression(row.before(), row.presentBefore()) || needsJsonExpression(row.after(),
                row.presentAfter())) {
            return build(row.kind(), row.presentBefore(), row.presentAfter(), relaxed, row);
        }
        Shape shape = new Shape(row.kind(), row.presentBefore(), row.presentAfter(), relaxed);
        RowStatement statement = statements.get(shape);
        if (statement == null) {
            statement = build(row.kind(), row.presentBefore(), row.presentAfter(), relaxed, null);
            statements.put(shape, statement);
        }
        return statement;
    }

    /** Builds a statement; with {@code inline} set, JSON values text cannot carry are written into the SQL. */
    private RowStatement build(RowChange.Kind kind, BitSet before, BitSet after, boolean relaxed, RowChange inline) {
        String verb = switch (kind) {
            case INSERT -> "INSERT";
            case UPDATE -> "UPDATE";
            case DELETE -> "DELETE";
        };
        StringBuilder sql = new StringBuilder(verb);
        if (relaxed) {
            sql.append(" /*+ SET_VAR(sql_mode = '").append(RELAXED_SQL_MODE).append("') */");
        }
        List<Integer> values = new ArrayList<>();
        List<Integer> where = new ArrayList<>();
        List<Integer> placeholders = new ArrayList<>();
        int tupleStart = -1;
        Object[] afterImage = inline == null ? null : inline.after();
        Object[] beforeImage = inline == null ? null : inline.before();
        switch (kind) {
            case INSERT -> {
                List<Integer> columns = writable(after);
                sql.append(" INTO ").append(tableName()).append(" (");
                for (int i = 0; i < columns.size(); i++) {
                    sql.append(i > 0 ? ", " : "").append(Identifiers.quote(column(columns.get(i)).name()));
                }
                sql.append(") VALUES ");
                tupleStart = sql.length();
                sql.append('(');
                for (int i = 0; i < columns.size(); i++) {
                    sql.append(i > 0 ? ", " : "");
                    value(sql, columns.get(i), afterImage, values, placeholders);
                }
                sql.append(')');
            }
            case UPDATE -> {
                List<Integer> columns = writable(after);
                sql.append(' ').append(tableName()).append(" SET ");
                for (int i = 0; i < columns.size(); i++) {
                    sql.append(i > 0 ? ", " : "").append(Identifiers.quote(column(columns.get(i)).name()))
                            .append(" = ");
                    value(sql, columns.get(i), afterImage, values, placeholders);
                }
                where(sql, before, beforeImage, where, placeholders);
            }
            case DELETE -> {
                sql.append(" FROM ").append(tableName());
                where(sql, before, beforeImage, where, placeholders);
            }
        }
        String text = sql.toString();
        String[] pieces = pieces(text, placeholders);
        String[] tuplePieces = null;
        if (tupleStart >= 0) {
            tuplePieces = pieces.clone();
            tuplePieces[0] = tuplePieces[0].substring(tupleStart);
        }
        return new RowStatement(text, pieces, tuplePieces, toArray(values), toArray(where), targetColumns(values),
                targetColumns(where), tupleStart);
    }

    /** {@code sql} cut at each placeholder (whose positions are given, in order), without the placeholders. */
    private static String[] pieces(String sql, List<Integer> placeholders) {
        String[] pieces = new String[placeholders.size() + 1];
        int from = 0;
        for (int i = 0; i < placeholders.size(); i++) {
            pieces[i] = sql.substring(from, placeholders.get(i));
            from = placeholders.get(i) + 1;
        }
        pieces[placeholders.size()] = sql.substring(from);
        return pieces;
    }

    /** Appends a placeholder: its position goes to {@code placeholders} (a name or literal may hold a '?' too). */
    private static void placeholder(StringBuilder sql, List<Integer> placeholders) {
        placeholders.add(sql.length());
        sql.append('?');
    }

    /** Appends a placeholder for the value of a source column (adding it to {@code bound}) or the value itself. */
    private void value(StringBuilder sql, int sourceColumn, Object[] image, List<Integer> bound,
                       List<Integer> placeholders) {
        String expression = jsonExpression(sourceColumn, image);
        if (expression != null) {
            sql.append(expression);
        } else {
            placeholder(sql, placeholders);
            bound.add(sourceColumn);
        }
    }

    /** Appends the WHERE clause and fills {@code where} with the source columns it binds, in order. */
    private void where(StringBuilder sql, BitSet present, Object[] image, List<Integer> where,
                       List<Integer> placeholders) {
        int[] key = presentKey(present);
        boolean byKey = key != null;
        List<Integer> columns = new ArrayList<>();
        if (byKey) {
            for (int targetColumn : key) {
                columns.add(sourceOf(targetColumn));
            }
        } else {
            columns.addAll(writable(present));
        }
        sql.append(" WHERE ");
        for (int i = 0; i < columns.size(); i++) {
            int sourceColumn = columns.get(i);
            TargetColumn column = column(sourceColumn);
            sql.append(i > 0 ? " AND " : "").append(Identifiers.quote(column.name())).append(byKey ? " = " : " <=> ");
            String expression = jsonExpression(sourceColumn, image);
            if (expression != null) {
                sql.append(expression);
                continue;
            }
            where.add(sourceColumn);
            if (column.textual()) {
                // Bytes compared as bytes would bypass the column's index: convert them to its charset and collation.
                sql.append("CONVERT(");
                placeholder(sql, placeholders);
                sql.append(" USING ").append(column.charset()).append(") COLLATE ").append(column.collation());
                if (!byKey) {
                    // The collation may call different strings equal ('a' and 'A ') and a table without a key may
                    // hold both: the bytes must match too. The key of a keyed table is equal by its collation.
                    sql.append(" AND CAST(").append(Identifiers.quote(column.name())).append(" AS BINARY) <=> ");
                    placeholder(sql, placeholders);
                    where.add(sourceColumn);
                }
            } else if (column.json()) {
                sql.append("CAST("); // compared with a plain string, JSON would see a JSON string
                placeholder(sql, placeholders);
                sql.append(" AS JSON)");
            } else {
                placeholder(sql, placeholders);
            }
        }
        if (!byKey) {
            sql.append(" LIMIT 1"); // a table without a key may hold identical rows: change exactly one, as the source did
        }
    }

    /**
     * The first row key whose columns the before image holds: the primary key in a FULL image, and in a MINIMAL one
     * the key the source chose (which need not be the one the target lists first); null for a table without one.
     */
    private int[] presentKey(BitSet present) {
        for (int[] key : rowKeys) {
            boolean complete = true;
            for (int targetColumn : key) {
                complete &= present.get(sourceOf(targetColumn));
            }
            if (complete) {
                return key;
            }
        }
        if (!rowKeys.isEmpty()) {
            throw new IllegalArgumentException("table " + source + ": the before image lacks key column(s) of every "
                    + "unique NOT NULL key of the target table (" + rowKeyNames() + ")");
        }
        return null;
    }

    /** The SQL expression for a JSON value that text cannot carry exactly, or null to bind the value. */
    private String jsonExpression(int sourceColumn, Object[] image) {
        if (image == null || !column(sourceColumn).json() || !(image[sourceColumn] instanceof BinaryJson json)
                || JsonSql.textIsExact(json.bytes())) {
            return null;
        }
        try {
            return JsonSql.expression(json.bytes());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("table " + source + ", column " + column(sourceColumn).name() + ": "
                    + e.getMessage(), e);
        }
    }

    private boolean needsJsonExpression(Object[] image, BitSet present) {
        if (image == null) {
            return false;
        }
        for (int column : jsonColumns) {
            if (present.get(column) && image[column] instanceof BinaryJson json && !JsonSql.textIsExact(json.bytes())) {
                return true;
            }
        }
        return false;
    }

    private boolean writesEnumErrorValue(RowChange row) {
        if (row.after() == null) {
            return false;
        }
        for (int column : enumColumns) {
            if (row.presentAfter().get(column) && Long.valueOf(0).equals(row.after()[column])) {
                return true;
            }
        }
        return false;
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

    private int[] sourceColumns(Predicate<TargetColumn> test) {
        List<Integer> columns = new ArrayList<>();
        for (int i = 0; i < targetOf.length; i++) {
            if (test.test(column(i))) {
                columns.add(i);
            }
        }
        return toArray(columns);
    }

    private static List<int[]> rowKeys(TargetTable target) {
        List<int[]> keys = new ArrayList<>();
        if (target.keyColumns().length > 0) {
            keys.add(target.keyColumns());
        }
        for (int[] key : target.uniqueKeys()) {
            boolean notNull = true;
            for (int column : key) {
                notNull &= !target.columns().get(column).nullable();
            }
            if (notNull && !Arrays.equals(key, target.keyColumns())) {
                keys.add(key);
            }
        }
        return keys;
    }

    private String rowKeyNames() {
        List<String> keys = new ArrayList<>();
        for (int[] key : rowKeys) {
            keys.add(Arrays.stream(key).mapToObj(c -> target.columns().get(c).name()).toList().toString());
        }
        return String.join(", ", keys);
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
        return Identifiers.qualified(target.schema(), target.name());
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

    private record Shape(RowChange.Kind kind, BitSet before, BitSet after, boolean relaxed) {
        Shape {
            Objects.requireNonNull(kind);
        }
    }

    /**
     * One statement and the source columns whose values it takes: {@code values} (from the after image) then
     * {@code where} (from the before image), with the target columns for each; {@code sql} has a {@code ?} for each
     * (for messages and as the statement's identity), and {@code pieces} is {@code sql} cut at them, the values to
     * go between the pieces ({@link SqlLiterals#appendRow}); for an INSERT, {@code tupleStart} is where its parenthesized
     * value list starts in {@code sql} (the end of the text), so that more rows can follow it
     * ({@link StatementGroup}), and {@code tuplePieces} are the pieces of that list; -1 and null for the other kinds.
     */
    record RowStatement(String sql, String[] pieces, String[] tuplePieces, int[] values, int[] where,
                        List<TargetColumn> valueColumns, List<TargetColumn> whereColumns, int tupleStart) {
    }
}
