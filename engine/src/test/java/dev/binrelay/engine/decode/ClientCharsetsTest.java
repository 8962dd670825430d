package dev.binrelay.engine.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Statement text decoded from character_set_client, by collation id. */
class ClientCharsetsTest {
    private static final int UTF8MB4_0900_AI_CI = 255;
    private static final int UTF8MB3_GENERAL_CI = 33;
    private static final int LATIN1_SWEDISH_CI = 8;
    private static final int GBK_CHINESE_CI = 28;
    private static final int BINARY = 63;
    private static final int SWE7_SWEDISH_CI = 10;

    @Test
    void utf8AndGbkDecodeToTheSameText() {
        String text = "COMMENT 'caf\u00e9 \u4e2d\u6587'";
        assertThat(ClientCharsets.decode(text.getBytes(StandardCharsets.UTF_8), UTF8MB4_0900_AI_CI)).isEqualTo(text);
        assertThat(ClientCharsets.decode(text.getBytes(StandardCharsets.UTF_8), UTF8MB3_GENERAL_CI)).isEqualTo(text);
        assertThat(ClientCharsets.decode(text.getBytes(Charset.forName("GBK")), GBK_CHINESE_CI)).isEqualTo(text);
    }

    @Test
    void latin1IsMysqlsCp1252WithTheUndefinedBytesAsC1Controls() {
        byte[] bytes = {(byte) 0xE9, (byte) 0x80, (byte) 0x81, (byte) 0x9D, (byte) 0xFF};
        assertThat(ClientCharsets.decode(bytes, LATIN1_SWEDISH_CI)).isEqualTo("\u00e9\u20ac\u0081\u009d\u00ff");
    }

    @Test
    void bytesNotValidInTheClientCharsetAreAnErrorNotAReplacementCharacter() {
        assertThatThrownBy(() -> ClientCharsets.decode(new byte[] {'x', (byte) 0xC3}, UTF8MB4_0900_AI_CI))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not valid utf8mb4");
        assertThatThrownBy(() -> ClientCharsets.decode(new byte[] {(byte) 0xFF}, BINARY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not valid binary");
    }

    @Test
    void aCharsetWithoutJavaEquivalentOrAnUnknownIdIsNamedInTheError() {
        assertThatThrownBy(() -> ClientCharsets.decode(new byte[] {'x'}, SWE7_SWEDISH_CI))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("swe7");
        assertThatThrownBy(() -> ClientCharsets.decode(new byte[] {'x'}, 999))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("999");
    }
}
