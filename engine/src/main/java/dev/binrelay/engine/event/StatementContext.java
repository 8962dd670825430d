package dev.binrelay.engine.event;

/**
 * The source session's settings a statement ran with, as its QUERY event logged them. The target runs the statement
 * with the same settings, as {@code mysqlbinlog} output does, so that what depends on them (sql_mode, the time zone of
 * a TIMESTAMP default, the statement's NOW(), the collation of a literal) comes out the same.
 *
 * <p>Values the source did not log keep MySQL's meaning of their absence: auto_increment 1/1, lc_time_names 0
 * (en_US); the others below are 0 or null when not logged, and the target then leaves its own setting.
 *
 * @param startMicros                  when the statement started on the source, epoch microseconds (its NOW())
 * @param sqlMode                      sql_mode, as MySQL's bit set
 * @param foreignKeyChecks             foreign_key_checks
 * @param uniqueChecks                 unique_checks
 * @param sqlAutoIsNull                sql_auto_is_null
 * @param autocommit                   autocommit (for the record: the target applier manages its own transactions)
 * @param autoIncrementIncrement       auto_increment_increment
 * @param autoIncrementOffset          auto_increment_offset
 * @param clientCollation              character_set_client, as a collation id; the SQL text was decoded with it
 * @param connectionCollation          collation_connection id, 0 if not logged
 * @param serverCollation              collation_server id, 0 if not logged
 * @param databaseCollation            collation_database id, 0 when it was the default database's own
 * @param timeZone                     time_zone, or null when the statement did not use it
 * @param lcTimeNames                  lc_time_names, as MySQL's locale number
 * @param explicitDefaultsForTimestamp explicit_defaults_for_timestamp, or null if not logged
 * @param defaultCollationForUtf8mb4   default_collation_for_utf8mb4 id, 0 if not logged
 * @param sqlRequirePrimaryKey         sql_require_primary_key, or null if not logged
 * @param defaultTableEncryption       default_table_encryption, or null if not logged
 */
public record StatementContext(long startMicros, long sqlMode, boolean foreignKeyChecks, boolean uniqueChecks,
                               boolean sqlAutoIsNull, boolean autocommit, int autoIncrementIncrement,
                               int autoIncrementOffset, int clientCollation, int connectionCollation,
                               int serverCollation, int databaseCollation, String timeZone, int lcTimeNames,
                               Boolean explicitDefaultsForTimestamp, int defaultCollationForUtf8mb4,
                               Boolean sqlRequirePrimaryKey, Boolean defaultTableEncryption) {
}
