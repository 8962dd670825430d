package dev.binrelay.engine.event;

/**
 * A statement the source logged as a QUERY event (DDL or DCL in ROW format), to run on the target with the source
 * session's settings.
 *
 * @param database the default database it ran in on the source (empty if none)
 * @param sql      the statement text, decoded from the source session's character_set_client
 * @param context  the source session's settings for it
 */
public record StatementChange(String database, String sql, StatementContext context) implements Change {
}
