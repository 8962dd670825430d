package dev.binrelay.applier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * When JSON text carries a binary JSON value exactly, and what is written when it does not; values are built by
 * hand in MySQL's binary format ({@code json_binary.h}, little-endian). TypeMatrixReplicationTest checks the same
 * against real servers.
 */
class JsonSqlTest {
    private static final int INT16 = 0x05;
    private static final int UINT16 = 0x06;
    private static final int INT32 = 0x07;
    private static final int INT64 = 0x09;
    private static final int UINT64 = 0x0A;
    private static final int DOUBLE = 0x0B;

    @Test
    void integersAreExactAsTextOnlyWhereMySqlsParserPicksTheSameSignedness() {
        assertThat(JsonSql.textIsExact(scalar(INT16, 2, 5))).isTrue();
        assertThat(JsonSql.textIsExact(scalar(INT32, 4, -5))).isTrue();
        assertThat(JsonSql.textIsExact(scalar(UINT16, 2, 5))).as("5 as text parses as a signed integer").isFalse();
        assertThat(JsonSql.textIsExact(scalar(INT64, 8, 5_000_000_000L))).as("as text it parses as unsigned")
                .isFalse();
        assertThat(JsonSql.textIsExact(scalar(UINT64, 8, 5_000_000_000L))).isTrue();
        assertThat(JsonSql.text(scalar(UINT64, 8, -1))).isEqualTo("18446744073709551615");
    }

    @Test
    void doublesAreExactAsTextOnlyWhereMySqlsParserRoundsThemCorrectly() {
        assertThat(JsonSql.textIsExact(scalar(DOUBLE, 8, Double.doubleToLongBits(0.1)))).isTrue();
        assertThat(JsonSql.textIsExact(scalar(DOUBLE, 8, Double.doubleToLongBits(-0.0)))).isTrue();
        assertThat(JsonSql.textIsExact(scalar(DOUBLE, 8, Double.doubleToLongBits(0.30000000000000004)))).isFalse();
        assertThat(JsonSql.textIsExact(scalar(DOUBLE, 8, Double.doubleToLongBits(1e300)))).isFalse();
        assertThat(JsonSql.expression(scalar(DOUBLE, 8, Double.doubleToLongBits(-0.0))))
                .isEqualTo("JSON_EXTRACT(JSON_ARRAY(-0.0E0), '$[0]')");
    }

    @Test
    void objectsAndArraysBecomeTextWithJsonEscapesOrTypedSql() {
        // {"a": "q\"\\<newline><U+0001>"}: count, size, key entry (offset, length), value entry (type, offset),
        // the key, the string (its length, its bytes)
        byte[] object = bytes(0x00, 1, 0, 18, 0, 11, 0, 1, 0, 0x0C, 12, 0, 'a', 5, 'q', '"', '\\', '\n', 1);
        assertThat(JsonSql.text(object)).isEqualTo("{\"a\": \"q\\\"\\\\\\n\\u0001\"}");
        assertThat(JsonSql.expression(object)).isEqualTo("JSON_OBJECT(_utf8mb4 X'61', _utf8mb4 X'71225c0a01')");
        // [5, true] with both values inlined in their entries
        byte[] array = bytes(0x02, 2, 0, 10, 0, INT16, 5, 0, 0x04, 1, 0);
        assertThat(JsonSql.text(array)).isEqualTo("[5, true]");
        assertThat(JsonSql.expression(array)).isEqualTo("JSON_ARRAY(CAST(5 AS SIGNED), CAST('true' AS JSON))");
    }

    @Test
    void binaryDataOfAFieldTypeNoSqlBuildsIsRefused() {
        byte[] blob = bytes(0x0F, 252, 2, 0x00, 0xFF); // what JSON_ARRAY(blob_column) holds, unwrapped
        assertThat(JsonSql.textIsExact(blob)).isFalse();
        assertThatThrownBy(() -> JsonSql.expression(blob)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("field type 252");
        assertThat(JsonSql.expression(bytes(0x0F, 15, 2, 0x00, 0xFF))).contains("_binary X'00ff'");
    }

    private static byte[] scalar(int type, int width, long value) {
        ByteBuffer buffer = ByteBuffer.allocate(1 + width).order(ByteOrder.LITTLE_ENDIAN);
        buffer.put((byte) type);
        switch (width) {
            case 2 -> buffer.putShort((short) value);
            case 4 -> buffer.putInt((int) value);
            default -> buffer.putLong(value);
        }
        return buffer.array();
    }

    private static byte[] bytes(int... values) {
        byte[] result = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = (byte) values[i];
        }
        return result;
    }
}
