package dev.binrelay.devtools;

import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.testkit.TableChecksum;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * The demo's verdict: every table of a schema compared by checksum, and the target's checkpoint compared with the
 * source's {@code gtid_executed}.
 *
 * @param schema           the schema compared
 * @param tables           one comparison per table found on either server
 * @param sourceGtids      the source's {@code gtid_executed}
 * @param appliedGtids     what the replica reports as applied
 * @param storedCheckpoint what the target's checkpoint table holds
 */
record Verification(String schema, List<TableComparison> tables, GtidSet sourceGtids, GtidSet appliedGtids,
                    GtidSet storedCheckpoint) {
    private static final int HASH_PREFIX = 12;

    /** Whether source and target are identical: same tables, same rows, same GTIDs. */
    boolean matches() {
        return !tables.isEmpty() && tables.stream().allMatch(TableComparison::matches) && checkpointMatches();
    }

    /** Whether the replica's applied GTIDs and the stored checkpoint both equal the source's gtid_executed. */
    boolean checkpointMatches() {
        return sourceGtids.equals(appliedGtids) && sourceGtids.equals(storedCheckpoint);
    }

    /** Rows on the source, over all tables. */
    long sourceRows() {
        return tables.stream().mapToLong(table -> table.source() == null ? 0 : table.source().rows()).sum();
    }

    /** Prints the comparison table, the checkpoint comparison and the verdict line. */
    void printTo(PrintWriter out) {
        int nameWidth = Math.max(5, tables.stream().mapToInt(table -> table.table().length()).max().orElse(0));
        String row = "%-" + nameWidth + "s  %11s  %11s  %-12s  %-12s  %s%n";
        out.printf(Locale.ROOT, row, "table", "source rows", "target rows", "source hash", "target hash", "result");
        for (TableComparison table : tables) {
            out.printf(Locale.ROOT, row, table.table(), rows(table.source()), rows(table.target()),
                    hash(table.source()), hash(table.target()), table.matches() ? "MATCH" : "DIFFER");
        }
        out.println();
        out.printf(Locale.ROOT, "source gtid_executed:          %s%n", text(sourceGtids));
        out.printf(Locale.ROOT, "replica applied GTIDs:         %s  %s%n", text(appliedGtids),
                sourceGtids.equals(appliedGtids) ? "MATCH" : "DIFFER");
        out.printf(Locale.ROOT, "target checkpoint (stored):    %s  %s%n", text(storedCheckpoint),
                sourceGtids.equals(storedCheckpoint) ? "MATCH" : "DIFFER");
        out.println();
        out.println(verdict());
        out.flush();
    }

    /** The one-line verdict. */
    String verdict() {
        if (matches()) {
            return "verdict: MATCH — " + tables.size() + " tables, " + sourceRows() + " rows, source and target "
                    + "identical";
        }
        long differing = tables.stream().filter(table -> !table.matches()).count();
        StringBuilder verdict = new StringBuilder("verdict: DIFFERENT — ");
        if (tables.isEmpty()) {
            verdict.append("no tables found in ").append(schema);
        } else {
            verdict.append(differing).append(" of ").append(tables.size()).append(" tables differ");
        }
        if (!checkpointMatches()) {
            GtidSet missing = sourceGtids.subtract(appliedGtids);
            verdict.append(", checkpoint differs from the source's gtid_executed")
                    .append(missing.isEmpty() ? "" : " (" + missing.count() + " transactions not applied)");
        }
        return verdict.toString();
    }

    private static String rows(TableChecksum checksum) {
        return checksum == null ? "-" : Long.toString(checksum.rows());
    }

    private static String hash(TableChecksum checksum) {
        return checksum == null ? "(missing)" : checksum.sha256().substring(0, HASH_PREFIX);
    }

    private static String text(GtidSet gtids) {
        return gtids.isEmpty() ? "(empty)" : gtids.toString();
    }
}
