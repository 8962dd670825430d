package dev.binrelay.benchmarks.differential;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The randomized differential tester: starts a source, a binrelay target and a reference replica once, runs rounds
 * ({@link FuzzRound}) on them, prints one line per round and, for a round with differences, the first difference and
 * the command that replays it; then the totals.
 */
public final class DifferentialTester {
    private final FuzzSettings settings;
    private final PrintWriter out;
    private final List<RoundResult> results = new ArrayList<>();

    /** A tester that prints to {@code out}. */
    public DifferentialTester(FuzzSettings settings, PrintWriter out) {
        this.settings = settings;
        this.out = out;
    }

    /** Runs every round; returns the seeds of the rounds with differences (empty when binrelay matched every time). */
    public List<Long> run() throws Exception {
        Path work = Files.createTempDirectory("binrelay-fuzz-");
        long deadline = System.nanoTime() + settings.minutes() * 60_000_000_000L;
        List<Long> failing = new ArrayList<>();
        try (FuzzServers servers = FuzzServers.start()) {
            for (int round = 0; settings.rounds() > 0 ? round < settings.rounds() : System.nanoTime() < deadline;
                 round++) {
                long seed = settings.seed() + round;
                RoundResult result = new FuzzRound(servers, seed, settings.clients(), settings.transactions(), work)
                        .run();
                results.add(result);
                out.println(result.line());
                if (!result.differences().isEmpty()) {
                    failing.add(seed);
                    out.println("  first difference: " + result.differences().get(0));
                    out.println("  replay: ./binrelay fuzz --seed " + seed + " --rounds 1 --clients "
                            + settings.clients() + " --transactions " + settings.transactions()
                            + "  (binrelay's log: " + work.resolve("binrelay-seed-" + seed + ".log") + ")");
                }
                for (String problem : result.referenceProblems()) {
                    out.println("  tester problem (MySQL's own replica differs from the source): " + problem);
                }
                out.flush();
            }
        }
        out.println(totals());
        out.flush();
        return failing;
    }

    /**
     * {@code totals: R rounds, N transactions, K kills, P pauses, T target restarts, M dependency misses, differences
     * D; configurations: ...}.
     */
    public String totals() {
        TreeSet<String> configurations = new TreeSet<>();
        long transactions = 0;
        long kills = 0;
        long pauses = 0;
        long restarts = 0;
        long misses = 0;
        long differences = 0;
        for (RoundResult result : results) {
            configurations.add(result.configuration().label());
            transactions += result.transactions();
            kills += result.kills();
            pauses += result.pauses();
            restarts += result.targetRestarts();
            misses += result.dependencyMisses();
            differences += result.differences().size();
        }
        return "totals: " + results.size() + " rounds, " + transactions + " transactions, " + kills + " kills, "
                + pauses + " pauses, " + restarts + " target restarts, " + misses + " dependency misses, differences "
                + differences + "; configurations: " + String.join(", ", configurations);
    }
}
