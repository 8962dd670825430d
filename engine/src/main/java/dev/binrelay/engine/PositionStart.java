package dev.binrelay.engine;

import dev.binrelay.checkpoint.BinlogPosition;
import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.checkpoint.PositionAnchor;
import dev.binrelay.checkpoint.PositionAnchors;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Position mode at start: the anchor to read from, recording the origin on a first start. */
final class PositionStart {
    private static final Logger LOG = LoggerFactory.getLogger(PositionStart.class);

    private PositionStart() {
    }

    /** Where position mode starts: the reader's numbering, and the applier's anchors (for the status). */
    record Resumed(PositionCounter counter, AppliedPositions applied) {
    }

    /**
     * The numbering to read with: from the anchor {@link PositionAnchors#resumeFrom} picks among the applier's,
     * after checking the source still has its file; and those anchors, which the status follows from here on.
     *
     * @param configured {@code source.startFile}/{@code source.startPosition}, used only on a first start; null for
     *                   the source's current position
     */
    static Resumed resolve(Applier applier, SourceSettings source, SourceInfo info, GtidSet applied,
                           BinlogPosition configured) {
        UUID sourceId = PositionAnchors.sourceIdFor(info.serverUuid());
        boolean[] firstStart = {false};
        List<PositionAnchor> anchors = applier.positionAnchors(() -> {
            firstStart[0] = true;
            return configured != null ? configured : SourcePositions.current(source);
        });
        if (!firstStart[0] && configured != null) {
            LOG.info("source.startFile/startPosition ({}) ignored: the checkpoint already holds position anchors",
                    configured);
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
