package dev.binrelay.cli.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.binrelay.verify.RowDifference;
import dev.binrelay.verify.TableReport;
import dev.binrelay.verify.Verifier;
import dev.binrelay.verify.VerifyReport;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Prints a {@link VerifyReport}: a line per table, its differences indented below, and a verdict; or JSON. */
final class VerifyReportPrinter {
    private VerifyReportPrinter() {
    }

    /**
     * One line per table ({@code shop.items: 7 chunks, 3000 rows, 4 differing rows, 0.12 s: DIFFERENT}), what differs
     * indented below it, then the verdict line.
     */
    static void printText(VerifyReport report, PrintWriter out) {
        for (TableReport table : report.tables()) {
            out.printf(Locale.ROOT, "%s: %d %s%s, %d rows, %d differing rows, %s: %s%n", table.name(), table.chunks(),
                    table.chunks() == 1 ? "chunk" : "chunks", chunkingNote(table.chunking()),
                    table.rows(), table.differingRows(), seconds(table.elapsed()), result(table));
            if (table.tableDifference() != null) {
                out.println("  table " + table.tableDifference());
            }
            for (RowDifference row : table.differences()) {
                out.println("  " + row.kind().label() + ": " + row.describe());
            }
            if (table.unlistedDifferences() > 0) {
                out.println("  ... and " + table.unlistedDifferences() + " more differing rows (at most "
                        + Verifier.ROWS_LISTED_PER_CHUNK + " listed per chunk)");
            }
            for (String chunk : table.unverified()) {
                out.println("  not verified: " + chunk);
            }
        }
        out.println(verdict(report));
    }

    /** The last line: IDENTICAL, DIFFERENT or NOT VERIFIED, with the counts behind it. */
    static String verdict(VerifyReport report) {
        String totals = report.tables().size() + " tables, " + report.rows() + " rows, " + seconds(report.elapsed());
        if (report.identical()) {
            return "verdict: IDENTICAL — " + totals + ", source and target hold the same rows";
        }
        List<String> problems = new ArrayList<>();
        if (report.differingTables() > 0) {
            problems.add(report.differingTables() + " of " + report.tables().size() + " tables differ ("
                    + report.differingRows() + " differing rows)");
        }
        if (report.unverifiedChunks() > 0) {
            problems.add(report.unverifiedChunks() + " chunks not verified");
        }
        return "verdict: " + (report.differingTables() > 0 ? "DIFFERENT" : "NOT VERIFIED") + " — "
                + String.join(", ", problems) + "; " + totals;
    }

    /** The report as one JSON document. */
    static void printJson(VerifyReport report, PrintWriter out) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("identical", report.identical());
        root.put("tableCount", report.tables().size());
        root.put("rows", report.rows());
        root.put("differingTables", report.differingTables());
        root.put("differingRows", report.differingRows());
        root.put("unverifiedChunks", report.unverifiedChunks());
        root.put("seconds", report.elapsed().toMillis() / 1000.0);
        ArrayNode tables = root.putArray("tables");
        for (TableReport table : report.tables()) {
            ObjectNode node = tables.addObject();
            node.put("schema", table.schema());
            node.put("table", table.table());
            node.put("identical", table.identical());
            node.put("chunking", table.chunking().name().toLowerCase(Locale.ROOT));
            node.put("chunks", table.chunks());
            node.put("rows", table.rows());
            node.put("tableDifference", table.tableDifference());
            node.put("differingChunks", table.differingChunks());
            node.put("differingRows", table.differingRows());
            ArrayNode differences = node.putArray("differences");
            for (RowDifference row : table.differences()) {
                ObjectNode difference = differences.addObject();
                difference.put("kind", row.kind().name().toLowerCase(Locale.ROOT));
                ObjectNode key = difference.putObject("row");
                for (int i = 0; i < row.columns().size(); i++) {
                    key.put(row.columns().get(i), row.values().get(i));
                }
            }
            node.put("unlistedDifferences", table.unlistedDifferences());
            ArrayNode unverified = node.putArray("unverified");
            table.unverified().forEach(unverified::add);
            node.put("seconds", table.elapsed().toMillis() / 1000.0);
        }
        try {
            out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the report as JSON", e);
        }
    }

    private static String chunkingNote(TableReport.Chunking chunking) {
        return switch (chunking) {
            case PRIMARY_KEY -> "";
            case ONE_CHUNK_NO_KEY -> " (no primary key: one chunk)";
            case ONE_CHUNK_KEY_TYPE -> " (primary key type not paginated: one chunk)";
        };
    }

    private static String result(TableReport table) {
        if (table.identical()) {
            return "OK";
        }
        return table.tableDifference() != null || table.differingChunks() > 0 ? "DIFFERENT" : "NOT VERIFIED";
    }

    private static String seconds(Duration elapsed) {
        return String.format(Locale.ROOT, "%.2f s", elapsed.toMillis() / 1000.0);
    }
}
