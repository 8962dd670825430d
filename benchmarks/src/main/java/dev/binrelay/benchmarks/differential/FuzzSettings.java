package dev.binrelay.benchmarks.differential;

/**
 * What {@code binrelay fuzz} runs.
 *
 * @param seed         the first round's seed; round {@code i} uses {@code seed + i}
 * @param rounds       rounds to run, or 0 to run for {@code minutes}
 * @param minutes      with {@code rounds == 0}: start rounds until this many minutes passed
 * @param clients      source client threads
 * @param transactions transactions per round (attempted; some roll back)
 */
public record FuzzSettings(long seed, int rounds, int minutes, int clients, int transactions) {
    /** Validates the settings. */
    public FuzzSettings {
        if (rounds < 0 || minutes < 0 || (rounds == 0 && minutes == 0)) {
            throw new IllegalArgumentException("give --rounds N or --minutes M (positive)");
        }
        if (clients < 1 || transactions < 1) {
            throw new IllegalArgumentException("--clients and --transactions must be positive");
        }
    }
}
