package dev.binrelay.checkpoint;

import java.util.Arrays;

/**
 * Set arithmetic on one source's transaction numbers, held as a flat array of inclusive bounds
 * {@code [start0, end0, start1, end1, ...]} that is sorted, non-overlapping and non-adjacent ("normal").
 *
 * <p>Stateless and thread-safe. Every method treats its array arguments as read-only and returns either one of them
 * unchanged or a new array, so callers can share arrays between immutable sets.
 */
final class Intervals {
    static final long[] NONE = new long[0];

    private Intervals() {
    }

    /** How many intervals the array holds. */
    static int size(long[] bounds) {
        return bounds.length >> 1;
    }

    /** The index of the last interval whose start is at most {@code x}, or -1 if there is none. */
    static int floorIndex(long[] bounds, long x) {
        int low = 0;
        int high = size(bounds) - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (bounds[2 * mid] <= x) {
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return high;
    }

    /** Whether {@code x} lies in one of the intervals; O(log n). */
    static boolean contains(long[] bounds, long x) {
        int i = floorIndex(bounds, x);
        return i >= 0 && bounds[2 * i + 1] >= x;
    }

    /** Whether every interval of {@code inner} lies within one interval of {@code outer}. */
    static boolean containsAll(long[] outer, long[] inner) {
        for (int j = 0; j < inner.length; j += 2) {
            int i = floorIndex(outer, inner[j]);
            if (i < 0 || outer[2 * i + 1] < inner[j + 1]) {
                return false;
            }
        }
        return true;
    }

    /** The number of transactions; throws {@link ArithmeticException} if it does not fit in a {@code long}. */
    static long count(long[] bounds) {
        long total = 0;
        for (int i = 0; i < bounds.length; i += 2) {
            total = Math.addExact(total, bounds[i + 1] - bounds[i] + 1);
        }
        return total;
    }

    /**
     * {@code bounds} plus the single number {@code x}: the same array if {@code x} is already in it, otherwise a copy
     * that extends a neighbour, bridges two neighbours or inserts a new interval. One binary search and one copy.
     */
    static long[] add(long[] bounds, long x) {
        int before = floorIndex(bounds, x);
        if (before >= 0 && bounds[2 * before + 1] >= x) {
            return bounds;
        }
        int after = before + 1;
        boolean joinsBefore = before >= 0 && bounds[2 * before + 1] == x - 1;
        boolean joinsAfter = after < size(bounds) && bounds[2 * after] == x + 1;
        if (joinsBefore && joinsAfter) {
            long[] merged = new long[bounds.length - 2];
            System.arraycopy(bounds, 0, merged, 0, 2 * before + 1);
            System.arraycopy(bounds, 2 * after + 1, merged, 2 * before + 1, bounds.length - 2 * after - 1);
            return merged;
        }
        if (joinsBefore) {
            long[] extended = bounds.clone();
            extended[2 * before + 1] = x;
            return extended;
        }
        if (joinsAfter) {
            long[] extended = bounds.clone();
            extended[2 * after] = x;
            return extended;
        }
        long[] inserted = new long[bounds.length + 2];
        System.arraycopy(bounds, 0, inserted, 0, 2 * after);
        inserted[2 * after] = x;
        inserted[2 * after + 1] = x;
        System.arraycopy(bounds, 2 * after, inserted, 2 * after + 2, bounds.length - 2 * after);
        return inserted;
    }

    /** The union of two normal arrays, by a linear merge. */
    static long[] union(long[] a, long[] b) {
        if (a.length == 0) {
            return b;
        }
        if (b.length == 0) {
            return a;
        }
        long[] out = new long[a.length + b.length];
        int n = 0;
        int i = 0;
        int j = 0;
        while (i < a.length || j < b.length) {
            long start;
            long end;
            if (j >= b.length || (i < a.length && a[i] <= b[j])) {
                start = a[i];
                end = a[i + 1];
                i += 2;
            } else {
                start = b[j];
                end = b[j + 1];
                j += 2;
            }
            // Ends never exceed Gtid.MAX_TRANSACTION_ID, so end + 1 cannot overflow.
            if (n > 0 && start <= out[n - 1] + 1) {
                out[n - 1] = Math.max(out[n - 1], end);
            } else {
                out[n++] = start;
                out[n++] = end;
            }
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    /** The numbers of {@code a} that are not in {@code b}. */
    static long[] subtract(long[] a, long[] b) {
        if (a.length == 0 || b.length == 0) {
            return a;
        }
        // Each interval of b can split at most one interval of a in two, hence the bound on the output size.
        long[] out = new long[a.length + b.length];
        int n = 0;
        int j = 0;
        for (int i = 0; i < a.length; i += 2) {
            long from = a[i];
            long to = a[i + 1];
            while (j < b.length && b[j + 1] < from) {
                j += 2;
            }
            for (int k = j; k < b.length && b[k] <= to && from <= to; k += 2) {
                if (b[k] > from) {
                    out[n++] = from;
                    out[n++] = b[k] - 1;
                }
                from = Math.max(from, b[k + 1] + 1);
            }
            if (from <= to) {
                out[n++] = from;
                out[n++] = to;
            }
        }
        return n == a.length && Arrays.equals(out, 0, n, a, 0, n) ? a : Arrays.copyOf(out, n);
    }

    /**
     * Sorts and merges the first {@code length} entries of an array of possibly unsorted, overlapping or adjacent
     * bounds into a new normal array.
     */
    static long[] normalise(long[] bounds, int length) {
        int pairs = length >> 1;
        long[][] sorted = new long[pairs][];
        for (int p = 0; p < pairs; p++) {
            sorted[p] = new long[] {bounds[2 * p], bounds[2 * p + 1]};
        }
        Arrays.sort(sorted, (x, y) -> Long.compare(x[0], y[0]));
        long[] out = new long[length];
        int n = 0;
        for (long[] pair : sorted) {
            if (n > 0 && pair[0] <= out[n - 1] + 1) {
                out[n - 1] = Math.max(out[n - 1], pair[1]);
            } else {
                out[n++] = pair[0];
                out[n++] = pair[1];
            }
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }
}
