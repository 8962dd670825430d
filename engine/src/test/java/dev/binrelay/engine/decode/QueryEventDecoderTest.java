package dev.binrelay.engine.decode;

import dev.binrelay.engine.event.StatementContext;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** QUERY events laid out as MySQL writes them (statement_events.cpp), every status variable in code order. */
class QueryEventDecoderTest {

    @Test
    void everyStatusVariableIsReadOrSkippedByItsLengthAndTheSessionSettingsAreKept() throws IOException {
        Body status = new Body()
                .u8(0).u32(0x4000 | 0x4000000 | 0x8000000 | 0x80000)          // Q_FLAGS2: auto_is_null, no FK, relaxed unique, not autocommit
                .u8(1).u64(4 | (1L << 20))                                      // Q_SQL_MODE: ANSI_QUOTES, NO_BACKSLASH_ESCAPES
                .u8(2).u8(3).bytes("std").u8(0)                                 // Q_CATALOG (5.0.0-5.0.3)
                .u8(3).u16(5).u16(2)                                            // Q_AUTO_INCREMENT
                .u8(4).u16(8).u16(28).u16(255)                                  // Q_CHARSET: latin1, gbk_chinese_ci, utf8mb4_0900_ai_ci
                .u8(5).u8(6).bytes("+05:30")                                    // Q_TIME_ZONE
                .u8(6).u8(3).bytes("std")                                       // Q_CATALOG_NZ
                .u8(7).u16(6)                                                   // Q_LC_TIME_NAMES: ar_AE
                .u8(8).u16(33)                                                  // Q_CHARSET_DATABASE
                .u8(9).u64(7)                                                   // Q_TABLE_MAP_FOR_UPDATE
                .u8(10).u32(1234)                                               // Q_MASTER_DATA_WRITTEN
                .u8(11).u8(3).bytes("app").u8(9).bytes("localhost")            // Q_INVOKER
                .u8(12).u8(2).bytes("a").u8(0).bytes("bb").u8(0)                // Q_UPDATED_DB_NAMES
                .u8(13).u8(0x40).u8(0xE2).u8(0x01)                              // Q_MICROSECONDS: 123456
                .u8(16).u8(1)                                                   // Q_EXPLICIT_DEFAULTS_FOR_TIMESTAMP
                .u8(17).u64(99)                                                 // Q_DDL_LOGGED_WITH_XID
                .u8(18).u16(45)                                                 // Q_DEFAULT_COLLATION_FOR_UTF8MB4
                .u8(19).u8(1)                                                   // Q_SQL_REQUIRE_PRIMARY_KEY
                .u8(20).u8(0);                                                  // Q_DEFAULT_TABLE_ENCRYPTION

        SourceQuery query = decode(event(status, "shop", "CREATE TABLE t (a INT) COMMENT 'caf\u00e9'",
                StandardCharsets.ISO_8859_1));

        assertThat(query.threadId()).isEqualTo(77);
        assertThat(query.execSeconds()).isEqualTo(3);
        assertThat(query.errorCode()).isZero();
        assertThat(query.database()).isEqualTo("shop");
        assertThat(query.microseconds()).isEqualTo(123456);
        assertThat(query.sql()).isEqualTo("CREATE TABLE t (a INT) COMMENT 'caf\u00e9'".getBytes(
                StandardCharsets.ISO_8859_1));
        assertThat(query.context(1_000_000_000L)).isEqualTo(new StatementContext(1_000_000_000_123_456L,
                4 | (1L << 20), false, false, true, false, 5, 2, 8, 28, 255, 33, "+05:30", 6, true, 45, true, false));
    }

    @Test
    void absentStatusVariablesMeanMysqlDefaults() throws IOException {
        SourceQuery query = decode(event(new Body().u8(0).u32(0).u8(1).u64(0).u8(4).u16(255).u16(255).u16(255),
                "", "DROP TABLE t", StandardCharsets.UTF_8));

        assertThat(query.microseconds()).isEqualTo(-1);
        assertThat(query.context(5)).isEqualTo(new StatementContext(5_000_000L, 0, true, true, false, true, 1, 1,
                255, 255, 255, 0, null, 0, null, 0, null, null));
        assertThat(query.is("DROP TABLE t")).isTrue();
        assertThat(query.is("BEGIN")).isFalse();
    }

    @Test
    void updatedDatabaseNamesAboveTheLimitCarryTheCountAlone() throws IOException {
        SourceQuery query = decode(event(new Body().u8(12).u8(254).u8(13).u8(1).u8(0).u8(0), "", "DROP DATABASE x",
                StandardCharsets.UTF_8));

        assertThat(query.microseconds()).isEqualTo(1);
    }

    @Test
    void anUnknownStatusVariableIsAnErrorBecauseItsLengthIsUnknown() {
        // Q_COMMIT_TS (14) is not written by MySQL 8.0 and not read by MySQL's own decoder either.
        assertThatThrownBy(() -> decode(event(new Body().u8(0).u32(0).u8(14).u64(1), "", "DROP TABLE t",
                StandardCharsets.UTF_8))).isInstanceOf(IOException.class)
                .hasMessageContaining("unknown status variable code 14");
    }

    @Test
    void statusVariablesCutInsideAValueAreAnError() {
        assertThatThrownBy(() -> decode(event(new Body().u8(5).u8(10).bytes("UTC"), "", "DROP TABLE t",
                StandardCharsets.UTF_8))).isInstanceOf(IOException.class).hasMessageContaining("end inside a value");
    }

    private static SourceQuery decode(byte[] body) throws IOException {
        return new QueryEventDecoder().deserialize(new ByteArrayInputStream(body));
    }

    private static byte[] event(Body status, String database, String sql, java.nio.charset.Charset charset) {
        byte[] vars = status.out.toByteArray();
        return new Body().u32(77).u32(3).u8(database.length()).u16(0).u16(vars.length).raw(vars).bytes(database)
                .u8(0).raw(sql.getBytes(charset)).out.toByteArray();
    }

    /** Little-endian bytes, as the binary log stores numbers. */
    private static final class Body {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Body u8(int value) {
            out.write(value);
            return this;
        }

        Body u16(int value) {
            return u8(value & 0xFF).u8(value >>> 8 & 0xFF);
        }

        Body u32(long value) {
            return u16((int) (value & 0xFFFF)).u16((int) (value >>> 16 & 0xFFFF));
        }

        Body u64(long value) {
            return u32(value & 0xFFFFFFFFL).u32(value >>> 32);
        }

        Body bytes(String ascii) {
            return raw(ascii.getBytes(StandardCharsets.US_ASCII));
        }

        Body raw(byte[] bytes) {
            out.writeBytes(bytes);
            return this;
        }
    }
}
