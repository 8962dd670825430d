package dev.binrelay.verify;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.regex.Pattern;

/**
 * Which source tables to verify: every base table of every schema but MySQL's own and the checkpoint's, or those
 * matching {@code schema.table} patterns in which {@code %} matches any run of characters (names are matched exactly,
 * case included, as MySQL on Linux stores them; {@code _} is literal, being common in names).
 */
final class TableSelector {
    private static final Set<String> SYSTEM_SCHEMAS = Set.of("mysql", "sys", "information_schema",
            "performance_schema");

    /** A table by name. */
    record TableName(String schema, String table) {
    }

    private record NamePattern(String text, Pattern schema, Pattern table) {
        boolean matches(TableName name) {
            return schema.matcher(name.schema()).matches() && table.matcher(name.table()).matches();
        }
    }

    private final List<NamePattern> patterns;
    private final String checkpointSchema;
    private final BiPredicate<String, String> replicated;

    /**
     * @param patterns         {@code schema.table} patterns; empty selects every table
     * @param checkpointSchema never verified: binrelay's own bookkeeping, only on the target
     * @param replicated       whether the replica keeps source table (schema, table); the others are not on the
     *                         target by design, so never verified
     * @throws IllegalArgumentException for a pattern without a schema and a table part
     */
    TableSelector(List<String> patterns, String checkpointSchema, BiPredicate<String, String> replicated) {
        this.patterns = patterns.stream().map(TableSelector::compile).toList();
        this.checkpointSchema = checkpointSchema;
        this.replicated = replicated;
    }

    private static NamePattern compile(String text) {
        int dot = text.indexOf('.');
        if (dot <= 0 || dot == text.length() - 1) {
            throw new IllegalArgumentException("table pattern '" + text + "' must be schema.table, where % matches "
                    + "any characters (such as shop.orders or shop.%)");
        }
        return new NamePattern(text, like(text.substring(0, dot)), like(text.substring(dot + 1)));
    }

    private static Pattern like(String pattern) {
        List<String> literals = Arrays.stream(pattern.split("%", -1)).map(Pattern::quote).toList();
        return Pattern.compile(String.join(".*", literals), Pattern.DOTALL);
    }

    /**
     * The selected base tables of the source, by schema and name.
     *
     * @throws IllegalArgumentException when a pattern matches no table: a typo would otherwise verify nothing and
     *                                  report success
     */
    List<TableName> select(Connection source) throws SQLException {
        List<TableName> all = new ArrayList<>();
        try (Statement statement = source.createStatement();
             ResultSet rows = statement.executeQuery("SELECT table_schema, table_name FROM information_schema.tables "
                     + "WHERE table_type = 'BASE TABLE' ORDER BY table_schema, table_name")) {
            while (rows.next()) {
                TableName name = new TableName(rows.getString(1), rows.getString(2));
                if (!SYSTEM_SCHEMAS.contains(name.schema().toLowerCase(Locale.ROOT))
                        && !name.schema().equals(checkpointSchema)) {
                    all.add(name);
                }
            }
        }
        List<TableName> kept = all.stream().filter(name -> replicated.test(name.schema(), name.table())).toList();
        if (patterns.isEmpty()) {
            return kept;
        }
        for (NamePattern pattern : patterns) {
            if (all.stream().noneMatch(pattern::matches)) {
                throw new IllegalArgumentException("table pattern '" + pattern.text() + "' matches no base table on "
                        + "the source");
            }
            if (kept.stream().noneMatch(pattern::matches)) {
                throw new IllegalArgumentException("table pattern '" + pattern.text() + "' matches only tables the "
                        + "replica's filters leave out");
            }
        }
        return kept.stream().filter(name -> patterns.stream().anyMatch(pattern -> pattern.matches(name))).toList();
    }
}
