package dev.binrelay.engine.decode;

import dev.binrelay.engine.event.BinaryJson;
import dev.binrelay.engine.event.RowChange;
import dev.binrelay.engine.event.SourceTable;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventMetadata;
import java.io.Serializable;
import java.math.BigInteger;
import java.util.BitSet;
import java.util.List;

/**
 * Turns one TABLE_MAP into a {@link SourceTable} and the library's row cells into binrelay's exact values
 * ({@link RowChange} documents them): integers made unsigned where the table map's signedness says so, BIT as an
 * unsigned number, SET as its bit set in a signed long (MySQL reads a 64-member SET's bit set as a signed number when
 * it stores or compares one), JSON kept in MySQL's binary form.
 *
 * <p>One instance per table map; immutable and thread-safe.
 */
public final class RowImageDecoder {
    private static final int TYPE_TINY = 1;
    private static final int TYPE_SHORT = 2;
    private static final int TYPE_LONG = 3;
    private static final int TYPE_LONGLONG = 8;
    private static final int TYPE_INT24 = 9;
    private static final int TYPE_BIT = 16;
    private static final int TYPE_ENUM = 247;
    private static final int TYPE_SET = 248;
    private static final int TYPE_STRING = 254;
    private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);

    private final SourceTable table;
    private final boolean[] unsigned;

    public RowImageDecoder(TableMapEventData map) {
        this(map, map.getDatabase());
    }

    /** @param schema the database the rows go to on the target (the source's, unless rewritten) */
    public RowImageDecoder(TableMapEventData map, String schema) {
        byte[] rawTypes = map.getColumnTypes();
        int[] meta = map.getColumnMetadata();
        int[] types = new int[rawTypes.length];
        for (int i = 0; i < rawTypes.length; i++) {
            types[i] = realType(rawTypes[i] & 0xFF, meta[i]);
        }
        TableMapEventMetadata metadata = map.getEventMetadata();
        List<String> names = metadata != null && metadata.getColumnNames() != null
                ? List.copyOf(metadata.getColumnNames()) : List.of();
        this.table = new SourceTable(schema, map.getTable(), types, names);
        this.unsigned = unsignedColumns(types, metadata == null ? null : metadata.getSignedness());
    }

    public SourceTable table() {
        return table;
    }

    /** Spreads a row image over all columns (absent ones stay null) and converts each value. */
    public Object[] decode(Serializable[] cells, BitSet present) {
        int columns = table.columnCount();
        Object[] values = new Object[columns];
        int cell = 0;
        for (int column = 0; column < columns; column++) {
            if (present.get(column)) {
                values[column] = convert(column, cells[cell++]);
            }
        }
        return values;
    }

    private Object convert(int column, Serializable cell) {
        if (cell == null) {
            return null;
        }
        int type = table.columnTypes()[column];
        switch (type) {
            case TYPE_TINY:
                return unsigned[column] ? (long) (((Integer) cell) & 0xFF) : (long) (Integer) cell;
            case TYPE_SHORT:
                return unsigned[column] ? (long) (((Integer) cell) & 0xFFFF) : (long) (Integer) cell;
            case TYPE_INT24:
                return unsigned[column] ? (long) (((Integer) cell) & 0xFFFFFF) : (long) (Integer) cell;
            case TYPE_LONG:
                return unsigned[column] ? ((Integer) cell) & 0xFFFFFFFFL : (long) (Integer) cell;
            case TYPE_LONGLONG:
                return unsigned[column] ? unsigned((Long) cell) : cell;
            case TYPE_BIT: {
                BitSet bits = (BitSet) cell;
                long value = 0;
                for (int bit = bits.nextSetBit(0); bit >= 0; bit = bits.nextSetBit(bit + 1)) {
                    value |= 1L << bit;
                }
                return unsigned(value);
            }
            case TYPE_ENUM:
                return (long) (Integer) cell;
            case SourceTable.TYPE_JSON:
                return new BinaryJson((byte[]) cell);
            default:
                return cell;
        }
    }

    /** A 64-bit pattern read as an unsigned number: a Long, or a BigInteger when the top bit is set. */
    private static Object unsigned(long value) {
        return value >= 0 ? value : BigInteger.valueOf(value).add(TWO_TO_64);
    }

    /** STRING columns carry ENUM and SET in their metadata; unpack them as MySQL's log_event.cc does. */
    private static int realType(int type, int meta) {
        if (type == TYPE_STRING && meta >= 256) {
            int realType = meta >> 8;
            if (realType == TYPE_ENUM || realType == TYPE_SET) {
                return realType;
            }
        }
        return type;
    }

    /**
     * Which columns are unsigned. The library spreads the table map's signedness list (one bit per numeric column)
     * over column positions, so bit i is column i's flag.
     */
    private static boolean[] unsignedColumns(int[] types, BitSet signedness) {
        boolean[] result = new boolean[types.length];
        if (signedness == null) {
            return result;
        }
        for (int i = 0; i < types.length; i++) {
            switch (types[i]) {
                case TYPE_TINY, TYPE_SHORT, TYPE_INT24, TYPE_LONG, TYPE_LONGLONG -> result[i] = signedness.get(i);
                default -> {
                }
            }
        }
        return result;
    }
}
