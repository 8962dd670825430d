package dev.binrelay.cli.command;

import dev.binrelay.cli.daemon.StatusDocument;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code binrelay status} as text, from the {@link StatusDocument}: aligned {@code Name: value} lines in the spirit of
 * {@code SHOW REPLICA STATUS\G}, then a table with a row per worker like
 * {@code performance_schema.replication_applier_status_by_worker}.
 */
final class StatusReport {
    private StatusReport() {
    }

    /** The report for {@code status}, lines ending in {@code \n}. */
    static String render(JsonNode status) {
        if (status.has("channels")) {
            // A daemon with several channels: one report each, under its name.
            StringBuilder report = new StringBuilder();
            for (JsonNode channel : status.path("channels")) {
                report.append("*** Channel ").append(channel.path("name").asText()).append(" ***\n")
                        .append(render(channel)).append('\n');
            }
            return report.toString();
        }
        JsonNode controller = status.path("controller");
        JsonNode source = status.path("source");
        JsonNode applier = status.path("applier");
        JsonNode error = applier.path("lastError");
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("Replica state", text(status, "state"));
        fields.put("Mode", text(status, "mode"));
        fields.put("Requested", text(controller, "requested"));
        fields.put("Replica starts", text(controller, "replicaStarts"));
        fields.put("Last action", text(controller, "lastAction"));
        fields.put("Last action time", text(controller, "lastActionTime"));
        fields.put("Skipped GTIDs", text(controller, "skippedGtids"));
        fields.put("Source state", text(source, "state"));
        fields.put("Source host", text(source, "address"));
        fields.put("Source UUID", text(source, "serverUuid"));
        fields.put("Source binlog file", text(source, "binlogFile"));
        fields.put("Source binlog position", text(source, "binlogPosition"));
        fields.put("Received GTID set", text(source, "receivedGtids"));
        fields.put("Last event time", text(source, "lastEventTime"));
        fields.put("Last IO error", text(source, "lastError"));
        fields.put("Last IO error time", text(source, "lastErrorTime"));
        fields.put("Applier state", text(applier, "state"));
        fields.put("Executed GTID set", text(applier, "executedGtids"));
        if (!text(applier, "appliedPosition").isEmpty()) {
            // Position mode: the GTIDs above are synthetic; this is the source's own coordinate.
            fields.put("Applied position", text(applier, "appliedPosition"));
        }
        fields.put("Last applied GTID", text(applier, "lastAppliedGtid"));
        fields.put("Seconds behind source", applier.path("lagSeconds").isNumber()
                ? String.format(Locale.ROOT, "%.3f", applier.path("lagSeconds").asDouble()) : "unknown");
        fields.put("Transactions applied", text(applier, "transactionsApplied"));
        fields.put("Rows applied", text(applier, "rowsApplied"));
        fields.put("Skipped row errors", text(applier, "skippedErrors"));
        fields.put("Transactions per second", String.format(Locale.ROOT, "%.1f",
                applier.path("transactionsPerSecond").asDouble()));
        fields.put("In flight", text(applier, "inFlight"));
        fields.put("Ring", text(applier, "inFlight") + " of " + text(applier, "ringSize") + " slots, "
                + text(applier, "heldBytes") + " bytes held");
        fields.put("Last SQL error", text(error, "message"));
        fields.put("Last SQL error GTID", text(error, "gtid"));
        fields.put("Last SQL error table", text(error, "table"));
        fields.put("Last SQL error code", error.isObject() ? text(error, "targetErrorCode") : "");
        fields.put("Last SQL error time", text(error, "time"));
        JsonNode scheduler = status.path("scheduler");
        if (scheduler.isObject()) {
            fields.put("Scheduler", String.format(Locale.ROOT, "%s x%d, parallelism %.2f, scheduled %d, "
                    + "independent %d, barriers %d, streamed %d", text(scheduler, "scheduler"),
                    scheduler.path("workers").asInt(), scheduler.path("averageParallelism").asDouble(),
                    scheduler.path("scheduled").asLong(), scheduler.path("independent").asLong(),
                    scheduler.path("barriers").asLong(), scheduler.path("streamed").asLong()));
            fields.put("Dependency misses", dependencyMisses(scheduler.path("dependencyMisses")));
        }
        int width = fields.keySet().stream().mapToInt(String::length).max().orElse(0);
        StringBuilder report = new StringBuilder();
        fields.forEach((name, value) -> report.append(" ".repeat(width - name.length())).append(name).append(": ")
                .append(value).append('\n'));
        report.append('\n').append(workers(status.path("workers")));
        return report.toString();
    }

    /** {@code 3 (db1.child 2, db1.t 1)}, or {@code 0}. */
    private static String dependencyMisses(JsonNode misses) {
        long total = misses.path("total").asLong();
        if (total == 0) {
            return "0";
        }
        List<String> tables = new ArrayList<>();
        misses.path("byTable").fields().forEachRemaining(entry -> tables.add(entry.getKey() + " "
                + entry.getValue().asLong()));
        return total + " (" + String.join(", ", tables) + ")";
    }

    private static String workers(JsonNode workers) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"Worker", "Transactions", "Rows", "Commits", "Replays", "Misses", "Skipped", "Busy s",
                "Dependency wait s", "Commit order wait s", "Last GTID", "Last error"});
        for (JsonNode worker : workers) {
            rows.add(new String[] {text(worker, "index"), text(worker, "transactions"), text(worker, "rows"),
                    text(worker, "commits"), text(worker, "replays"),
                    text(worker, "dependencyMisses"), text(worker, "skippedErrors"),
                    seconds(worker, "busyMillis"), seconds(worker, "dependencyWaitMillis"),
                    seconds(worker, "commitOrderWaitMillis"), text(worker, "lastGtid"), text(worker, "lastError")});
        }
        if (rows.size() == 1) {
            return "(no workers running)\n";
        }
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder table = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                // Numbers right-aligned, the GTID and error columns left-aligned.
                boolean left = i >= row.length - 2;
                String cell = left ? row[i] + " ".repeat(widths[i] - row[i].length())
                        : " ".repeat(widths[i] - row[i].length()) + row[i];
                line.append(i == 0 ? "" : "  ").append(cell);
            }
            table.append(line.toString().stripTrailing()).append('\n');
        }
        return table.toString();
    }

    private static String seconds(JsonNode node, String millisField) {
        return String.format(Locale.ROOT, "%.3f", node.path(millisField).asLong() / 1000.0);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.isNull() ? "" : value.asText();
    }
}
