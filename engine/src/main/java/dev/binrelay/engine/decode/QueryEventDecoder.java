package dev.binrelay.engine.decode;

import dev.binrelay.engine.event.StatementContext;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDataDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Decodes a QUERY event completely (the library keeps only the text, decoded with the JVM's charset): post-header,
 * every status variable, default database, statement bytes. The layout is MySQL's
 * ({@code libbinlogevents/src/statement_events.cpp}, {@code Query_event}): status variables are a code byte and a
 * value whose length depends on the code, so an unknown code cannot be skipped and is an error.
 */
final class QueryEventDecoder implements EventDataDeserializer<SourceQuery> {
    private static final int Q_FLAGS2 = 0;
    private static final int Q_SQL_MODE = 1;
    private static final int Q_CATALOG = 2;
    private static final int Q_AUTO_INCREMENT = 3;
    private static final int Q_CHARSET = 4;
    private static final int Q_TIME_ZONE = 5;
    private static final int Q_CATALOG_NZ = 6;
    private static final int Q_LC_TIME_NAMES = 7;
    private static final int Q_CHARSET_DATABASE = 8;
    private static final int Q_TABLE_MAP_FOR_UPDATE = 9;
    private static final int Q_MASTER_DATA_WRITTEN = 10;
    private static final int Q_INVOKER = 11;
    private static final int Q_UPDATED_DB_NAMES = 12;
    private static final int Q_MICROSECONDS = 13;
    private static final int Q_EXPLICIT_DEFAULTS_FOR_TIMESTAMP = 16;
    private static final int Q_DDL_LOGGED_WITH_XID = 17;
    private static final int Q_DEFAULT_COLLATION_FOR_UTF8MB4 = 18;
    private static final int Q_SQL_REQUIRE_PRIMARY_KEY = 19;
    private static final int Q_DEFAULT_TABLE_ENCRYPTION = 20;
    // MariaDB's own codes (sql/log_event.h), read only to step over them; Q_HRNOW is its Q_MICROSECONDS.
    private static final int Q_HRNOW = 128;
    private static final int Q_XID = 129;
    /** One flags byte, then the START ALTER's sequence number (8 bytes) when it commits or rolls back one. */
    private static final int Q_GTID_FLAGS3 = 130;
    private static final int FL_COMMIT_OR_ROLLBACK_ALTER = 4 | 8;
    /** MariaDB 11.2+: a count, then per entry a character set id and its default collation id (2 + 2 bytes). */
    private static final int Q_CHARACTER_SET_COLLATIONS = 131;
    /** Above this many databases, Q_UPDATED_DB_NAMES carries the count alone (MAX_DBS_IN_EVENT_MTS). */
    private static final int MAX_DBS_IN_EVENT_MTS = 16;

    private static final int OPTION_AUTO_IS_NULL = 0x4000;
    private static final int OPTION_NOT_AUTOCOMMIT = 0x80000;
    private static final int OPTION_NO_FOREIGN_KEY_CHECKS = 0x4000000;
    private static final int OPTION_RELAXED_UNIQUE_CHECKS = 0x8000000;

    @Override
    public SourceQuery deserialize(ByteArrayInputStream in) throws IOException {
        long threadId = in.readLong(4);
        long execSeconds = in.readLong(4);
        int databaseLength = in.readInteger(1);
        int errorCode = in.readInteger(2);
        int statusLength = in.readInteger(2);
        Status status = new Status();
        ByteBuffer vars = ByteBuffer.wrap(in.read(statusLength)).order(ByteOrder.LITTLE_ENDIAN);
        try {
            while (vars.hasRemaining()) {
                status.read(vars.get() & 0xFF, vars);
            }
        } catch (BufferUnderflowException e) {
            throw new IOException("QUERY event: status variables end inside a value (" + statusLength + " bytes)", e);
        }
        String database = new String(in.read(databaseLength), StandardCharsets.UTF_8);
        in.read(1); // the database name's terminating zero
        byte[] sql = in.read(in.available());
        return new SourceQuery(threadId, execSeconds, errorCode, database, sql, status.microseconds,
                status.settings());
    }

    /** The status variables read so far, with MySQL's values for those not logged. */
    private static final class Status {
        int flags2;
        long sqlMode;
        int autoIncrementIncrement = 1;
        int autoIncrementOffset = 1;
        int clientCollation;
        int connectionCollation;
        int serverCollation;
        int databaseCollation;
        String timeZone;
        int lcTimeNames;
        int microseconds = -1;
        Boolean explicitDefaultsForTimestamp;
        int defaultCollationForUtf8mb4;
        Boolean sqlRequirePrimaryKey;
        Boolean defaultTableEncryption;

        void read(int code, ByteBuffer in) throws IOException {
            switch (code) {
                case Q_FLAGS2 -> flags2 = in.getInt();
                case Q_SQL_MODE -> sqlMode = in.getLong();
                case Q_CATALOG -> skip(in, (in.get() & 0xFF) + 1); // 5.0.0-5.0.3: length, name, zero
                case Q_AUTO_INCREMENT -> {
                    autoIncrementIncrement = in.getShort() & 0xFFFF;
                    autoIncrementOffset = in.getShort() & 0xFFFF;
                }
                case Q_CHARSET -> {
                    clientCollation = in.getShort() & 0xFFFF;
                    connectionCollation = in.getShort() & 0xFFFF;
                    serverCollation = in.getShort() & 0xFFFF;
                }
                case Q_TIME_ZONE -> {
                    byte[] name = new byte[in.get() & 0xFF];
                    in.get(name);
                    timeZone = new String(name, StandardCharsets.UTF_8);
                }
                case Q_CATALOG_NZ -> skip(in, in.get() & 0xFF);
                case Q_LC_TIME_NAMES -> lcTimeNames = in.getShort() & 0xFFFF;
                case Q_CHARSET_DATABASE -> databaseCollation = in.getShort() & 0xFFFF;
                case Q_TABLE_MAP_FOR_UPDATE -> skip(in, 8);
                case Q_MASTER_DATA_WRITTEN -> skip(in, 4);
                case Q_INVOKER -> {
                    skip(in, in.get() & 0xFF); // user
                    skip(in, in.get() & 0xFF); // host
                }
                case Q_UPDATED_DB_NAMES -> {
                    int count = in.get() & 0xFF;
                    for (int i = 0; count <= MAX_DBS_IN_EVENT_MTS && i < count; i++) {
                        while (in.get() != 0) {
                            // each name ends with a zero byte
                        }
                    }
                }
                case Q_MICROSECONDS, Q_HRNOW -> microseconds = (in.get() & 0xFF) | (in.get() & 0xFF) << 8
                        | (in.get() & 0xFF) << 16;
                case Q_EXPLICIT_DEFAULTS_FOR_TIMESTAMP -> explicitDefaultsForTimestamp = in.get() != 0;
                case Q_DDL_LOGGED_WITH_XID -> skip(in, 8);
                case Q_DEFAULT_COLLATION_FOR_UTF8MB4 -> defaultCollationForUtf8mb4 = in.getShort() & 0xFFFF;
                case Q_SQL_REQUIRE_PRIMARY_KEY -> sqlRequirePrimaryKey = in.get() != 0;
                case Q_DEFAULT_TABLE_ENCRYPTION -> defaultTableEncryption = in.get() != 0;
                case Q_XID -> skip(in, 8);
                case Q_GTID_FLAGS3 -> {
                    if ((in.get() & FL_COMMIT_OR_ROLLBACK_ALTER) != 0) {
                        skip(in, 8);
                    }
                }
                // The default collations a MariaDB session set for its character sets: MariaDB-only collations,
                // which a MySQL target does not know; the statement is replayed with the target's defaults.
                case Q_CHARACTER_SET_COLLATIONS -> skip(in, (in.get() & 0xFF) * 4);
                default -> throw new IOException("QUERY event: unknown status variable code " + code + " (MySQL 8.0 "
                        + "logs codes 0-13 and 16-20, MariaDB 128-131); its length is unknown, so the event cannot be read");
            }
        }

        StatementContext settings() {
            return new StatementContext(0, sqlMode, (flags2 & OPTION_NO_FOREIGN_KEY_CHECKS) == 0,
                    (flags2 & OPTION_RELAXED_UNIQUE_CHECKS) == 0, (flags2 & OPTION_AUTO_IS_NULL) != 0,
                    (flags2 & OPTION_NOT_AUTOCOMMIT) == 0, autoIncrementIncrement, autoIncrementOffset,
                    clientCollation, connectionCollation, serverCollation, databaseCollation, timeZone, lcTimeNames,
                    explicitDefaultsForTimestamp, defaultCollationForUtf8mb4, sqlRequirePrimaryKey,
                    defaultTableEncryption);
        }

        private static void skip(ByteBuffer in, int bytes) {
            if (bytes > in.remaining()) {
                throw new BufferUnderflowException();
            }
            in.position(in.position() + bytes);
        }
    }
}
