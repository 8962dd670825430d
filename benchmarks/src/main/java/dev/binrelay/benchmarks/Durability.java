package dev.binrelay.benchmarks;

import java.util.Locale;

/** How the two targets flush commits; both targets of a run always get the same one. */
public enum Durability {
    /** {@code sync_binlog=1}, {@code innodb_flush_log_at_trx_commit=1}: an fsync per commit (group). */
    DURABLE,
    /** {@code sync_binlog=0}, {@code innodb_flush_log_at_trx_commit=2}: the OS flushes about once a second. */
    RELAXED;

    /** The name on the command line and in results: lower case. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a command-line value.
     *
     * @throws IllegalArgumentException naming the valid values
     */
    public static Durability parse(String name) {
        for (Durability durability : values()) {
            if (durability.configName().equals(name.trim().toLowerCase(Locale.ROOT))) {
                return durability;
            }
        }
        throw new IllegalArgumentException("unknown durability '" + name + "': use durable or relaxed");
    }
}
