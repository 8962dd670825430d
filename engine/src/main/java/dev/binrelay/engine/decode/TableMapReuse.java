package dev.binrelay.engine.decode;

import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventData;
import com.github.shyiko.mysql.binlog.event.EventHeader;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.FormatDescriptionEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.ChecksumType;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventHeaderDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The library's deserializer, except that a TABLE_MAP whose body is byte for byte the last one seen for its table id
 * is not decoded again: its decoded form is reused (the source logs the same TABLE_MAP in every transaction that
 * writes the table, and decoding its metadata, names and charsets cost more than the rows of a small transaction).
 * A table whose definition changed gets a new table id or different bytes, so it is decoded afresh.
 *
 * <p>The body is compared without the event's checksum (which covers the header, whose position and time differ),
 * whose length this class follows as the library does: from the client's checksum setting and from each
 * FORMAT_DESCRIPTION.
 *
 * <p>Each event is read whole into an array first and decoded from it ({@link ArrayReader}).
 *
 * <p>Used by the reader's single thread, like the library's deserializer.
 */
final class TableMapReuse extends EventDeserializer {
    /** The v4 event header (MySQL since 5.0, MariaDB): timestamp, type, server id, length, next position, flags. */
    private static final int HEADER_LENGTH = 19;
    private static final int TYPE_OFFSET = 4;
    private static final int EVENT_LENGTH_OFFSET = 9;

    /** Table ids remembered: far more tables than a source writes to at once. */
    static final int CAPACITY = 1024;

    private final Map<Long, TableMapEventData> tableMaps;
    private final Map<Long, Decoded> last = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Decoded> eldest) {
            return size() > CAPACITY;
        }
    };
    private int checksumLength;
    private long reused;

    /** As the library's four-argument constructor; {@code tableMaps} is the map the rows decoders read. */
    TableMapReuse(EventHeaderDeserializer<?> headers, EventDataDeserializer<?> fallback,
                  Map<EventType, EventDataDeserializer> decoders, Map<Long, TableMapEventData> tableMaps) {
        super(headers, fallback, decoders, tableMaps);
        this.tableMaps = tableMaps;
    }

    @Override
    public void setChecksumType(ChecksumType checksumType) {
        super.setChecksumType(checksumType);
        checksumLength = checksumType.getLength();
    }

    /**
     * Reads the next event whole into an array (its length is in its header) and decodes it from there: the library
     * would read the header and every event but a rows event's body byte by byte from the socket's stream. A failure
     * to decode the event leaves {@code in} at the next event.
     */
    @Override
    public Event nextEvent(ByteArrayInputStream in) throws IOException {
        if (in.peek() == -1) {
            return null;
        }
        byte[] bytes = new byte[HEADER_LENGTH];
        in.fill(bytes, 0, HEADER_LENGTH);
        long length = (bytes[EVENT_LENGTH_OFFSET] & 0xFFL) | (bytes[EVENT_LENGTH_OFFSET + 1] & 0xFFL) << 8
                | (bytes[EVENT_LENGTH_OFFSET + 2] & 0xFFL) << 16 | (bytes[EVENT_LENGTH_OFFSET + 3] & 0xFFL) << 24;
        if (length < HEADER_LENGTH || length > Integer.MAX_VALUE - 8) {
            throw new IOException("binlog event of type " + (bytes[TYPE_OFFSET] & 0xFF) + " gives its length as "
                    + length + " bytes, outside " + HEADER_LENGTH + " to 2 GiB");
        }
        bytes = Arrays.copyOf(bytes, (int) length);
        in.fill(bytes, HEADER_LENGTH, (int) length - HEADER_LENGTH);
        Event event = super.nextEvent(new ArrayReader(bytes));
        if (event != null && event.getData() instanceof FormatDescriptionEventData format) {
            checksumLength = format.getChecksumType().getLength(); // as the library sets its own
        }
        return event;
    }

    @Override
    public EventData deserializeTableMapEventData(ByteArrayInputStream in, EventHeader header) throws IOException {
        int length = (int) header.getDataLength(); // the body and the checksum: what the library reads
        ArrayReader event = in instanceof ArrayReader array ? array.slice(length) : new ArrayReader(in.read(length));
        int body = length - checksumLength;
        long tableId = tableId(event);
        Decoded known = last.get(tableId);
        if (known != null && known.body.length == body && event.nextBytesEqual(known.body)) {
            tableMaps.put(tableId, known.map);
            reused++;
            return known.map;
        }
        byte[] copy = event.copyOfNext(body);
        EventData data = super.deserializeTableMapEventData(event, header);
        if (data instanceof TableMapEventData map && map.getTableId() == tableId) {
            last.put(tableId, new Decoded(copy, map));
        }
        return data;
    }

    /** TABLE_MAPs not decoded again, for tests. */
    long reused() {
        return reused;
    }

    /** The table id: the first six bytes of the body, little-endian. */
    private static long tableId(ArrayReader event) throws IOException {
        long id = 0;
        for (int i = 0; i < Math.min(6, event.available()); i++) {
            id |= (long) event.byteAt(i) << (8 * i);
        }
        return id;
    }

    private record Decoded(byte[] body, TableMapEventData map) {
    }
}
