package dev.binrelay.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Which source tables and databases reach the target, and under which database name: MySQL's replica filters
 * ({@code --replicate-do-db}, {@code -ignore-db}, {@code -do-table}, {@code -ignore-table}, {@code -wild-do-table},
 * {@code -wild-ignore-table}, {@code -rewrite-db}) with the evaluation order of the MySQL 8.0 manual, "How Servers
 * Evaluate Replication Filtering Rules", for row-based replication:
 *
 * <ol>
 *   <li>The database is rewritten first: "the database name translation is done before the --replicate-* rules are
 *       tested" (manual, {@code --replicate-rewrite-db}). Every rule below therefore names the target database.</li>
 *   <li>Database rules ("Evaluation of Database-Level Replication Options"), on the database of the changed table: if
 *       any {@code doDb} is set, a database not among them is ignored ({@code ignoreDb} is then not consulted);
 *       otherwise a database among the {@code ignoreDb} is ignored.</li>
 *   <li>Table rules ("Evaluation of Table-Level Replication Options"), on {@code db.table}, first match wins:
 *       {@code doTable} keeps, {@code ignoreTable} ignores, {@code wildDoTable} keeps, {@code wildIgnoreTable}
 *       ignores; no match ignores the table if any {@code doTable} or {@code wildDoTable} is set, else keeps it.</li>
 * </ol>
 *
 * Names compare case-sensitively, as on a Linux MySQL ({@code lower_case_table_names=0}).
 *
 * <p>Immutable and thread-safe; {@link #NONE} keeps everything under its own name.
 */
public final class ReplicationFilter {
    /** Keeps every change and rewrites nothing. */
    public static final ReplicationFilter NONE = builder().build();

    private final Set<String> doDb;
    private final Set<String> ignoreDb;
    private final Set<String> doTable;
    private final Set<String> ignoreTable;
    private final List<TablePattern> wildDoTable;
    private final List<TablePattern> wildIgnoreTable;
    private final DatabaseRewrite rewrite;

    private ReplicationFilter(Builder builder) {
        this.doDb = Set.copyOf(builder.doDb);
        this.ignoreDb = Set.copyOf(builder.ignoreDb);
        this.doTable = Set.copyOf(builder.doTable);
        this.ignoreTable = Set.copyOf(builder.ignoreTable);
        this.wildDoTable = List.copyOf(builder.wildDoTable);
        this.wildIgnoreTable = List.copyOf(builder.wildIgnoreTable);
        this.rewrite = new DatabaseRewrite(builder.rewrite);
    }

    /** A builder with no rules. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether this filter keeps everything under its own name (then the reader skips it altogether). */
    public boolean isNone() {
        return doDb.isEmpty() && ignoreDb.isEmpty() && !hasTableRules() && rewrite.isEmpty();
    }

    /** The target name of source database {@code database} (itself unless {@code rewriteDb} names it). */
    public String targetDatabase(String database) {
        return rewrite.apply(database);
    }

    /** Whether row changes of source table {@code database.table} reach the target. */
    public boolean keepsTable(String database, String table) {
        String target = rewrite.apply(database);
        return databaseRulesPass(target) && tableRulesPass(target + "." + table);
    }

    /**
     * Whether a statement that names no table reaches the target, judged by the database rules alone on
     * {@code database} (the statement's default database, or the database a CREATE/ALTER/DROP DATABASE names), as
     * MySQL judges such statements: table rules only look at the tables a statement changes. With any database rule
     * set, a statement without a database (empty) is ignored, as MySQL does when no default database is selected.
     */
    public boolean keepsDatabase(String database) {
        if (doDb.isEmpty() && ignoreDb.isEmpty()) {
            return true;
        }
        if (database == null || database.isEmpty()) {
            return false;
        }
        return databaseRulesPass(rewrite.apply(database));
    }

    private boolean databaseRulesPass(String database) {
        if (!doDb.isEmpty()) {
            return doDb.contains(database);
        }
        return !ignoreDb.contains(database);
    }

    private boolean tableRulesPass(String qualified) {
        if (!hasTableRules()) {
            return true;
        }
        if (doTable.contains(qualified)) {
            return true;
        }
        if (ignoreTable.contains(qualified)) {
            return false;
        }
        for (TablePattern pattern : wildDoTable) {
            if (pattern.matches(qualified)) {
                return true;
            }
        }
        for (TablePattern pattern : wildIgnoreTable) {
            if (pattern.matches(qualified)) {
                return false;
            }
        }
        return doTable.isEmpty() && wildDoTable.isEmpty();
    }

    private boolean hasTableRules() {
        return !doTable.isEmpty() || !ignoreTable.isEmpty() || !wildDoTable.isEmpty() || !wildIgnoreTable.isEmpty();
    }

    @Override
    public String toString() {
        return "ReplicationFilter[doDb=" + doDb + ", ignoreDb=" + ignoreDb + ", doTable=" + doTable
                + ", ignoreTable=" + ignoreTable + ", wildDoTable=" + wildDoTable + ", wildIgnoreTable="
                + wildIgnoreTable + ", rewriteDb=" + rewrite + "]";
    }

    /** Builds a {@link ReplicationFilter}; rules of one kind add up. */
    public static final class Builder {
        private final Set<String> doDb = new LinkedHashSet<>();
        private final Set<String> ignoreDb = new LinkedHashSet<>();
        private final Set<String> doTable = new LinkedHashSet<>();
        private final Set<String> ignoreTable = new LinkedHashSet<>();
        private final List<TablePattern> wildDoTable = new ArrayList<>();
        private final List<TablePattern> wildIgnoreTable = new ArrayList<>();
        private final Map<String, String> rewrite = new LinkedHashMap<>();

        private Builder() {
        }

        /** Replicates only these (target) databases (config {@code filters.doDb}). */
        public Builder doDb(String database) {
            doDb.add(requireName(database, "filters.doDb"));
            return this;
        }

        /** Does not replicate this (target) database (config {@code filters.ignoreDb}). */
        public Builder ignoreDb(String database) {
            ignoreDb.add(requireName(database, "filters.ignoreDb"));
            return this;
        }

        /** Replicates this table, {@code db.table} (config {@code filters.doTable}). */
        public Builder doTable(String qualifiedName) {
            doTable.add(requireTable(qualifiedName));
            return this;
        }

        /** Does not replicate this table, {@code db.table} (config {@code filters.ignoreTable}). */
        public Builder ignoreTable(String qualifiedName) {
            ignoreTable.add(requireTable(qualifiedName));
            return this;
        }

        /** Replicates the tables matching {@code db.table} with {@code %} and {@code _} (config {@code filters.wildDoTable}). */
        public Builder wildDoTable(String pattern) {
            wildDoTable.add(TablePattern.of(pattern));
            return this;
        }

        /** Does not replicate the tables matching the pattern (config {@code filters.wildIgnoreTable}). */
        public Builder wildIgnoreTable(String pattern) {
            wildIgnoreTable.add(TablePattern.of(pattern));
            return this;
        }

        /** Applies source database {@code from} to target database {@code to} (config {@code filters.rewriteDb}). */
        public Builder rewriteDb(String from, String to) {
            requireName(from, "filters.rewriteDb");
            requireName(to, "filters.rewriteDb");
            String before = rewrite.putIfAbsent(from, to);
            if (before != null && !before.equals(to)) {
                throw new IllegalArgumentException("database " + from + " is rewritten twice: to " + before
                        + " and to " + to);
            }
            return this;
        }

        public ReplicationFilter build() {
            return new ReplicationFilter(this);
        }

        private static String requireName(String name, String rule) {
            Objects.requireNonNull(name, rule);
            if (name.isEmpty()) {
                throw new IllegalArgumentException(rule + ": empty database name");
            }
            return name;
        }

        private static String requireTable(String qualifiedName) {
            int dot = qualifiedName.indexOf('.');
            if (dot <= 0 || dot == qualifiedName.length() - 1) {
                throw new IllegalArgumentException("expected db.table, got \"" + qualifiedName + "\"");
            }
            return qualifiedName;
        }
    }
}
