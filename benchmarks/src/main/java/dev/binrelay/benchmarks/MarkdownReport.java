package dev.binrelay.benchmarks;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The results as Markdown tables: backlogs, catch-up with each binrelay rate's ratio to the native replica's at the
 * same worker count (measured in the same run, on the same backlog), decode only, lag, and the targets.
 */
final class MarkdownReport {
    /** The targets, for oltp_write_only with 4 workers. */
    private static final double DURABLE_TARGET = 2.0;
    private static final double RELAXED_TARGET = 1.2;
    private static final double DECODE_TARGET = 500_000;
    private static final double HEAP_TARGET_MIB = 256;
    private static final int TARGET_WORKERS = 4;

    private MarkdownReport() {
    }

    static String render(BenchResults results) {
        StringBuilder md = new StringBuilder();
        BenchResults.Machine machine = results.machine();
        md.append("Command: `").append(results.command()).append("`\n\n");
        md.append(String.format(Locale.ROOT, "Date: %s. Machine: %d cores, %d GiB, %s, %s (max heap %d MiB). "
                        + "Source dependency tracking: %s; target binary log: %s.%n%n", results.date(), machine.cores(),
                machine.memoryGiB(), machine.os(), machine.jvm(), machine.maxHeapMiB(), results.settings().tracking(),
                results.settings().targetBinlog() ? "on" : "off"));
        backlogs(md, results.backlogs());
        catchUp(md, results.catchUp());
        decode(md, results.decode());
        lag(md, results.lag());
        targets(md, results);
        return md.toString();
    }

