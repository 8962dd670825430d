package dev.binrelay.engine.pipeline;

import java.util.Arrays;

/**
 * Transactions committed per second over the last {@value #WINDOW_SECONDS} seconds, counted in one bucket per
 * second. Workers add once per target commit; any thread reads. Synchronized: a commit takes far longer than the lock.
 */
final class ApplyRate {
    static final int WINDOW_SECONDS = 10;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long startNanos;
    /** The second (since start) each bucket counts, and its count; one bucket more than the window, to reuse. */
    private final long[] second = new long[WINDOW_SECONDS + 1];
    private final long[] count = new long[WINDOW_SECONDS + 1];

    ApplyRate(long startNanos) {
        this.startNanos = startNanos;
        Arrays.fill(second, -1);
    }

    synchronized void add(long transactions, long nowNanos) {
        long now = secondOf(nowNanos);
        int bucket = (int) (now % second.length);
        if (second[bucket] != now) {
            second[bucket] = now;
            count[bucket] = 0;
        }
        count[bucket] += transactions;
    }

    /**
     * The average over the last {@value #WINDOW_SECONDS} seconds (the current one counted as far as it went), or over
     * the time since start when that is shorter.
     */
    synchronized double perSecond(long nowNanos) {
        long elapsedNanos = Math.max(0, nowNanos - startNanos);
        long now = elapsedNanos / NANOS_PER_SECOND;
        double span = Math.min((double) elapsedNanos / NANOS_PER_SECOND,
                WINDOW_SECONDS - 1 + (double) (elapsedNanos % NANOS_PER_SECOND) / NANOS_PER_SECOND);
        if (span < 0.001) {
            return 0;
        }
        long sum = 0;
        for (long s = Math.max(0, now - (WINDOW_SECONDS - 1)); s <= now; s++) {
            sum += countAt(s);
        }
        return sum / span;
    }

    private long countAt(long s) {
        int bucket = (int) (s % second.length);
        return second[bucket] == s ? count[bucket] : 0;
    }

    private long secondOf(long nanos) {
        return Math.max(0, nanos - startNanos) / NANOS_PER_SECOND;
    }
}
