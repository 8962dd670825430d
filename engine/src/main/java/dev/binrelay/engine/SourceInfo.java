package dev.binrelay.engine;

/**
 * Facts about the source read before replication starts.
 *
 * @param serverUuid the source's {@code server_uuid}
 * @param version    the source's version string
 */
public record SourceInfo(String serverUuid, String version) {
}
