package dev.binrelay.checkpoint;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A set of GTIDs, in MySQL's text syntax {@code uuid:1-5:7:9-12,uuid2:1-3}.
 *
 * <p>Immutable and thread-safe: every "modifying" method returns a new set (or this one when nothing changes) and
 * instances may be shared freely between threads.
 *
 * <p>Held as a map from source UUID to a sorted array of inclusive interval bounds, so {@link #contains} is a binary
 * search and {@link #add} (called once per replicated transaction) is a binary search plus one array copy.
 */
public final class GtidSet {

    /**
     * Orders UUIDs as their lowercase text sorts, which is the order MySQL prints them in: the text is the hex digits
     * of the two halves, so comparing the halves as unsigned numbers gives the same order without building strings.
     */
    static final Comparator<UUID> SOURCE_ORDER = (a, b) -> {
        int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return high != 0 ? high : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
    };

    private static final GtidSet EMPTY = new GtidSet(new TreeMap<>(SOURCE_ORDER));

    // Never mutated after construction; the arrays are shared between sets and never written to either.
    private final NavigableMap<UUID, long[]> bounds;

    private GtidSet(NavigableMap<UUID, long[]> bounds) {
        this.bounds = bounds;
    }

    /** Wraps a map the caller hands over: ordered by {@link #SOURCE_ORDER}, normal, non-empty arrays only. */
    static GtidSet wrap(TreeMap<UUID, long[]> bounds) {
        return bounds.isEmpty() ? EMPTY : new GtidSet(bounds);
    }

    /** The empty set. */
    public static GtidSet empty() {
        return EMPTY;
    }

    /** The set holding just {@code gtid}. */
    public static GtidSet of(Gtid gtid) {
        return EMPTY.add(gtid);
    }

    /**
     * Parses MySQL's GTID-set text. Accepts uppercase UUIDs, whitespace and newlines around the separators (as in
     * {@code @@gtid_executed}), and unsorted, overlapping or adjacent intervals, which are merged; blank text is the
     * empty set.
     *
     * @throws IllegalArgumentException quoting the offending part, including for MySQL 8.4 tagged GTIDs
     */
    public static GtidSet parse(String text) {
        Objects.requireNonNull(text, "text");
        if (text.isBlank()) {
            return EMPTY;
        }
        GtidSetBuilder builder = new GtidSetBuilder();
        for (String entry : text.split(",", -1)) {
            parseEntry(entry.strip(), text, builder);
        }
        return builder.build();
    }

    private static void parseEntry(String entry, String text, GtidSetBuilder builder) {
        if (entry.isEmpty()) {
            throw new IllegalArgumentException("invalid GTID set \"" + text + "\": empty entry between commas");
        }
        String[] parts = entry.split(":", -1);
        UUID sourceId = GtidText.parseUuid(parts[0].strip(), text);
        if (parts.length == 1) {
            throw new IllegalArgumentException("invalid GTID set \"" + text + "\": \"" + entry
                    + "\" has no transaction ids after the UUID");
        }
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i].strip();
            if (GtidText.isTag(part)) {
                throw GtidText.taggedGtids(text);
            }
            int dash = part.indexOf('-');
            long start = GtidText.parseTransactionId((dash < 0 ? part : part.substring(0, dash)).strip(), text);
            long end = dash < 0 ? start : GtidText.parseTransactionId(part.substring(dash + 1).strip(), text);
            if (end < start) {
                throw new IllegalArgumentException("invalid GTID set \"" + text + "\": interval \"" + part
                        + "\" ends before it starts");
            }
            builder.add(sourceId, start, end);
        }
    }

    /** This set plus {@code gtid}; this very set if it already holds it. O(log n) search plus one array copy. */
    public GtidSet add(Gtid gtid) {
        UUID sourceId = gtid.sourceId();
        long[] old = bounds.get(sourceId);
        long[] updated = old == null
                ? new long[] {gtid.transactionId(), gtid.transactionId()}
                : Intervals.add(old, gtid.transactionId());
        if (updated == old) {
            return this;
        }
        TreeMap<UUID, long[]> copy = new TreeMap<>(bounds);
        copy.put(sourceId, updated);
        return new GtidSet(copy);
    }

    /** The GTIDs in this set or in {@code other}. */
    public GtidSet union(GtidSet other) {
        if (other.bounds.isEmpty()) {
            return this;
        }
        if (bounds.isEmpty()) {
            return other;
        }
        TreeMap<UUID, long[]> result = new TreeMap<>(bounds);
        for (Map.Entry<UUID, long[]> entry : other.bounds.entrySet()) {
            long[] mine = result.get(entry.getKey());
            result.put(entry.getKey(), mine == null ? entry.getValue() : Intervals.union(mine, entry.getValue()));
        }
        return new GtidSet(result);
    }

    /** The GTIDs in this set that are not in {@code other}. */
    public GtidSet subtract(GtidSet other) {
        if (other.bounds.isEmpty() || bounds.isEmpty()) {
            return this;
        }
        TreeMap<UUID, long[]> result = new TreeMap<>(SOURCE_ORDER);
        for (Map.Entry<UUID, long[]> entry : bounds.entrySet()) {
            long[] theirs = other.bounds.get(entry.getKey());
            long[] left = theirs == null ? entry.getValue() : Intervals.subtract(entry.getValue(), theirs);
            if (left.length > 0) {
                result.put(entry.getKey(), left);
            }
        }
        return wrap(result);
    }

    /** Whether this set holds {@code gtid}; O(log n). */
    public boolean contains(Gtid gtid) {
        long[] mine = bounds.get(gtid.sourceId());
        return mine != null && Intervals.contains(mine, gtid.transactionId());
    }

    /** Whether this set holds every GTID of {@code other}. */
    public boolean containsAll(GtidSet other) {
        for (Map.Entry<UUID, long[]> entry : other.bounds.entrySet()) {
            long[] mine = bounds.get(entry.getKey());
            if (mine == null || !Intervals.containsAll(mine, entry.getValue())) {
                return false;
            }
        }
        return true;
    }

    /** Whether this set holds no GTID. */
    public boolean isEmpty() {
        return bounds.isEmpty();
    }

    /**
     * The number of transactions in this set.
     *
     * @throws ArithmeticException if the count does not fit in a {@code long} (only for absurdly large ranges)
     */
    public long count() {
        long total = 0;
        for (long[] mine : bounds.values()) {
            total = Math.addExact(total, Intervals.count(mine));
        }
        return total;
    }

    /** The sources with at least one transaction, in the order {@link #toString()} prints them; unmodifiable. */
    public Set<UUID> sourceIds() {
        return Collections.unmodifiableSet(bounds.keySet());
    }

    /** The intervals of one source: sorted, non-overlapping, non-adjacent; empty for an unknown source. */
    public List<Interval> intervals(UUID sourceId) {
        long[] mine = bounds.get(sourceId);
        if (mine == null) {
            return List.of();
        }
        List<Interval> result = new ArrayList<>(Intervals.size(mine));
        for (int i = 0; i < mine.length; i += 2) {
            result.add(new Interval(mine[i], mine[i + 1]));
        }
        return Collections.unmodifiableList(result);
    }

    /** Equal when both sets hold exactly the same GTIDs, however they were built. */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof GtidSet other) || bounds.size() != other.bounds.size()) {
            return false;
        }
        for (Map.Entry<UUID, long[]> entry : bounds.entrySet()) {
            if (!Arrays.equals(entry.getValue(), other.bounds.get(entry.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** Consistent with {@link #equals}. */
    @Override
    public int hashCode() {
        int hash = 0;
        for (Map.Entry<UUID, long[]> entry : bounds.entrySet()) {
            hash += entry.getKey().hashCode() ^ Arrays.hashCode(entry.getValue());
        }
        return hash;
    }

    /**
     * MySQL's canonical text: lowercase UUIDs in ascending order, each followed by its intervals ({@code n} or
     * {@code a-b}) joined by {@code :}, sources joined by {@code ,} without spaces; {@code ""} for the empty set.
     */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        for (Map.Entry<UUID, long[]> entry : bounds.entrySet()) {
            if (text.length() > 0) {
                text.append(',');
            }
            text.append(entry.getKey());
            long[] mine = entry.getValue();
            for (int i = 0; i < mine.length; i += 2) {
                text.append(':').append(mine[i]);
                if (mine[i + 1] != mine[i]) {
                    text.append('-').append(mine[i + 1]);
                }
            }
        }
        return text.toString();
    }
}
