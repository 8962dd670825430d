package dev.binrelay.engine.assemble;

import dev.binrelay.engine.ReplicaException;
import dev.binrelay.engine.ReplicationFilter;
import dev.binrelay.engine.event.StatementChange;
import dev.binrelay.engine.sql.CredentialRedaction;
import dev.binrelay.engine.sql.DdlNames;
import dev.binrelay.engine.sql.SqlTokenizer;
import dev.binrelay.checkpoint.Gtid;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies a {@link ReplicationFilter} to what the reader decodes: it tells which tables' rows to drop and under which
 * database the kept ones go, and decides a DDL statement by the tables it changes (see {@link #statement}).
 *
 * <p>Rewriting goes beyond MySQL's {@code --replicate-rewrite-db}, which changes only a statement's default
 * database: binrelay also rewrites a database that qualifies a name in table-name position
 * ({@code CREATE TABLE src.t}, {@code RENAME TABLE src.a TO src.b}, {@code LIKE src.t}, {@code REFERENCES src.t},
 * {@code CREATE DATABASE src}), so that the target holds {@code to} wherever the source holds {@code from}. Names
 * elsewhere (a view's query, a routine's body) are left as written.
 *
 * <p>Immutable and thread-safe.
 */
final class ChangeFilter {
    private final ReplicationFilter filter;

    ChangeFilter(ReplicationFilter filter) {
        this.filter = filter;
    }

    /** The target database for rows of source table {@code database.table}, or null if they are filtered out. */
    String targetDatabase(String database, String table) {
        return filter.keepsTable(database, table) ? filter.targetDatabase(database) : null;
    }

    /**
     * The statement to apply for {@code statement}, or null when the filter drops it (its GTID is still recorded).
     * A statement is judged by every table and database it changes, each by the rules a row change of it would meet;
     * one that changes none (CREATE USER, GRANT ...) is judged by its default database, as MySQL does.
     *
     * @throws ReplicaException when it changes both kept and filtered tables: applying only part of one statement
     *                          is impossible, and applying or dropping it whole would diverge from the source
     */
    StatementChange statement(Gtid gtid, StatementChange statement, long sqlMode) {
        if (filter.isNone()) {
            return statement;
        }
        List<SqlTokenizer.Token> tokens = SqlTokenizer.tokenize(statement.sql(), sqlMode);
        List<DdlNames.Name> names = DdlNames.of(tokens);
        List<String> kept = new ArrayList<>();
        List<String> filtered = new ArrayList<>();
        for (DdlNames.Name name : names) {
            if (!name.changed()) {
                continue;
            }
            String database = name.databaseOr(statement.database());
            boolean keeps;
            String label;
            if (name.kind() == DdlNames.Kind.TABLE) {
                String table = DdlNames.identifier(name.table());
                keeps = filter.keepsTable(database, table);
                label = named(database, "." + table);
            } else {
                keeps = filter.keepsDatabase(database);
                label = "database " + named(database, "");
            }
            (keeps ? kept : filtered).add(label);
        }
        if (kept.isEmpty() && filtered.isEmpty()) {
            return filter.keepsDatabase(statement.database()) ? rewrite(statement, names) : null;
        }
        if (!kept.isEmpty() && !filtered.isEmpty()) {
            throw new ReplicaException("transaction " + gtid + ": the statement \""
                    + CredentialRedaction.of(statement.sql(), sqlMode).statement()
                    + "\" changes " + String.join(", ", kept) + ", which the filters keep, and "
                    + String.join(", ", filtered) + ", which they filter out; binrelay cannot apply part of a "
                    + "statement: change the filters so that they keep all or none of these, or skip the "
                    + "transaction (binrelay skip --gtid " + gtid + ") and apply its effect on the target by hand");
        }
        return kept.isEmpty() ? null : rewrite(statement, names);
    }

    /** A database as the rules see it: by its target name, with the source name when rewritten. */
    private String named(String database, String table) {
        String target = filter.targetDatabase(database);
        return target.equals(database) ? database + table
                : target + table + " (" + database + table + " on the source)";
    }

    /** The statement with its default database and the databases qualifying its names rewritten. */
    private StatementChange rewrite(StatementChange statement, List<DdlNames.Name> names) {
        String sql = statement.sql();
        StringBuilder text = null;
        int copied = 0;
        List<DdlNames.Name> inOrder = new ArrayList<>(names);
        inOrder.sort(java.util.Comparator.comparingInt(name -> name.database() == null ? -1 : name.database().start()));
        for (DdlNames.Name name : inOrder) {
            if (name.database() == null) {
                continue;
            }
            String database = DdlNames.identifier(name.database());
            String target = filter.targetDatabase(database);
            if (target.equals(database)) {
                continue;
            }
            if (text == null) {
                text = new StringBuilder(sql.length() + 16);
            }
            text.append(sql, copied, name.database().start()).append('`').append(target.replace("`", "``"))
                    .append('`');
            copied = name.database().end();
        }
        if (text != null) {
            sql = text.append(sql, copied, sql.length()).toString();
        }
        String database = filter.targetDatabase(statement.database());
        if (sql.equals(statement.sql()) && database.equals(statement.database())) {
            return statement;
        }
        return new StatementChange(database, sql, statement.context());
    }
}
