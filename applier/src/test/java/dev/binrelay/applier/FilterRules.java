package dev.binrelay.applier;

import dev.binrelay.engine.ReplicationFilter;
import dev.binrelay.schema.Identifiers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One set of replication filter rules written once and rendered twice: as binrelay's {@link ReplicationFilter} and as
 * MySQL's {@code CHANGE REPLICATION FILTER}, so that a differential test cannot give the two replicas different rules.
 */
final class FilterRules {
    private final String name;
    private final List<String> doDb = new ArrayList<>();
    private final List<String> ignoreDb = new ArrayList<>();
    private final List<String> doTable = new ArrayList<>();
    private final List<String> ignoreTable = new ArrayList<>();
    private final List<String> wildDoTable = new ArrayList<>();
    private final List<String> wildIgnoreTable = new ArrayList<>();
    private final Map<String, String> rewriteDb = new LinkedHashMap<>();

    private FilterRules(String name) {
        this.name = name;
    }

    static FilterRules named(String name) {
        return new FilterRules(name);
    }

    FilterRules doDb(String... databases) {
        doDb.addAll(List.of(databases));
        return this;
    }

    FilterRules ignoreDb(String... databases) {
        ignoreDb.addAll(List.of(databases));
        return this;
    }

    FilterRules doTable(String... tables) {
        doTable.addAll(List.of(tables));
        return this;
    }

    FilterRules ignoreTable(String... tables) {
        ignoreTable.addAll(List.of(tables));
        return this;
    }

    /** Patterns as the config holds them: {@code \_} is a literal underscore. */
    FilterRules wildDoTable(String... patterns) {
        wildDoTable.addAll(List.of(patterns));
        return this;
    }

    FilterRules wildIgnoreTable(String... patterns) {
        wildIgnoreTable.addAll(List.of(patterns));
        return this;
    }

    FilterRules rewriteDb(String from, String to) {
        rewriteDb.put(from, to);
        return this;
    }

    ReplicationFilter toFilter() {
        ReplicationFilter.Builder builder = ReplicationFilter.builder();
        doDb.forEach(builder::doDb);
        ignoreDb.forEach(builder::ignoreDb);
        doTable.forEach(builder::doTable);
        ignoreTable.forEach(builder::ignoreTable);
        wildDoTable.forEach(builder::wildDoTable);
        wildIgnoreTable.forEach(builder::wildIgnoreTable);
        rewriteDb.forEach(builder::rewriteDb);
        return builder.build();
    }

    /**
     * The statement giving a MySQL replica exactly these rules. Every filter type is listed, the unused ones as
     * {@code ()}, which clears them: so the statement also removes whatever rules an earlier configuration set.
     */
    String changeReplicationFilter() {
        return "CHANGE REPLICATION FILTER"
                + " REPLICATE_DO_DB = (" + identifiers(doDb) + "),"
                + " REPLICATE_IGNORE_DB = (" + identifiers(ignoreDb) + "),"
                + " REPLICATE_DO_TABLE = (" + tables(doTable) + "),"
                + " REPLICATE_IGNORE_TABLE = (" + tables(ignoreTable) + "),"
                + " REPLICATE_WILD_DO_TABLE = (" + strings(wildDoTable) + "),"
                + " REPLICATE_WILD_IGNORE_TABLE = (" + strings(wildIgnoreTable) + "),"
                + " REPLICATE_REWRITE_DB = (" + rewriteDb.entrySet().stream()
                        .map(e -> "(" + Identifiers.quote(e.getKey()) + ", " + Identifiers.quote(e.getValue()) + ")")
                        .collect(Collectors.joining(", ")) + ")";
    }

    @Override
    public String toString() {
        return name;
    }

    private static String identifiers(List<String> names) {
        return names.stream().map(Identifiers::quote).collect(Collectors.joining(", "));
    }

    private static String tables(List<String> qualifiedNames) {
        return qualifiedNames.stream().map(name -> {
            int dot = name.indexOf('.');
            return Identifiers.qualified(name.substring(0, dot), name.substring(dot + 1));
        }).collect(Collectors.joining(", "));
    }

    /** SQL string literals: a backslash in a pattern must reach the server as a backslash, so it is doubled. */
    private static String strings(List<String> patterns) {
        return patterns.stream().map(p -> "'" + p.replace("\\", "\\\\").replace("'", "''") + "'")
                .collect(Collectors.joining(", "));
    }
}
