package dev.binrelay.engine;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Dependencies the scheduler missed: transactions that ran before one they depended on had committed, failed with a
 * key or foreign-key error, and were applied again after it (see the README, "Parallel apply"). Many of them mean
 * the scheduler guesses wrong for these tables (a foreign key across databases with the {@code database} scheduler,
 * a unique key the writeset does not see): each costs a rollback and a wait.
 *
 * @param total   misses since the replica started
 * @param byTable misses per table ({@code db.t}) of the failing change, sorted by name
 */
public record DependencyMisses(long total, Map<String, Long> byTable) {
    /** No miss. */
    public static final DependencyMisses NONE = new DependencyMisses(0, Map.of());

    public DependencyMisses {
        byTable = Collections.unmodifiableMap(new TreeMap<>(byTable));
    }
}
