package dev.binrelay.applier;

import dev.binrelay.engine.sql.SqlTokenizer;
import dev.binrelay.engine.sql.SqlTokenizer.Token;
import java.util.List;

/**
 * Adapts a replicated statement to run on a replica, where the rows its objects change on the source arrive as row
 * changes of their own:
 * <ul>
 *   <li>{@code CREATE TRIGGER}: the body is wrapped in {@code IF @binrelay_applier IS NULL THEN ... END IF}. The
 *   source logs the rows its triggers changed, so a trigger firing again for binrelay's row changes would apply its
 *   effect twice; MySQL's own replica does not fire triggers for row events. binrelay's connections set
 *   {@code @binrelay_applier}, so the trigger does nothing for them and works as written for every other session
 *   (after a failover, say). {@code SHOW CREATE TRIGGER} on the target shows the guard.</li>
 *   <li>{@code CREATE EVENT} and {@code ALTER EVENT ... ENABLE|DISABLE}: the status becomes
 *   {@code DISABLE ON SLAVE}, as MySQL's replica marks replicated events (SLAVESIDE_DISABLED), so the target's event
 *   scheduler does not run them a second time.</li>
 *   <li>{@code CREATE TABLE ... START TRANSACTION} (the first half of an atomic CREATE TABLE ... SELECT): MySQL
 *   accepts nothing but BINLOG statements after it, so it runs as a plain CREATE TABLE and the rows follow; a crash
 *   in between re-runs it and accepts "table exists".</li>
 * </ul>
 * Views, routines and everything else run as the source logged them.
 */
final class ReplicaStatements {
    /** The user variable binrelay's target sessions set; replicated triggers do nothing while it is set. */
    static final String APPLIER_MARKER = "@binrelay_applier";

    private ReplicaStatements() {
    }

    /** The statement to run on the target for {@code sql}, logged under {@code sqlMode}. */
    static String forTarget(String sql, long sqlMode) {
        List<Token> tokens = SqlTokenizer.tokenize(sql, sqlMode);
        if (tokens.isEmpty() || !(tokens.get(0).is("CREATE") || tokens.get(0).is("ALTER"))) {
            return sql;
        }
        int object = objectKeyword(tokens);
        if (object < 0) {
            return sql;
        }
        Token keyword = tokens.get(object);
        boolean create = tokens.get(0).is("CREATE");
        if (create && keyword.is("TRIGGER")) {
            return guardTrigger(sql, tokens, object);
        }
        if (keyword.is("EVENT")) {
            return disableEventOnReplica(sql, tokens, object, create);
        }
        if (create && keyword.is("TABLE") && tokens.size() >= 2 && tokens.get(tokens.size() - 2).is("START")
                && tokens.get(tokens.size() - 1).is("TRANSACTION")) {
            return sql.substring(0, tokens.get(tokens.size() - 2).start()).stripTrailing();
        }
        return sql;
    }

    /**
     * The index of the word naming what is created or altered (TABLE, TRIGGER, EVENT, VIEW...), after an optional
     * {@code DEFINER = user} clause; -1 if the statement does not have that shape.
     */
    private static int objectKeyword(List<Token> tokens) {
        int i = 1;
        if (i < tokens.size() && tokens.get(i).is("DEFINER")) {
            i += 2; // DEFINER =
            i++; // user name, or CURRENT_USER
            if (i < tokens.size() && tokens.get(i).is('@')) {
                i += 2; // @ host
            } else if (i + 1 < tokens.size() && tokens.get(i).is('(') && tokens.get(i + 1).is(')')) {
                i += 2; // CURRENT_USER()
            }
        }
        if (i < tokens.size() && tokens.get(i).is("TEMPORARY")) {
            i++;
        }
        return i < tokens.size() && tokens.get(i).type() == SqlTokenizer.Type.WORD ? i : -1;
    }

    /** {@code ... FOR EACH ROW [FOLLOWS|PRECEDES other] body} becomes {@code ... IF <marker> IS NULL THEN body END IF}. */
    private static String guardTrigger(String sql, List<Token> tokens, int object) {
        for (int i = object + 1; i + 2 < tokens.size(); i++) {
            if (tokens.get(i).is("FOR") && tokens.get(i + 1).is("EACH") && tokens.get(i + 2).is("ROW")) {
                int body = i + 3;
                if (body + 1 < tokens.size() && (tokens.get(body).is("FOLLOWS") || tokens.get(body).is("PRECEDES"))) {
                    body += 2;
                }
                if (body >= tokens.size()) {
                    return sql;
                }
                String text = sql.substring(tokens.get(body).start()).stripTrailing();
                if (text.endsWith(";")) {
                    text = text.substring(0, text.length() - 1);
                }
                // The line break ends a trailing "-- comment" before the guard closes.
                return sql.substring(0, tokens.get(body).start()) + "IF " + APPLIER_MARKER + " IS NULL THEN " + text
                        + "\n; END IF";
            }
        }
        return sql;
    }

    /**
     * Puts {@code DISABLE ON SLAVE} where the status clause goes (replacing the source's ENABLE or DISABLE): after
     * ON SCHEDULE, ON COMPLETION and RENAME TO, before COMMENT and DO. An ALTER EVENT without a status clause leaves
     * the target's status alone, as on MySQL's replica.
     */
    private static String disableEventOnReplica(String sql, List<Token> tokens, int object, boolean create) {
        int depth = 0;
        int insertAt = sql.length();
        for (int i = object + 1; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            if (token.is('(')) {
                depth++;
            } else if (token.is(')')) {
                depth--;
            } else if (depth == 0 && (token.is("ENABLE") || token.is("DISABLE"))) {
                int end = i + 1;
                if (token.is("DISABLE") && end + 1 < tokens.size() && tokens.get(end).is("ON")
                        && (tokens.get(end + 1).is("SLAVE") || tokens.get(end + 1).is("REPLICA"))) {
                    end += 2;
                }
                return sql.substring(0, token.start()) + "DISABLE ON SLAVE"
                        + sql.substring(tokens.get(end - 1).end());
            } else if (depth == 0 && (token.is("COMMENT") || token.is("DO"))) {
                insertAt = token.start();
                break;
            }
        }
        if (!create) {
            return sql;
        }
        return sql.substring(0, insertAt) + (insertAt == sql.length() ? " " : "") + "DISABLE ON SLAVE "
                + sql.substring(insertAt);
    }
}
