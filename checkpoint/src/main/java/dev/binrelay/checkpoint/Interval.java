package dev.binrelay.checkpoint;

/**
 * An inclusive range of transaction numbers from one source, such as {@code 1-5} or {@code 7} (start = end).
 *
 * <p>Immutable and thread-safe.
 *
 * @param start the first transaction number, at least 1
 * @param end   the last transaction number, at least {@code start} and at most {@link Gtid#MAX_TRANSACTION_ID}
 */
public record Interval(long start, long end) {

    /** Validates the bounds; throws {@link IllegalArgumentException} for an empty or out-of-range interval. */
    public Interval {
        if (start < 1 || end < start || end > Gtid.MAX_TRANSACTION_ID) {
            throw new IllegalArgumentException("invalid interval " + start + "-" + end
                    + ": need 1 <= start <= end <= " + Gtid.MAX_TRANSACTION_ID);
        }
    }

    /** MySQL's form: {@code n} for a single transaction, {@code a-b} for a range. */
    @Override
    public String toString() {
        return start == end ? Long.toString(start) : start + "-" + end;
    }
}
