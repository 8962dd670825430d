package dev.binrelay.checkpoint;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Collects intervals in any order, overlapping or not, and builds a {@link GtidSet} from them with one sort-and-merge
 * per source, which is much cheaper than a chain of unions for long inputs such as a big {@code gtid_executed}.
 *
 * <p>Not thread-safe; use one builder per thread.
 */
final class GtidSetBuilder {
    private final Map<UUID, Pending> pending = new TreeMap<>(GtidSet.SOURCE_ORDER);

    /** Adds the inclusive range {@code start..end} for {@code sourceId}; the caller has checked the bounds. */
    GtidSetBuilder add(UUID sourceId, long start, long end) {
        pending.computeIfAbsent(sourceId, id -> new Pending()).add(start, end);
        return this;
    }

    /** The set of everything added so far. */
    GtidSet build() {
        TreeMap<UUID, long[]> bounds = new TreeMap<>(GtidSet.SOURCE_ORDER);
        for (Map.Entry<UUID, Pending> entry : pending.entrySet()) {
            Pending p = entry.getValue();
            bounds.put(entry.getKey(), Intervals.normalise(p.bounds, p.length));
        }
        return GtidSet.wrap(bounds);
    }

    /** A growable array of bounds for one source. */
    private static final class Pending {
        long[] bounds = new long[8];
        int length;

        void add(long start, long end) {
            if (length == bounds.length) {
                bounds = Arrays.copyOf(bounds, 2 * length);
            }
            bounds[length++] = start;
            bounds[length++] = end;
        }
    }
}
