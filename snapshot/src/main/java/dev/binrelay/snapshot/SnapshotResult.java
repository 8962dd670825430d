package dev.binrelay.snapshot;

import dev.binrelay.checkpoint.GtidSet;

/**
 * What a finished snapshot did.
 *
 * @param gtids         the source's GTID set the copy reflects, now the target's checkpoint: streaming starts after it
 * @param catchUpWindow transactions that some copied rows already hold (the copy was resumed at a later snapshot);
 *                      the stream applies them idempotently. Empty for a copy that was never interrupted
 * @param tables        tables copied
 * @param rows          rows copied by this run (a resumed copy counts only what it copied itself)
 * @param seconds       how long this run took
 */
public record SnapshotResult(GtidSet gtids, GtidSet catchUpWindow, int tables, long rows, double seconds) {
    /** Rows copied per second by this run. */
    public double rowsPerSecond() {
        return seconds > 0 ? rows / seconds : 0;
    }
}
