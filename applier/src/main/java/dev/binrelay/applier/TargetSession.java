package dev.binrelay.applier;

import dev.binrelay.engine.event.RowContext;
import dev.binrelay.engine.event.StatementContext;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * One worker's target session, set the way the source session was for each change, like MySQL's replica (and
 * {@code mysqlbinlog} output) does it.
 * <ul>
 *   <li>Rows: foreign_key_checks, unique_checks and TIMESTAMP follow each rows event's flags and start time. The
 *   values in effect are tracked, so a SET is sent only when they change, not once per row.</li>
 *   <li>Statements: every setting the QUERY event carries is set before the statement and put back to the applier's
 *   own afterwards. character_set_client stays utf8mb4 because Connector/J sends the (decoded) text in UTF-8;
 *   collation_connection, which decides what a literal becomes, is the source's.</li>
 * </ul>
 * The applier's own session is set by the pool's connection init SQL ({@link JdbcApplier}); a connection returned
 * to the pool while not in that state must be evicted ({@link #atBaseline()}).
 *
 * <p>Not thread-safe: one worker uses it.
 */
final class TargetSession {
    /** What Connector/J sets (characterEncoding UTF-8, connectionCollation) and statements restore. */
    static final String CONNECTION_COLLATION = "utf8mb4_bin";
    static final String TIME_ZONE = "+00:00";
    /**
     * sql_mode bits MySQL 8.0 removed and refuses (error 3899), which a MySQL 8.0 source never logs but MariaDB does
     * (its default holds NO_AUTO_CREATE_USER): POSTGRESQL to MYSQL40 (0x100-0x20000) and NO_AUTO_CREATE_USER
     * (0x10000000). None changes how a statement runs on MySQL 8.0.
     */
    private static final long MODES_MYSQL_8_REMOVED = 0x3ff00L | 0x10000000L;
    private static final int REQUIRE_PRIMARY_KEY = 0;
    private static final int TABLE_ENCRYPTION = 1;

    private boolean foreignKeyChecks = true;
    private boolean uniqueChecks = true;
    /** 0: the server's clock (TIMESTAMP = DEFAULT). */
    private long timestampSeconds;
    /** What {@link #leaveStatement} must put back, or null outside a statement. */
    private String restore;
    /** This connection's own sql_require_primary_key and default_table_encryption, read once; null until then. */
    private boolean[] restricted;

    /** Whether this row's rows event ran under settings other than the session's current ones. */
    boolean differs(RowContext row) {
        return row != null && (row.foreignKeyChecks() != foreignKeyChecks || row.uniqueChecks() != uniqueChecks
                || row.timestampSeconds() != timestampSeconds);
    }

    /** Sets the session as the source's was for this row's rows event, when it differs from the current state. */
    void forRow(Connection connection, RowContext row) throws SQLException {
        if (!differs(row)) {
            return;
        }
        List<String> settings = new ArrayList<>(3);
        if (row.foreignKeyChecks() != foreignKeyChecks) {
            settings.add("foreign_key_checks = " + (row.foreignKeyChecks() ? 1 : 0));
        }
        if (row.uniqueChecks() != uniqueChecks) {
            settings.add("unique_checks = " + (row.uniqueChecks() ? 1 : 0));
        }
        if (row.timestampSeconds() != timestampSeconds) {
            settings.add("TIMESTAMP = " + (row.timestampSeconds() == 0 ? "DEFAULT" : row.timestampSeconds()));
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET " + String.join(", ", settings));
        }
        foreignKeyChecks = row.foreignKeyChecks();
        uniqueChecks = row.uniqueChecks();
        timestampSeconds = row.timestampSeconds();
    }

    /** Sets the source session's settings for a statement, in one round trip; run after USE. */
    void enterStatement(Statement statement, StatementContext source) throws SQLException {
        List<String> set = new ArrayList<>();
        List<String> back = new ArrayList<>();
        set.add("TIMESTAMP = " + source.startMicros() / 1_000_000 + "." + String.format("%06d",
                source.startMicros() % 1_000_000));
        back.add("TIMESTAMP = DEFAULT");
        add(set, back, "sql_mode", Long.toUnsignedString(source.sqlMode() & ~MODES_MYSQL_8_REMOVED),
                "'" + JdbcApplier.ROW_SQL_MODE + "'");
        add(set, back, "foreign_key_checks", flag(source.foreignKeyChecks()), "1");
        add(set, back, "unique_checks", flag(source.uniqueChecks()), "1");
        add(set, back, "sql_auto_is_null", flag(source.sqlAutoIsNull()), "DEFAULT");
        add(set, back, "auto_increment_increment", Integer.toString(source.autoIncrementIncrement()), "DEFAULT");
        add(set, back, "auto_increment_offset", Integer.toString(source.autoIncrementOffset()), "DEFAULT");
        if (source.connectionCollation() != 0) {
            add(set, back, "collation_connection", Integer.toString(source.connectionCollation()),
                    "'" + CONNECTION_COLLATION + "'");
        }
        if (source.serverCollation() != 0) {
            add(set, back, "collation_server", Integer.toString(source.serverCollation()), "DEFAULT");
        }
        if (source.databaseCollation() != 0) {
            // No way back but USE: the next statement's USE sets it from its database again.
            set.add("@@session.collation_database = " + source.databaseCollation());
        }
        if (source.timeZone() != null) {
            add(set, back, "time_zone", "'" + source.timeZone().replace("\\", "\\\\").replace("'", "''") + "'",
                    "'" + TIME_ZONE + "'");
        }
        add(set, back, "lc_time_names", Integer.toString(source.lcTimeNames()), "DEFAULT");
        if (source.explicitDefaultsForTimestamp() != null) {
            add(set, back, "explicit_defaults_for_timestamp", flag(source.explicitDefaultsForTimestamp()), "DEFAULT");
        }
        if (source.defaultCollationForUtf8mb4() != 0) {
            add(set, back, "default_collation_for_utf8mb4", Integer.toString(source.defaultCollationForUtf8mb4()),
                    "DEFAULT");
        }
        // Setting these needs SESSION_VARIABLES_ADMIN (or TABLE_ENCRYPTION_ADMIN) even to the same value, and every
        // CREATE TABLE logs sql_require_primary_key: set them only where the source differs from this session.
        if (source.sqlRequirePrimaryKey() != null
                && source.sqlRequirePrimaryKey() != restricted(statement)[REQUIRE_PRIMARY_KEY]) {
            add(set, back, "sql_require_primary_key", flag(source.sqlRequirePrimaryKey()), "DEFAULT");
        }
        if (source.defaultTableEncryption() != null
                && source.defaultTableEncryption() != restricted(statement)[TABLE_ENCRYPTION]) {
            add(set, back, "default_table_encryption", flag(source.defaultTableEncryption()), "DEFAULT");
        }
        restore = "SET " + String.join(", ", back);
        statement.execute("SET " + String.join(", ", set));
    }

    /** Puts the applier's own settings back after a statement that succeeded. */
    void leaveStatement(Statement statement) throws SQLException {
        if (restore == null) {
            return;
        }
        statement.execute(restore);
        restore = null;
        foreignKeyChecks = true;
        uniqueChecks = true;
        timestampSeconds = 0;
    }

    private boolean[] restricted(Statement statement) throws SQLException {
        if (restricted == null) {
            try (ResultSet row = statement.executeQuery("SELECT @@session.sql_require_primary_key, "
                    + "@@session.default_table_encryption")) {
                row.next();
                restricted = new boolean[] {row.getBoolean(1), row.getBoolean(2)};
            }
        }
        return restricted;
    }

    /** Whether the session is as the connection init SQL left it, so the connection may go back to the pool. */
    boolean atBaseline() {
        return restore == null && foreignKeyChecks && uniqueChecks && timestampSeconds == 0;
    }

    /** The worker has a new connection: it starts from the init SQL's state. */
    void reset() {
        restore = null;
        restricted = null;
        foreignKeyChecks = true;
        uniqueChecks = true;
        timestampSeconds = 0;
    }

    private static void add(List<String> set, List<String> back, String variable, String value, String baseline) {
        set.add("@@session." + variable + " = " + value);
        back.add("@@session." + variable + " = " + baseline);
    }

    private static String flag(boolean on) {
        return on ? "1" : "0";
    }
}
