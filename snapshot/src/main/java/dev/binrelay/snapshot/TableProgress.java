package dev.binrelay.snapshot;

/**
 * How far the copy of one table is.
 *
 * @param schema        the table's schema
 * @param table         the table's name
 * @param rowsCopied    rows copied so far, including those of an interrupted earlier run
 * @param rowsEstimated the source's estimate of the table's rows ({@code information_schema.TABLES.TABLE_ROWS})
 * @param rowsPerSecond this run's rate for the table; 0 before its first chunk
 * @param etaSeconds    seconds left at that rate; -1 when unknown, 0 when done
 * @param done          whether every row is copied
 */
public record TableProgress(String schema, String table, long rowsCopied, long rowsEstimated, double rowsPerSecond,
                            long etaSeconds, boolean done) {
}
