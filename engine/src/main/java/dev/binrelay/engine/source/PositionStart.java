package dev.binrelay.engine.source;

import dev.binrelay.engine.ReplicaException;
import dev.binrelay.engine.SourceInfo;
import dev.binrelay.engine.SourceSettings;
import dev.binrelay.engine.apply.Applier;
import dev.binrelay.engine.pipeline.AppliedPositions;
import dev.binrelay.checkpoint.BinlogPosition;
import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.checkpoint.PositionAnchor;
import dev.binrelay.checkpoint.PositionAnchors;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Position mode at start: the anchor to read from, recording the origin on a first start. */
public final class PositionStart {
    private static final Logger LOG = LoggerFactory.getLogger(PositionStart.class);

    private PositionStart() {
    }

    /** Where position mode starts: the reader's numbering, and the applier's anchors (for the status). */
    public record Resumed(PositionCounter counter, AppliedPositions applied) {
    }

    /**
     * The numbering to read with: from the anchor {@link PositionAnchors#resumeFrom} picks among the applier's,
     * after checking the source still has its file; and those anchors, which the status follows from here on.
     *
     * @param configured {@code source.startFile}/{@code source.startPosition}, used only on a first start; null for
     *                   the source's current position
     */
    public static Resumed resolve(Applier applier, SourceSettings source, SourceInfo info, GtidSet applied,
                           BinlogPosition configured) {
        UUID sourceId = PositionAnchors.sourceIdFor(info.serverUuid());
        boolean hasNumbers = !applied.intervals(sourceId).isEmpty();
        boolean[] firstStart = {false};
        List<PositionAnchor> anchors = applier.positionAnchors(() -> {
            firstStart[0] = true;
            return configured != null ? configured : SourcePositions.current(source);
        });
        if (!firstStart[0] && configured != null) {
            LOG.info("source.startFile/startPosition ({}) ignored: the checkpoint already holds position anchors",
                    configured);
        }
        // Transactions are numbered from an anchor: numbers without anchors, or anchors without numbers for this
        // source, mean the checkpoint is not this source's (a cleared table, a new server_uuid), and numbering again
        // from the start would drop or repeat transactions.
        if (firstStart[0] && hasNumbers) {
            throw new ReplicaException("position mode: the checkpoint holds transactions numbered " + sourceId
                    + ":n for this source but no position anchors (was table binlog_position cleared?): "
                    + "clear this channel's rows of gtid_executed too, or restore binlog_position");
        }
        if (!firstStart[0] && !hasNumbers && anchors.stream().anyMatch(anchor -> anchor.seq() > 0)) {
            throw new ReplicaException("position mode: the checkpoint's position anchors were recorded for another "
                    + "source (no transaction numbered " + sourceId + ":n, the numbering of source "
                    + info.serverUuid() + "): the source's server_uuid changed, or the channel points at another "
                    + "server; binlog positions of one server mean nothing on another, so binrelay stops rather than "
                    + "apply from the start again");
        }
        PositionAnchor from;
        try {
            from = PositionAnchors.resumeFrom(anchors, applied, sourceId);
        } catch (IllegalStateException e) {
            throw new ReplicaException(e.getMessage(), e);
        }
        SourcePositions.requireAvailable(source, from.end());
        LOG.info("position mode (source {} without GTIDs in use; synthetic GTIDs {}:n): {} at {}",
                source.address(), sourceId, firstStart[0] ? "first start" : "resuming from the anchor",
                from);
        return new Resumed(new PositionCounter(sourceId, from), new AppliedPositions(sourceId, anchors));
    }
}
