package dev.binrelay.engine.pipeline;

import dev.binrelay.engine.event.Transaction;
import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.checkpoint.PositionAnchor;
import dev.binrelay.checkpoint.PositionAnchors;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Position mode's applied position, for the status: the anchors the target holds (the origin and each worker's
 * newest), kept in step with the rows the workers commit, so that the status names the position a restart would
 * read from without asking the target.
 *
 * <p>Workers call {@link #committed} after their commits; any thread calls {@link #resumeFrom}.
 */
public final class AppliedPositions {
    private final UUID sourceId;
    /** By worker index ({@link PositionAnchor#ORIGIN} for the origin), as the target's binlog_position rows. */
    private final Map<Integer, PositionAnchor> anchors = new ConcurrentHashMap<>();

    /** @param atStart the channel's anchors on the target when the replica started (the origin among them) */
    public AppliedPositions(UUID sourceId, List<PositionAnchor> atStart) {
        this.sourceId = sourceId;
        for (PositionAnchor anchor : atStart) {
            anchors.put(anchor.worker(), anchor);
        }
    }

    /** Worker {@code worker} committed {@code transaction}, and with it its anchor (see the applier's CheckpointRecorder). */
    void committed(int worker, Transaction transaction) {
        if (transaction.endPosition() != null) {
            anchors.put(worker, new PositionAnchor(worker, transaction.gtid().transactionId(),
                    transaction.endPosition()));
        }
    }

    /** The anchor a restart would read from, given the synthetic GTIDs {@code applied}; null if none qualifies. */
    PositionAnchor resumeFrom(GtidSet applied) {
        try {
            return PositionAnchors.resumeFrom(List.copyOf(anchors.values()), applied, sourceId);
        } catch (IllegalStateException e) {
            return null; // no origin row: the restart itself reports that
        }
    }
}
