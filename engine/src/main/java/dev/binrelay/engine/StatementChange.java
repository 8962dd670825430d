package dev.binrelay.engine;

/**
 * A statement the source logged as a QUERY event (DDL in ROW format), applied as-is on the target.
 *
 * @param database the default database it ran in on the source (empty if none)
 * @param sql      the statement text
 */
public record StatementChange(String database, String sql) implements Change {
}
