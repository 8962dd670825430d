package dev.binrelay.engine;

import java.util.Locale;

/** The dependency policies a replica can apply with (config {@code applier.scheduler}). */
public enum SchedulerKind {
    /** One transaction at a time, in source order: the baseline and the fallback. */
    SERIAL,
    /** Transactions on different schemas in parallel (MySQL 5.6 style); several schemas wait for all of them. */
    DATABASE,
    /** The source's commit groups: {@code last_committed} / {@code sequence_number} (MySQL 5.7/8.0 LOGICAL_CLOCK). */
    LOGICAL_CLOCK,
    /** Dependencies computed by binrelay from primary and unique key values, whatever the source tracked. */
    WRITESET;

    /** The name used in configuration: lower case. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a configuration value.
     *
     * @throws IllegalArgumentException listing the valid names
     */
    public static SchedulerKind parse(String name) {
        for (SchedulerKind kind : values()) {
            if (kind.configName().equals(name.trim().toLowerCase(Locale.ROOT))) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown scheduler '" + name + "': use serial, database, logical_clock or "
                + "writeset");
    }
}
