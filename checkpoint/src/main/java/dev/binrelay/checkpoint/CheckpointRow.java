package dev.binrelay.checkpoint;

import java.util.Comparator;
import java.util.UUID;

/**
 * One row of the checkpoint table for one channel: an inclusive range of one source's transactions.
 *
 * <p>Immutable and thread-safe.
 *
 * @param sourceId the source's UUID ({@code source_uuid})
 * @param start    the first transaction number ({@code gno_start}, part of the primary key)
 * @param end      the last transaction number ({@code gno_end})
 */
record CheckpointRow(UUID sourceId, long start, long end) {

    /** Rejects a row no store would write, so a hand-edited table fails loudly instead of corrupting a set. */
    CheckpointRow {
        if (start < 1 || end < start || end > Gtid.MAX_TRANSACTION_ID) {
            throw new IllegalArgumentException("invalid checkpoint row for source " + sourceId + ": gno_start "
                    + start + ", gno_end " + end + " (need 1 <= gno_start <= gno_end <= " + Gtid.MAX_TRANSACTION_ID
                    + ")");
        }
    }

    /** Primary-key order within a channel. */
    static final Comparator<CheckpointRow> KEY_ORDER =
            Comparator.comparing(CheckpointRow::sourceId, GtidSet.SOURCE_ORDER).thenComparingLong(CheckpointRow::start);
}
