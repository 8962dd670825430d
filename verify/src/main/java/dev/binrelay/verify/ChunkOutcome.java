package dev.binrelay.verify;

import java.util.List;

/** How one chunk compared. */
sealed interface ChunkOutcome {
    /** Source and target hold the same rows. */
    record Identical(long rows) implements ChunkOutcome {
    }

    /** The rows differ, and these are the differences (every one found, not yet capped). */
    record Differs(long rows, List<RowDifference> differences) implements ChunkOutcome {
        public Differs {
            differences = List.copyOf(differences);
        }
    }

    /**
     * The chunk could not be compared.
     *
     * @param reason       why, for the report
     * @param targetLagged whether the target did not apply the source's transactions in time: the next chunks would
     *                     wait as long for nothing
     */
    record NotVerified(String reason, boolean targetLagged) implements ChunkOutcome {
    }
}
