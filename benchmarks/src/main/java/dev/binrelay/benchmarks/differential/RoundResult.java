package dev.binrelay.benchmarks.differential;

import java.util.List;

/**
 * What one round did and found.
 *
 * @param seed               the round's seed (replays it)
 * @param configuration      how binrelay applied
 * @param transactions       transactions committed on the source
 * @param kills              SIGKILLs of binrelay
 * @param pauses             stalls of binrelay (SIGSTOP, SIGCONT)
 * @param targetRestarts     restarts of binrelay's target
 * @param dependencyMisses   transactions run beside one they depend on and run again by the safety net
 * @param differences        binrelay's differences from the source (rows, tables, checkpoint, a failure); empty when
 *                           it ended identical
 * @param referenceProblems  where MySQL's own replica differed from the source: a problem of the tester (or of
 *                           MySQL), not of binrelay
 */
record RoundResult(long seed, RunConfiguration configuration, long transactions, int kills, int pauses,
                   int targetRestarts, int dependencyMisses, List<String> differences, List<String> referenceProblems) {

    /**
     * The round line: {@code seed S config C: N transactions, K kills, P pauses, R target restarts, M dependency
     * misses, differences D}.
     */
    String line() {
        return "seed " + seed + " config " + configuration.label() + ": " + transactions + " transactions, " + kills
                + " kills, " + pauses + " pauses, " + targetRestarts + " target restarts, " + dependencyMisses
                + " dependency misses, differences " + differences.size();
    }
}
