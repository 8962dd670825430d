package dev.binrelay.cli.daemon;

/**
 * A count of applied transactions at an instant, to compute a rate between two samples.
 *
 * @param transactions transactions applied so far
 * @param nanoTime     when, by {@link System#nanoTime()}
 */
public record ProgressSample(long transactions, long nanoTime) {

    /** A sample of {@code transactions} taken now. */
    public static ProgressSample now(long transactions) {
        return new ProgressSample(transactions, System.nanoTime());
    }

    /** Transactions per second from {@code earlier} to this sample; 0 when no time has passed. */
    public double ratePerSecondSince(ProgressSample earlier) {
        long nanos = nanoTime - earlier.nanoTime;
        return nanos <= 0 ? 0 : (transactions - earlier.transactions) * 1e9 / nanos;
    }
}
