package dev.binrelay.engine;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code rewriteDb} map: a source database name to the target database that stands for it. Names not in the
 * map are kept. One step only, as MySQL's {@code --replicate-rewrite-db}: {@code a -> b} and {@code b -> c} send
 * {@code a} to {@code b}, not to {@code c}.
 *
 * <p>Immutable and thread-safe.
 */
final class DatabaseRewrite {
    private final Map<String, String> targets;

    DatabaseRewrite(Map<String, String> targets) {
        this.targets = Map.copyOf(targets);
    }

    /** The target name of {@code database} (itself when not rewritten). */
    String apply(String database) {
        return targets.getOrDefault(database, database);
    }

    boolean isEmpty() {
        return targets.isEmpty();
    }

    @Override
    public String toString() {
        return new LinkedHashMap<>(targets).toString();
    }
}
