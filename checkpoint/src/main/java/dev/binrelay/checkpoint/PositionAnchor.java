package dev.binrelay.checkpoint;

import java.util.Objects;

/**
 * A point where the numbering of position-mode transactions is known: the transaction ending at {@code end} has
 * the synthetic GTID number {@code seq}, so reading from {@code end} numbers the following transactions
 * {@code seq + 1}, {@code seq + 2}, ...
 *
 * @param worker the worker that recorded it, or {@link #ORIGIN} for where the replica first started
 * @param seq    the number of the transaction ending at {@code end}; 0 for the origin
 * @param end    where that transaction ends in the source's binary log
 */
public record PositionAnchor(int worker, long seq, BinlogPosition end) {
    /** The worker index of the origin anchor: the start position, recorded once with seq 0. */
    public static final int ORIGIN = -1;

    /** Validates the components. */
    public PositionAnchor {
        Objects.requireNonNull(end, "end");
        if (seq < 0) {
            throw new IllegalArgumentException("anchor seq must not be negative, got " + seq);
        }
    }

    /** The anchor of the replica's start position. */
    public static PositionAnchor origin(BinlogPosition start) {
        return new PositionAnchor(ORIGIN, 0, start);
    }

    @Override
    public String toString() {
        return end + " (transaction " + seq + ")";
    }
}