    private static void backlogs(StringBuilder md, List<BenchResults.Backlog> backlogs) {
        if (backlogs.isEmpty()) {
            return;
        }
        md.append("### Backlogs\n\n| durability | workload | client threads | seconds | transactions |\n"
                + "| --- | --- | ---: | ---: | ---: |\n");
        for (BenchResults.Backlog backlog : backlogs) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %d | %.1f | %d |%n", backlog.durability(),
                    backlog.workload(), backlog.clientThreads(), backlog.seconds(), backlog.transactions()));
        }
        md.append('\n');
    }

    private static void catchUp(StringBuilder md, List<BenchResults.CatchUp> runs) {
        if (runs.isEmpty()) {
            return;
        }
        md.append("### Catch-up\n\n| durability | replica | scheduler | workers | transactions | seconds | tx/s "
                + "| vs native | peak heap MiB | CPU µs/tx | target mysqld CPU µs/tx | target = source |\n"
                + "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
        for (BenchResults.CatchUp run : runs) {
            boolean binrelay = run.replica().equals("binrelay");
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %d | %.2f | %s | %s | %s | %s | %.0f | %s |%n",
                    run.durability(), run.replica(), run.scheduler(), run.workers(), run.transactions(), run.seconds(),
                    ok(run.status()) ? String.format(Locale.ROOT, "%.1f", run.txPerSecond()) : "-",
                    ratio(run, runs).map(r -> String.format(Locale.ROOT, "%.2fx", r)).orElse("-"),
                    binrelay ? String.format(Locale.ROOT, "%.0f", run.peakHeapMiB()) : "-",
                    binrelay ? String.format(Locale.ROOT, "%.0f", run.cpuMicrosPerTx()) : "-",
                    run.targetCpuMicrosPerTx(), ok(run.status()) ? "yes" : run.status()));
        }
        md.append('\n');
    }

    private static void decode(StringBuilder md, List<BenchResults.Decode> runs) {
        if (runs.isEmpty()) {
            return;
        }
        md.append("### Decode only (null applier)\n\n| durability | scheduler | workers | transactions | row events "
                + "| seconds | row events/s | peak heap MiB | status |\n"
                + "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
        for (BenchResults.Decode run : runs) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %d | %.2f | %.0f | %.0f | %s |%n",
                    run.durability(), run.scheduler(), run.workers(), run.transactions(), run.rowEvents(),
                    run.seconds(), run.rowEventsPerSecond(), run.peakHeapMiB(), run.status()));
        }
        md.append('\n');
    }

    private static void lag(StringBuilder md, List<BenchResults.Lag> windows) {
        if (windows.isEmpty()) {
            return;
        }
        md.append("### Lag and keep-up (both replicas following the source at once; heartbeat every 100 ms)\n\n"
                + "Source tx/s \"full speed\": its clients write as fast as it takes them (keep-up). Applied / "
                + "written: what the replica had applied of the window's transactions when the source stopped.\n\n"
                + "| durability | replica | scheduler | workers | source tx/s | seconds | written | applied / written "
                + "| samples | p50 ms | p99 ms | max ms | target = source |\n"
                + "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
        for (BenchResults.Lag lag : windows) {
            md.append(String.format(Locale.ROOT,
                    "| %s | %s | %s | %d | %s | %d | %d | %.2f | %d | %.1f | %.1f | %.1f | %s |%n",
                    lag.durability(), lag.replica(), lag.scheduler(), lag.workers(),
                    lag.rate() == 0 ? String.format(Locale.ROOT, "full speed (%.0f)", lag.written()
                            / (double) lag.seconds()) : Integer.toString(lag.rate()), lag.seconds(), lag.written(),
                    lag.appliedShare(), lag.samples(), lag.p50Millis(), lag.p99Millis(), lag.maxMillis(),
                    ok(lag.status()) ? "yes" : lag.status()));
        }
        md.append('\n');
    }

    /** The targets where this run measured them: met, or missed by how much. */
    private static void targets(StringBuilder md, BenchResults results) {
        StringBuilder lines = new StringBuilder();
        boolean sysbench = results.settings().workload().equals("oltp_write_only");
        for (Durability durability : Durability.values()) {
            double target = durability == Durability.DURABLE ? DURABLE_TARGET : RELAXED_TARGET;
            results.catchUp().stream()
                    .filter(run -> sysbench && run.durability().equals(durability.configName())
                            && run.replica().equals("binrelay") && run.workers() == TARGET_WORKERS)
                    .forEach(run -> ratio(run, results.catchUp()).ifPresent(r -> lines.append(String.format(
                            Locale.ROOT, "- %s, %s x%d: %.2fx native (target %.1fx): %s%n", durability.configName(),
                            run.scheduler(), run.workers(), r, target, verdict(r, target)))));
        }
        results.decode().stream().filter(run -> ok(run.status())).mapToDouble(BenchResults.Decode::rowEventsPerSecond)
                .max().ifPresent(best -> lines.append(String.format(Locale.ROOT,
                        "- decode only: %.0f row events/s at best (target %.0f): %s%n", best, DECODE_TARGET,
                        verdict(best, DECODE_TARGET))));
        results.catchUp().stream().filter(run -> run.replica().equals("binrelay"))
                .mapToDouble(BenchResults.CatchUp::peakHeapMiB).max().ifPresent(peak -> lines.append(String.format(
                        Locale.ROOT, "- binrelay's peak heap: %.0f MiB at most (target under %.0f MiB): %s%n", peak,
                        HEAP_TARGET_MIB, peak < HEAP_TARGET_MIB ? "met" : String.format(Locale.ROOT,
                                "missed by %.0f MiB", peak - HEAP_TARGET_MIB))));
        if (!lines.isEmpty()) {
            md.append("### Issue 6 targets\n\n").append(lines).append('\n');
        }
    }

    /** binrelay's rate over the native replica's at the same durability and worker count, when both succeeded. */
    static Optional<Double> ratio(BenchResults.CatchUp run, List<BenchResults.CatchUp> runs) {
        if (!run.replica().equals("binrelay") || !ok(run.status())) {
            return Optional.empty();
        }
        return runs.stream().filter(other -> other.replica().equals("native") && ok(other.status())
                        && other.durability().equals(run.durability()) && other.workers() == run.workers())
                .findFirst().map(other -> run.txPerSecond() / other.txPerSecond());
    }

    private static String verdict(double measured, double target) {
        return measured >= target ? "met" : String.format(Locale.ROOT, "missed by %.0f%%",
                (1 - measured / target) * 100);
    }

    private static boolean ok(String status) {
        return status.equals(BenchResults.OK);
    }
}
