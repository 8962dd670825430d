package dev.binrelay.engine;

import java.time.Instant;

/**
 * The binlog reader's view, the receiving half of {@code SHOW REPLICA STATUS}.
 *
 * @param state          the connection
 * @param address        the source's {@code host:port}
 * @param serverUuid     the source's {@code server_uuid}, empty before the first connection
 * @param binlogFile     the binary log file read last, empty before the first event
 * @param binlogPosition the position in it after the last event read
 * @param receivedGtids  the GTID set received in full (applied or in the ring), as text
 * @param lastEventTime  when the last event (or heartbeat) arrived, null before the first
 * @param lastError      the last connection or read error, empty if none since start
 * @param lastErrorTime  when it happened, null if none
 */
public record SourceStatus(ReaderState state, String address, String serverUuid, String binlogFile,
                           long binlogPosition, String receivedGtids, Instant lastEventTime, String lastError,
                           Instant lastErrorTime) {
}
