package dev.binrelay.engine;

/**
 * Facts about the source read before replication starts.
 *
 * @param serverUuid the source's {@code server_uuid}
 * @param version    the source's version string
 * @param sqlMode    the source's global {@code sql_mode}, used for statements (DDL) applied on the target
 */
public record SourceInfo(String serverUuid, String version, String sqlMode) {
}
