package dev.binrelay.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CompactionPlanTest {
    private static final UUID A = UUID.fromString("3e11fa47-71ca-11e1-9e33-c80aa9429562");
    private static final UUID B = UUID.fromString("8a94f357-aab4-11df-86ab-c80aa9429562");

    private static CheckpointRow row(UUID source, long start, long end) {
        return new CheckpointRow(source, start, end);
    }

    @Test
    void adjacentRowsCollapseIntoTheFirstRowOfTheirRun() {
        CompactionPlan plan = CompactionPlan.of(List.of(row(A, 3, 3), row(A, 1, 1), row(A, 2, 2), row(A, 4, 9)));
        assertThat(plan.widened()).containsExactly(row(A, 1, 9));
        assertThat(plan.removed()).containsExactly(row(A, 2, 2), row(A, 3, 3), row(A, 4, 9));
    }

    @Test
    void holesAndOtherSourcesSeparateRuns() {
        CompactionPlan plan = CompactionPlan.of(List.of(
                row(A, 1, 5), row(A, 6, 6), row(A, 8, 8), row(A, 9, 9), row(B, 10, 10), row(B, 11, 11)));
        assertThat(plan.widened()).containsExactly(row(A, 1, 6), row(A, 8, 9), row(B, 10, 11));
        assertThat(plan.removed()).containsExactly(row(A, 6, 6), row(A, 9, 9), row(B, 11, 11));
    }

    @Test
    void alreadyCompactRowsNeedNoChange() {
        CompactionPlan plan = CompactionPlan.of(List.of(row(A, 1, 5), row(A, 7, 7), row(B, 1, 5)));
        assertThat(plan.widened()).isEmpty();
        assertThat(plan.removed()).isEmpty();
        assertThat(CompactionPlan.of(List.of()).removed()).isEmpty();
    }

    @Test
    void rowsContainedInTheFirstRowAreRemovedWithoutWidening() {
        CompactionPlan plan = CompactionPlan.of(List.of(row(A, 1, 10), row(A, 4, 4), row(A, 10, 10)));
        assertThat(plan.widened()).isEmpty();
        assertThat(plan.removed()).containsExactly(row(A, 4, 4), row(A, 10, 10));
    }

    @Test
    void rowsNoStoreWouldWriteAreRejected() {
        assertThatThrownBy(() -> row(A, 0, 3)).hasMessageContaining("gno_start 0, gno_end 3");
        assertThatThrownBy(() -> row(A, 5, 4)).hasMessageContaining("invalid checkpoint row");
    }
}
