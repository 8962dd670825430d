package dev.binrelay.engine.sql;

import java.util.List;
import java.util.Set;

/**
 * What a QUERY event's statement (other than BEGIN, COMMIT and ROLLBACK) is to a row-based replica. In ROW format
 * MySQL logs as statements only DDL, DCL and administrative statements, SAVEPOINT inside a transaction, and the
 * CREATE TABLE part of CREATE TABLE ... SELECT (as {@code CREATE TABLE ... START TRANSACTION}, then its rows); a
 * statement that changes rows itself was logged by a session in STATEMENT or MIXED format.
 */
public enum QueryKind {
    /** A statement to run on the target: DDL, DCL, administration. */
    STATEMENT,
    /** {@code SAVEPOINT x} or {@code RELEASE SAVEPOINT x}: nothing to do unless a rollback to it follows. */
    SAVEPOINT,
    /** {@code ROLLBACK TO [SAVEPOINT] x}. */
    ROLLBACK_TO_SAVEPOINT,
    /** A statement whose row changes the source did not log as rows (statement-based logging). */
    ROW_CHANGING_STATEMENT;

    /**
     * First words of statements that change (or read) rows; a stored function's side effects are logged in STATEMENT
     * format as {@code SELECT f()}.
     */
    private static final Set<String> ROW_STATEMENT_WORDS = Set.of("INSERT", "REPLACE", "UPDATE", "DELETE", "LOAD",
            "SELECT", "WITH", "CALL", "DO", "TABLE", "VALUES", "HANDLER");

    public static QueryKind of(String sql, long sqlMode) {
        List<SqlTokenizer.Token> tokens = SqlTokenizer.tokenize(sql, sqlMode);
        if (tokens.isEmpty()) {
            return STATEMENT;
        }
        SqlTokenizer.Token first = tokens.get(0);
        if (first.is('(') || (first.type() == SqlTokenizer.Type.WORD
                && ROW_STATEMENT_WORDS.contains(first.text().toUpperCase(java.util.Locale.ROOT)))) {
            return ROW_CHANGING_STATEMENT;
        }
        if (first.is("SAVEPOINT") || (first.is("RELEASE") && tokens.size() > 1 && tokens.get(1).is("SAVEPOINT"))) {
            return SAVEPOINT;
        }
        if (first.is("ROLLBACK")) {
            for (SqlTokenizer.Token token : tokens) {
                if (token.is("TO")) {
                    return ROLLBACK_TO_SAVEPOINT;
                }
            }
        }
        if (first.is("CREATE") && isCreateTableWithQuery(tokens)) {
            return ROW_CHANGING_STATEMENT;
        }
        return STATEMENT;
    }

    /**
     * Whether this CREATE [TEMPORARY] TABLE fills the table from a query. In ROW format the server logs such a
     * statement as the new table's definition alone; only statement-based logging keeps the query, and a
     * CREATE TABLE cannot otherwise hold a bare SELECT (or a second TABLE keyword).
     */
    private static boolean isCreateTableWithQuery(List<SqlTokenizer.Token> tokens) {
        int i = 1;
        if (i < tokens.size() && tokens.get(i).is("TEMPORARY")) {
            i++;
        }
        if (i >= tokens.size() || !tokens.get(i).is("TABLE")) {
            return false;
        }
        for (int j = i + 1; j < tokens.size(); j++) {
            if (tokens.get(j).is("SELECT") || tokens.get(j).is("TABLE")) {
                return true;
            }
        }
        return false;
    }
}
