package dev.binrelay.engine.decode;

import com.github.luben.zstd.ZstdInputStream;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventData;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.TransactionPayloadEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.ColumnType;
import com.github.shyiko.mysql.binlog.event.deserialization.DeleteRowsEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.GtidEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer.CompatibilityMode;
import com.github.shyiko.mysql.binlog.event.deserialization.NullEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.UpdateRowsEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.WriteRowsEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventHeaderV4Deserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;

/**
 * Builds the binlog library's {@link EventDeserializer} the way binrelay needs it: strings and binaries as bytes
 * (the charset is applied by the target, never guessed here), temporal values decoded exactly by
 * {@link TemporalCells}, QUERY events with their session status ({@link QueryEventDecoder}), rows events with their
 * flags ({@link FlaggedRows}), and compressed TRANSACTION_PAYLOAD events unwrapped with the same rules (the library's
 * own payload decoder would fall back to its lossy defaults).
 */
public final class EventDecoding {

    private static final EnumSet<EventType> ROWS_EVENTS = EnumSet.of(EventType.WRITE_ROWS, EventType.EXT_WRITE_ROWS,
            EventType.UPDATE_ROWS, EventType.EXT_UPDATE_ROWS, EventType.DELETE_ROWS, EventType.EXT_DELETE_ROWS);

    private static final EnumSet<EventType> TRANSACTION_BEGINNINGS = EnumSet.of(EventType.GTID,
            EventType.ANONYMOUS_GTID, EventType.MARIADB_GTID);

    private EventDecoding() {
    }

    public static EventDeserializer newDeserializer() {
        return newDeserializer(new HashMap<>());
    }

    /**
     * A deserializer whose table maps by id are {@code tableMaps}: the library fills it on every TABLE_MAP, and it is
     * emptied when a transaction begins (GTID, ANONYMOUS_GTID, MariaDB's GTID), since a transaction's TABLE_MAPs come
     * inside it and a table reopened on the source gets a new id each time.
     */
    public static EventDeserializer newDeserializer(Map<Long, TableMapEventData> tableMaps) {
        return newDeserializer(tableMaps, true);
    }

    /** As {@link #newDeserializer(Map)}; without {@code reuseTableMaps} every TABLE_MAP is decoded (for tests). */
    static EventDeserializer newDeserializer(Map<Long, TableMapEventData> tableMaps, boolean reuseTableMaps) {
        EventDeserializer deserializer = reuseTableMaps
                ? new TableMapReuse(new EventHeaderV4Deserializer(), new NullEventDataDeserializer(),
                        new EnumMap<>(EventType.class), tableMaps)
                : new EventDeserializer(new EventHeaderV4Deserializer(), new NullEventDataDeserializer(),
                        new EnumMap<>(EventType.class), tableMaps);
        // The four-argument constructor registers nothing: register the library's defaults first, then ours.
        EventDeserializer defaults = new EventDeserializer();
        for (EventType type : EventType.values()) {
            EventDataDeserializer<?> standard = defaults.getEventDataDeserializer(type);
            if (standard != null && !(standard instanceof NullEventDataDeserializer)) {
                deserializer.setEventDataDeserializer(type, standard);
            }
        }
        // The library leaves ANONYMOUS_GTID undecoded; it has the GTID event's layout, logical clock included.
        deserializer.setEventDataDeserializer(EventType.ANONYMOUS_GTID, new GtidEventDataDeserializer());
        deserializer.setEventDataDeserializer(EventType.QUERY, new QueryEventDecoder());
        deserializer.setEventDataDeserializer(EventType.WRITE_ROWS, new ExactWriteRows(tableMaps));
        deserializer.setEventDataDeserializer(EventType.EXT_WRITE_ROWS,
                new ExactWriteRows(tableMaps).setMayContainExtraInformation(true));
        deserializer.setEventDataDeserializer(EventType.UPDATE_ROWS, new ExactUpdateRows(tableMaps));
        deserializer.setEventDataDeserializer(EventType.EXT_UPDATE_ROWS,
                new ExactUpdateRows(tableMaps).setMayContainExtraInformation(true));
        deserializer.setEventDataDeserializer(EventType.DELETE_ROWS, new ExactDeleteRows(tableMaps));
        deserializer.setEventDataDeserializer(EventType.EXT_DELETE_ROWS,
                new ExactDeleteRows(tableMaps).setMayContainExtraInformation(true));
        deserializer.setEventDataDeserializer(EventType.TRANSACTION_PAYLOAD, new PayloadDeserializer());
        // The compatibility mode reaches only the library's own rows decoders, so wrap them after setting it.
        deserializer.setCompatibilityMode(CompatibilityMode.CHAR_AND_BINARY_AS_BYTE_ARRAY);
        for (EventType rows : ROWS_EVENTS) {
            deserializer.setEventDataDeserializer(rows,
                    new FlaggedRowsDecoder(deserializer.getEventDataDeserializer(rows)));
        }
        for (EventType begins : TRANSACTION_BEGINNINGS) {
            EventDataDeserializer<?> decoder = deserializer.getEventDataDeserializer(begins);
            deserializer.setEventDataDeserializer(begins, new ForgetsTableMaps<>(
                    decoder != null ? decoder : new NullEventDataDeserializer(), tableMaps));
        }
        return deserializer;
    }

    /** Decodes a transaction's first event after emptying the table maps of the transactions before it. */
    private static final class ForgetsTableMaps<T extends EventData> implements EventDataDeserializer<T> {
        private final EventDataDeserializer<T> decoder;
        private final Map<Long, TableMapEventData> tableMaps;

        ForgetsTableMaps(EventDataDeserializer<T> decoder, Map<Long, TableMapEventData> tableMaps) {
            this.decoder = decoder;
            this.tableMaps = tableMaps;
        }

