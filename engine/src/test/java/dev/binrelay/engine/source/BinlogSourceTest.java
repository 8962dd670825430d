package dev.binrelay.engine.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDataDeserializationException;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;

class BinlogSourceTest {
    @Test
    void aTlsConnectionCutInsideAnEventIsABrokenConnectionNotABadEvent() {
        // What the library reports when the proxy or network cuts a TLS connection while an event's data is read.
        SSLException cut = new SSLException("Connection has closed", new SocketException("Connection reset"));

        assertThat(BinlogSource.brokenConnection(new EventDataDeserializationException(new EventHeaderV4(), cut)))
                .isTrue();
        assertThat(BinlogSource.brokenConnection(new EventDataDeserializationException(new EventHeaderV4(),
                new EOFException()))).isTrue();
    }

    @Test
    void dataThatCannotBeDecodedIsNotABrokenConnection() {
        assertThat(BinlogSource.brokenConnection(new EventDataDeserializationException(new EventHeaderV4(),
                new IOException("Unsupported column type 99")))).isFalse();
        assertThat(BinlogSource.brokenConnection(new EventDataDeserializationException(new EventHeaderV4(),
                new IllegalArgumentException("bad JSON")))).isFalse();
    }
}
