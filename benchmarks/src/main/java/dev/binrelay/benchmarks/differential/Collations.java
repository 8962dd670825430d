package dev.binrelay.benchmarks.differential;

import java.util.List;
import java.util.Random;

/**
 * The collations text keys are declared with: case- and accent-insensitive, pad and no-pad, and binary, so that the
 * {@link ValueGenerator confusable alphabet} makes distinct byte strings equal in a unique index.
 */
final class Collations {
    /** Charset and collation pairs; latin1's swedish collation is case-insensitive and PAD SPACE. */
    static final List<String> ALL = List.of("utf8mb4_0900_ai_ci", "utf8mb4_0900_as_ci", "utf8mb4_general_ci",
            "utf8mb4_unicode_ci", "utf8mb4_unicode_520_ci", "utf8mb4_bin", "latin1_swedish_ci", "utf8mb4_0900_as_cs");

    private Collations() {
    }

    static String pick(Random random) {
        return ALL.get(random.nextInt(ALL.size()));
    }

    /** {@code CHARACTER SET cs COLLATE collation}. */
    static String clause(String collation) {
        return "CHARACTER SET " + collation.substring(0, collation.indexOf('_')) + " COLLATE " + collation;
    }
}
