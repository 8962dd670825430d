package dev.binrelay.verify;

import java.time.Duration;
import java.util.List;

/**
 * The result of one verification.
 *
 * @param tables  one report per table, in schema and table order
 * @param elapsed how long the verification took
 */
public record VerifyReport(List<TableReport> tables, Duration elapsed) {
    /** Copies the list. */
    public VerifyReport {
        tables = List.copyOf(tables);
    }

    /** Whether every table was verified in full and none differs. */
    public boolean identical() {
        return tables.stream().allMatch(TableReport::identical);
    }

    /** Rows compared (as the source had them), over all tables. */
    public long rows() {
        return tables.stream().mapToLong(TableReport::rows).sum();
    }

    /** Tables with a difference: missing, other columns, or differing rows. */
    public long differingTables() {
        return tables.stream().filter(t -> t.tableDifference() != null || t.differingChunks() > 0).count();
    }

    /** Differing rows, over all tables. */
    public long differingRows() {
        return tables.stream().mapToLong(TableReport::differingRows).sum();
    }

    /** Chunks that could not be verified, over all tables. */
    public long unverifiedChunks() {
        return tables.stream().mapToLong(t -> t.unverified().size()).sum();
    }
}
