/**
 * Stage 1, the source: {@link dev.binrelay.engine.source.BinlogSource} holds the replica
 * connection (mysql-binlog-connector-java, GTID auto-positioning or a binlog position, heartbeat, reconnect with
 * backoff) and hands each event to an {@link dev.binrelay.engine.source.EventSink}; the checks run on the source before
 * streaming ({@code SourceChecks}, {@code MariaDbSourceChecks}), MariaDB's GTIDs mapped to binrelay's, and position
 * mode's synthetic numbering ({@code PositionCounter}, {@code PositionStart}, {@code SourcePositions}).
 */
package dev.binrelay.engine.source;
