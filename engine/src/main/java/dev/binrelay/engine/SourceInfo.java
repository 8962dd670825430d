package dev.binrelay.engine;

/**
 * Facts about the source read before replication starts.
 *
 * @param serverUuid the source's {@code server_uuid}
 * @param version    the source's version string
 * @param gtidMode   the source's {@code gtid_mode} (ON, OFF, ...)
 */
public record SourceInfo(String serverUuid, String version, String gtidMode) {

    /** A source with {@code gtid_mode=ON}. */
    public SourceInfo(String serverUuid, String version) {
        this(serverUuid, version, "ON");
    }
}
