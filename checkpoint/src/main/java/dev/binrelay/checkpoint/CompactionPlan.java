package dev.binrelay.checkpoint;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * What compaction does to a channel's rows: each run of overlapping or adjacent rows of one source collapses into its
 * first row (lowest {@code gno_start}), whose {@code gno_end} grows, and the other rows of the run are deleted.
 *
 * <p>Keeping the first row of each run means no row is ever inserted, and the plan only ever names rows it was given,
 * so rows inserted by workers after they were read are never touched.
 *
 * <p>Immutable and thread-safe.
 */
final class CompactionPlan {
    private final List<CheckpointRow> widened;
    private final List<CheckpointRow> removed;

    private CompactionPlan(List<CheckpointRow> widened, List<CheckpointRow> removed) {
        this.widened = widened;
        this.removed = removed;
    }

    /** Plans the compaction of the given rows, in any order. */
    static CompactionPlan of(Collection<CheckpointRow> rows) {
        List<CheckpointRow> sorted = new ArrayList<>(rows);
        sorted.sort(CheckpointRow.KEY_ORDER);
        List<CheckpointRow> widened = new ArrayList<>();
        List<CheckpointRow> removed = new ArrayList<>();
        int i = 0;
        while (i < sorted.size()) {
            CheckpointRow first = sorted.get(i);
            long end = first.end();
            int next = i + 1;
            while (next < sorted.size() && joins(sorted.get(next), first, end)) {
                end = Math.max(end, sorted.get(next).end());
                removed.add(sorted.get(next));
                next++;
            }
            if (end != first.end()) {
                widened.add(new CheckpointRow(first.sourceId(), first.start(), end));
            }
            i = next;
        }
        return new CompactionPlan(List.copyOf(widened), List.copyOf(removed));
    }

    private static boolean joins(CheckpointRow row, CheckpointRow runStart, long runEnd) {
        return row.sourceId().equals(runStart.sourceId()) && row.start() <= runEnd + 1;
    }

    /** The first rows of runs, with the {@code gno_end} they get; their keys are unchanged. */
    List<CheckpointRow> widened() {
        return widened;
    }

    /** The rows merged into a widened row, to delete; sorted by key. */
    List<CheckpointRow> removed() {
        return removed;
    }
}
