package dev.binrelay.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PositionAnchorsTest {
    private static final UUID SOURCE = PositionAnchors.sourceIdFor("3e11fa47-71ca-11e1-9e33-c80aa9429562");
    private static final PositionAnchor ORIGIN = PositionAnchor.origin(new BinlogPosition("binlog.000001", 4));

    private static PositionAnchor anchor(int worker, long seq) {
        return new PositionAnchor(worker, seq, new BinlogPosition("binlog.000002", 100 + seq));
    }

    private static GtidSet executed(String intervals) {
        return intervals.isEmpty() ? GtidSet.empty() : GtidSet.parse(SOURCE + ":" + intervals);
    }

    @Test
    void nothingAppliedResumesFromTheOrigin() {
        List<PositionAnchor> anchors = List.of(ORIGIN, anchor(0, 7));
        assertThat(PositionAnchors.resumeFrom(anchors, executed(""), SOURCE)).isEqualTo(ORIGIN);
    }

    @Test
    void noGapResumesFromTheNewestAnchor() {
        List<PositionAnchor> anchors = List.of(ORIGIN, anchor(0, 9), anchor(1, 10), anchor(2, 8));
        assertThat(PositionAnchors.resumeFrom(anchors, executed("1-10"), SOURCE)).isEqualTo(anchor(1, 10));
    }

    @Test
    void anchorsBeyondTheFirstGapAreSkipped() {
        // Worker 1 held transaction 9 uncommitted while workers 0 and 2 committed 10 and 12.
        List<PositionAnchor> anchors = List.of(ORIGIN, anchor(0, 10), anchor(1, 6), anchor(2, 12), anchor(3, 4));
        assertThat(PositionAnchors.resumeFrom(anchors, executed("1-8:10:12"), SOURCE)).isEqualTo(anchor(1, 6));
    }

    @Test
    void aGapAtTheFirstTransactionResumesFromTheOrigin() {
        List<PositionAnchor> anchors = List.of(ORIGIN, anchor(0, 2), anchor(1, 3));
        assertThat(PositionAnchors.resumeFrom(anchors, executed("2-3"), SOURCE)).isEqualTo(ORIGIN);
    }

    @Test
    void anchorsOfWorkersNoLongerRunningStillCount() {
        List<PositionAnchor> anchors = List.of(ORIGIN, anchor(0, 3), anchor(7, 20));
        assertThat(PositionAnchors.resumeFrom(anchors, executed("1-25"), SOURCE)).isEqualTo(anchor(7, 20));
    }

    @Test
    void otherSourcesInTheCheckpointDoNotCount() {
        GtidSet realGtids = GtidSet.parse("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-100");
        List<PositionAnchor> anchors = List.of(ORIGIN, anchor(0, 50));
        assertThat(PositionAnchors.resumeFrom(anchors, realGtids, SOURCE)).isEqualTo(ORIGIN);
    }

    @Test
    void missingOriginIsReported() {
        assertThatThrownBy(() -> PositionAnchors.resumeFrom(List.of(anchor(0, 5)), executed("1-3"), SOURCE))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("origin");
    }

    @Test
    void syntheticSourceIdIsStableAndNotTheServerUuid() {
        String serverUuid = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
        assertThat(PositionAnchors.sourceIdFor(serverUuid)).isEqualTo(SOURCE)
                .isNotEqualTo(UUID.fromString(serverUuid));
    }
}
