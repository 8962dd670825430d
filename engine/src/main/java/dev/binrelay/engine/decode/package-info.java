/**
 * Stage 2, decoding: exact values out of binlog events. Rows events to Java values by
 * column type ({@link dev.binrelay.engine.decode.RowImageDecoder}, {@code TemporalCells}), QUERY events with the
 * session settings their status variables carry ({@link dev.binrelay.engine.decode.QueryEventDecoder},
 * {@code ClientCharsets}), the library's deserializer configured for that ({@code EventDecoding}: row flags,
 * compressed payloads), and one decoder per table shape whatever table id the source gives it
 * ({@code TableShapes}).
 */
package dev.binrelay.engine.decode;