        @Override
        public T deserialize(ByteArrayInputStream in) throws IOException {
            tableMaps.clear();
            return decoder.deserialize(in);
        }
    }

    /** Unwraps a compressed transaction into its inner events, decoded by a deserializer built like ours. */
    public static final class PayloadDeserializer implements EventDataDeserializer<TransactionPayloadEventData> {
        private static final int HEADER_END = 0;
        private static final int PAYLOAD_SIZE = 1;
        private static final int COMPRESSION_TYPE = 2;
        private static final int UNCOMPRESSED_SIZE = 3;
        private static final int COMPRESSION_NONE = 255;

        @Override
        public TransactionPayloadEventData deserialize(ByteArrayInputStream in) throws IOException {
            TransactionPayloadEventData data = new TransactionPayloadEventData();
            while (in.available() > 0) {
                int field = in.readPackedInteger();
                if (field == HEADER_END) {
                    break;
                }
                int length = in.readPackedInteger();
                switch (field) {
                    case PAYLOAD_SIZE -> data.setPayloadSize(in.readPackedInteger());
                    case COMPRESSION_TYPE -> data.setCompressionType(in.readPackedInteger());
                    case UNCOMPRESSED_SIZE -> data.setUncompressedSize(in.readPackedLong());
                    default -> in.read(length);
                }
            }
            data.setPayload(in.read(data.getPayloadSize()));
            // Inner events are decoded one at a time by forEachInner(): a huge compressed transaction must not be
            // held decompressed and decoded all at once. (The library walks this list after us: leave it empty.)
            data.setUncompressedEvents(new java.util.ArrayList<>());
            return data;
        }

        /** Decodes a payload's inner events one by one, as the caller asks for them. */
        public static void forEachInner(TransactionPayloadEventData data, EventConsumer consumer) throws IOException {
            EventDeserializer inner = newDeserializer();
            java.io.InputStream raw = new java.io.ByteArrayInputStream(data.getPayload());
            try (java.io.InputStream payload = data.getCompressionType() == COMPRESSION_NONE ? raw
                    : new ZstdInputStream(raw)) {
                ByteArrayInputStream stream = new ByteArrayInputStream(payload);
                for (Event event = inner.nextEvent(stream); event != null; event = inner.nextEvent(stream)) {
                    consumer.accept(event);
                }
            }
        }
    }

    /** Takes one inner event of a compressed transaction. */
    public interface EventConsumer {
        void accept(Event event);
    }

    /**
     * A rows event's data with the event's flags, which the library reads past: the 2 bytes after the 6-byte table
     * id ({@code Rows_event}'s post-header).
     *
     * @param rows  the library's WriteRowsEventData, UpdateRowsEventData or DeleteRowsEventData
     * @param flags NO_FOREIGN_KEY_CHECKS_F, RELAXED_UNIQUE_CHECKS_F and the like
     */
    public record FlaggedRows(EventData rows, int flags) implements EventData {
        public static final int NO_FOREIGN_KEY_CHECKS = 1 << 1;
        public static final int RELAXED_UNIQUE_CHECKS = 1 << 2;
    }

    /**
     * Reads the flags, then lets the library's rows decoder read the same bytes: the body is a slice of the event,
     * which the deserializer has read whole into an array ({@link TableMapReuse#nextEvent}).
     */
    private static final class FlaggedRowsDecoder implements EventDataDeserializer<FlaggedRows> {
        private static final int FLAGS_OFFSET = 6;
        private final EventDataDeserializer<?> rows;

        FlaggedRowsDecoder(EventDataDeserializer<?> rows) {
            this.rows = rows;
        }

        @Override
        public FlaggedRows deserialize(ByteArrayInputStream in) throws IOException {
            ArrayReader body = in instanceof ArrayReader array ? array.slice(array.available())
                    : new ArrayReader(in.read(in.available()));
            if (body.available() < FLAGS_OFFSET + 2) {
                throw new IOException("rows event of " + body.available() + " bytes: shorter than its post-header");
            }
            int flags = body.byteAt(FLAGS_OFFSET) | body.byteAt(FLAGS_OFFSET + 1) << 8;
            return new FlaggedRows(rows.deserialize(body), flags);
        }
    }

    private static final class ExactWriteRows extends WriteRowsEventDataDeserializer {
        ExactWriteRows(Map<Long, TableMapEventData> tableMaps) {
            super(tableMaps);
        }

        @Override
        protected Serializable deserializeCell(ColumnType type, int meta, int length, ByteArrayInputStream in)
                throws IOException {
            return TemporalCells.handles(type) ? TemporalCells.decode(type, meta, in)
                    : super.deserializeCell(type, meta, length, in);
        }
    }

    private static final class ExactUpdateRows extends UpdateRowsEventDataDeserializer {
        ExactUpdateRows(Map<Long, TableMapEventData> tableMaps) {
            super(tableMaps);
        }

        @Override
        protected Serializable deserializeCell(ColumnType type, int meta, int length, ByteArrayInputStream in)
                throws IOException {
            return TemporalCells.handles(type) ? TemporalCells.decode(type, meta, in)
                    : super.deserializeCell(type, meta, length, in);
        }
    }

    private static final class ExactDeleteRows extends DeleteRowsEventDataDeserializer {
        ExactDeleteRows(Map<Long, TableMapEventData> tableMaps) {
            super(tableMaps);
        }

        @Override
        protected Serializable deserializeCell(ColumnType type, int meta, int length, ByteArrayInputStream in)
                throws IOException {
            return TemporalCells.handles(type) ? TemporalCells.decode(type, meta, in)
                    : super.deserializeCell(type, meta, length, in);
        }
    }
}
