package dev.binrelay.engine.decode;

import dev.binrelay.engine.event.StatementContext;
import com.github.shyiko.mysql.binlog.event.EventData;

/**
 * A QUERY event as binrelay decodes it ({@link QueryEventDecoder}): the statement's bytes as the client sent them and
 * the session settings its status variables carry, which the library's own decoder drops.
 *
 * @param threadId       the source session's connection id
 * @param execSeconds    how long the statement ran on the source
 * @param errorCode      the error it ended with on the source (0: none)
 * @param database       the default database (empty if none)
 * @param sql            the statement, in the session's character_set_client
 * @param microseconds   the fraction of the statement's start second, or -1 when the source did not log it (the
 *                       statement did not read the time more finely than seconds)
 * @param sessionSettings the session settings; its {@code startMicros} is 0, the event header holds the seconds
 */
public record SourceQuery(long threadId, long execSeconds, int errorCode, String database, byte[] sql, int microseconds,
                   StatementContext sessionSettings) implements EventData {

    /** The settings with the statement's start time, from the event header's seconds and the logged fraction. */
    public StatementContext context(long headerSeconds) {
        StatementContext s = sessionSettings;
        long startMicros = headerSeconds * 1_000_000L + Math.max(microseconds, 0);
        return new StatementContext(startMicros, s.sqlMode(), s.foreignKeyChecks(), s.uniqueChecks(),
                s.sqlAutoIsNull(), s.autocommit(), s.autoIncrementIncrement(), s.autoIncrementOffset(),
                s.clientCollation(), s.connectionCollation(), s.serverCollation(), s.databaseCollation(), s.timeZone(),
                s.lcTimeNames(), s.explicitDefaultsForTimestamp(), s.defaultCollationForUtf8mb4(),
                s.sqlRequirePrimaryKey(), s.defaultTableEncryption());
    }

    /** Whether the statement is exactly {@code text} (BEGIN, COMMIT, ROLLBACK are logged as these bytes). */
    public boolean is(String text) {
        if (sql.length != text.length()) {
            return false;
        }
        for (int i = 0; i < sql.length; i++) {
            if (sql[i] != text.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
