package dev.binrelay.applier;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MySQL 8.0.21 and later log CREATE TABLE ... SELECT (ROW format, an engine with atomic DDL) as one transaction: the
 * CREATE TABLE statement with {@code START TRANSACTION} appended, the rows, then COMMIT. After such a statement a
 * session accepts only rows in BINLOG form and COMMIT: neither row statements nor the checkpoint row. So the applier
 * runs the CREATE TABLE without the suffix (it commits by itself, as any DDL does), then the rows and the checkpoint
 * row in one transaction. A stop in between is covered by the DDL marker as for any DDL: the CREATE TABLE runs again,
 * its "table exists" is accepted for that GTID, and the rows follow.
 */
final class CreateTableSelect {
    private static final Pattern LOGGED =
            Pattern.compile("(?is)(\\s*CREATE\\s+TABLE\\s.*?)\\s+START\\s+TRANSACTION\\s*");

    private CreateTableSelect() {
    }

    /** The statement to run on the target: a logged CREATE TABLE ... SELECT without its START TRANSACTION. */
    static String runnable(String sql) {
        Matcher logged = LOGGED.matcher(sql);
        return logged.matches() ? logged.group(1) : sql;
    }
}
