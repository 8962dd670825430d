package dev.binrelay.engine.decode;

import dev.binrelay.engine.event.SourceTable;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventMetadata;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * One {@link RowImageDecoder} (so one {@link SourceTable}) per table shape, whatever table id the source gave it. The
 * source gives a table a new id each time it opens it again ({@code FLUSH TABLES}, more tables than its
 * {@code table_definition_cache}); keyed by shape, the decoders, and the applier's plans and the writeset's keys that
 * are keyed by their {@code SourceTable}, stay one per table. Shapes seen least recently go first beyond
 * {@value #CAPACITY} (a table that comes back gets a new decoder, and the applier plans it again).
 */
public final class TableShapes {
    /** Shapes kept: far more tables than a replica writes to at once. */
    static final int CAPACITY = 1024;

    /** A shape's decoder, or none when the filter drops the table's rows. */
    public record Mapped(RowImageDecoder decoder) {
    }

    private final Map<Shape, Mapped> shapes = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Shape, Mapped> eldest) {
            return size() > CAPACITY;
        }
    };

    /**
     * The last table maps looked up, by identity: a TABLE_MAP not decoded again ({@link TableMapReuse}) is the same
     * object every time, and is found here without hashing its shape. A slot holds a map and what its shape gave;
     * a shape's Mapped never changes, so a slot stays right after its shape leaves {@link #shapes}.
     */
    private final TableMapEventData[] recentMaps = new TableMapEventData[RECENT];
    private final Mapped[] recentMapped = new Mapped[RECENT];
    private static final int RECENT = 64;

    /** The decoder of this table map's shape, made by {@code create} the first time the shape is seen. */
    public Mapped of(TableMapEventData map, Function<TableMapEventData, Mapped> create) {
        int slot = System.identityHashCode(map) & (RECENT - 1);
        if (recentMaps[slot] == map) {
            return recentMapped[slot];
        }
        Mapped known = ofShape(map, create);
        recentMaps[slot] = map;
        recentMapped[slot] = known;
        return known;
    }

    private Mapped ofShape(TableMapEventData map, Function<TableMapEventData, Mapped> create) {
        Shape shape = new Shape(map);
        Mapped known = shapes.get(shape);
        if (known == null) {
            known = create.apply(map);
            shapes.put(shape, known);
        }
        return known;
    }

    /** Shapes held, for tests. */
    public int size() {
        return shapes.size();
    }

    /**
     * A table map without its table id: database, table, column types, metadata, nullability, and all of the
     * optional metadata (signedness, names, charsets, enum and set values, geometry types, keys, visibility).
     */
    private static final class Shape {
        private final TableMapEventData map;
        private final int hash;

        Shape(TableMapEventData map) {
            this.map = map;
            this.hash = Objects.hash(map.getDatabase(), map.getTable(), Arrays.hashCode(map.getColumnTypes()),
                    Arrays.hashCode(map.getColumnMetadata()));
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Shape that && hash == that.hash && sameShape(map, that.map);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        private static boolean sameShape(TableMapEventData a, TableMapEventData b) {
            if (a == b) {
                return true; // a TABLE_MAP not decoded again (TableMapReuse)
            }
            if (!a.getDatabase().equals(b.getDatabase()) || !a.getTable().equals(b.getTable())
                    || !Arrays.equals(a.getColumnTypes(), b.getColumnTypes())
                    || !Arrays.equals(a.getColumnMetadata(), b.getColumnMetadata())
                    || !Objects.equals(a.getColumnNullability(), b.getColumnNullability())) {
                return false;
            }
            TableMapEventMetadata ma = a.getEventMetadata();
            TableMapEventMetadata mb = b.getEventMetadata();
            if (ma == null || mb == null) {
                return ma == mb;
            }
            return Objects.equals(ma.getSignedness(), mb.getSignedness())
                    && Objects.equals(ma.getColumnNames(), mb.getColumnNames())
                    && Objects.equals(ma.getColumnCharsets(), mb.getColumnCharsets())
                    && sameCharset(ma.getDefaultCharset(), mb.getDefaultCharset())
                    && Objects.equals(ma.getEnumAndSetColumnCharsets(), mb.getEnumAndSetColumnCharsets())
                    && sameCharset(ma.getEnumAndSetDefaultCharset(), mb.getEnumAndSetDefaultCharset())
                    && sameValues(ma.getEnumStrValues(), mb.getEnumStrValues())
                    && sameValues(ma.getSetStrValues(), mb.getSetStrValues())
                    && Objects.equals(ma.getGeometryTypes(), mb.getGeometryTypes())
                    && Objects.equals(ma.getSimplePrimaryKeys(), mb.getSimplePrimaryKeys())
                    && Objects.equals(ma.getPrimaryKeysWithPrefix(), mb.getPrimaryKeysWithPrefix())
                    && Objects.equals(ma.getVisibility(), mb.getVisibility());
        }

        private static boolean sameCharset(TableMapEventMetadata.DefaultCharset a,
                                           TableMapEventMetadata.DefaultCharset b) {
            if (a == null || b == null) {
                return a == b;
            }
            return a.getDefaultCharsetCollation() == b.getDefaultCharsetCollation()
                    && Objects.equals(a.getCharsetCollations(), b.getCharsetCollations());
        }

        private static boolean sameValues(List<String[]> a, List<String[]> b) {
            if (a == null || b == null) {
                return a == b;
            }
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!Arrays.equals(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
    }
}
