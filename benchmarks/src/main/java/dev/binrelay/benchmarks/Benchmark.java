package dev.binrelay.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.binrelay.engine.SchedulerKind;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * binrelay against MySQL's native replica, on embedded servers, one durability setting at a time (see
 * {@link BenchSession}); prints the Markdown tables and writes them, the JSON results and the catch-up charts into
 * a new folder under {@link BenchSettings#out()}.
 */
public final class Benchmark {

    /** What a run measures. */
    public enum Mode {
        /** Catch-up of one backlog, native then each binrelay scheduler, for each worker count. */
        CATCHUP,
        /** Steady-state lag of both replicas at a fixed source rate, for each scheduler and worker count. */
        LAG,
        /** binrelay reading and scheduling the backlog with a null applier, for each scheduler. */
        DECODE,
        /** Both replicas following the source while it writes at full speed, for each scheduler and worker count. */
        KEEPUP,
        /**
         * Everything above, for RESULTS.md: decode and the catch-up matrix, then a keep-up window and a lag window at
         * {@link #LAG_SHARE} of the native replica's catch-up rate.
         */
        FULL;

        String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The full run's lag window: the source at this share of what the native replica applied in catch-up. */
    static final double LAG_SHARE = 0.8;

    private final Mode mode;
    private final BenchSettings settings;
    private final PrintWriter out;
    private BenchResults results;

    /**
     * @param mode     what to measure
     * @param settings on what
     * @param out      where progress lines and the tables go
     */
    public Benchmark(Mode mode, BenchSettings settings, PrintWriter out) {
        this.mode = mode;
        this.settings = settings;
        this.out = out;
    }

    /**
     * Runs every durability setting asked and writes the results.
     *
     * @param command the command line, recorded with the results
     * @return the folder holding results.md, results.json and the charts
     */
    public Path run(String command) throws Exception {
        Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        results = BenchResults.start(command, started.toString(), settings);
        for (Durability durability : settings.durabilities()) {
            try (BenchSession session = BenchSession.open(settings, durability, out)) {
                runOn(session, results);
            }
        }
        return write(results, started);
    }

    /** Whether every run of the last {@link #run} ended with its target equal to the source. */
    public boolean allTargetsMatched() {
        return results != null && results.catchUp().stream().allMatch(run -> run.status().equals(BenchResults.OK))
                && results.decode().stream().allMatch(run -> run.status().equals(BenchResults.OK))
                && results.lag().stream().allMatch(window -> window.status().equals(BenchResults.OK));
    }

    private void runOn(BenchSession session, BenchResults results) throws Exception {
        if (mode != Mode.LAG && mode != Mode.KEEPUP) {
            results.backlogs().add(session.buildBacklog());
        }
        if (mode == Mode.DECODE || mode == Mode.FULL) {
            // A null applier costs nothing per worker: the largest count asked shows the reader and scheduler alone.
            int workers = settings.workers().stream().max(Integer::compare).orElseThrow();
            // Once untimed first: the decoding path's JIT compilation would otherwise be charged to the first
            // scheduler (a run takes about a second, as long as compiling it).
            session.warmUp(settings.schedulers().get(0));
            for (SchedulerKind scheduler : settings.schedulers()) {
                results.decode().add(session.decode(scheduler, scheduler == SchedulerKind.SERIAL ? 1 : workers));
            }
        }
        if (mode == Mode.CATCHUP || mode == Mode.FULL) {
            catchUpMatrix(session, results);
        }
        if (mode == Mode.LAG || mode == Mode.KEEPUP) {
            for (SchedulerKind scheduler : settings.schedulers()) {
                for (int workers : settings.workersFor(scheduler)) {
                    results.lag().addAll(mode == Mode.LAG
                            ? session.lag(scheduler, workers, settings.rate(), settings.lagSeconds())
                            : session.lag(scheduler, workers, 0, settings.keepUpSeconds()));
                }
            }
        }
        if (mode == Mode.FULL) {
            SchedulerKind scheduler = fullLagScheduler();
            int workers = fullLagWorkers();
            results.lag().addAll(session.lag(scheduler, workers, 0, settings.keepUpSeconds()));
            double nativeRate = session.nativeRate(workers);
            int rate = nativeRate > 0 ? (int) Math.max(1, Math.round(nativeRate * LAG_SHARE)) : settings.rate();
            results.lag().addAll(session.lag(scheduler, workers, rate, settings.lagSeconds()));
        }
    }

    /**
     * Worker counts in increasing order; at each, the native replica first, then every binrelay scheduler, so that a
     * drift of the machine over the run touches both sides of each ratio alike.
     */
    private void catchUpMatrix(BenchSession session, BenchResults results) throws Exception {
        TreeSet<Integer> rounds = new TreeSet<>(settings.workers());
        settings.schedulers().forEach(scheduler -> rounds.addAll(settings.workersFor(scheduler)));
        SchedulerKind first = settings.schedulers().get(0);
        session.warmUpApplier(first, settings.workersFor(first).stream().max(Integer::compare).orElseThrow());
        for (int workers : rounds) {
            if (settings.workers().contains(workers)) {
                results.catchUp().add(session.nativeCatchUp(workers));
            }
            for (SchedulerKind scheduler : settings.schedulers()) {
                if (settings.workersFor(scheduler).contains(workers)) {
                    results.catchUp().add(session.binrelayCatchUp(scheduler, workers));
                }
            }
        }
    }

    /** The full run's lag window: writeset (or the last scheduler listed) ... */
    private SchedulerKind fullLagScheduler() {
        List<SchedulerKind> schedulers = settings.schedulers();
        return schedulers.contains(SchedulerKind.WRITESET) ? SchedulerKind.WRITESET
                : schedulers.get(schedulers.size() - 1);
    }

    /** ... with 4 workers (or the largest count listed). */
    private int fullLagWorkers() {
        if (fullLagScheduler() == SchedulerKind.SERIAL) {
            return 1;
        }
        return settings.workers().contains(4) ? 4 : settings.workers().stream().max(Integer::compare).orElseThrow();
    }

    private Path write(BenchResults results, Instant started) throws IOException {
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(started);
        Path folder = settings.out().resolve(stamp + "-" + mode.configName());
        Files.createDirectories(folder);
        String markdown = MarkdownReport.render(results);
        Files.writeString(folder.resolve("results.md"), markdown, StandardCharsets.UTF_8);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(
                folder.resolve("results.json").toFile(), results);
        CatchUpChart.write(results.catchUp(), settings.workload(), folder);
        out.println();
        out.print(markdown);
        out.println("Results written to " + folder);
        out.flush();
        return folder;
    }
}
