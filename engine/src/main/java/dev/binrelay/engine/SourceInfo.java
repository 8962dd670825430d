package dev.binrelay.engine;

import dev.binrelay.engine.source.MariaDbGtids;

/**
 * Facts about the source read before replication starts.
 *
 * @param serverUuid the source's {@code server_uuid} (for MariaDB, that of its server id and gtid_domain_id)
 * @param version    the source's version string
 * @param gtidMode   the source's {@code gtid_mode} (ON, OFF, ...)
 */
public record SourceInfo(String serverUuid, String version, String gtidMode) {

    /** A source with {@code gtid_mode=ON}. */
    public SourceInfo(String serverUuid, String version) {
        this(serverUuid, version, "ON");
    }

    /** Whether the source is MariaDB (then {@code serverUuid} is the synthetic UUID of {@link MariaDbGtids}). */
    public boolean mariaDb() {
        return version.contains("MariaDB");
    }
}
