package dev.binrelay.verify;

import java.time.Duration;
import java.util.List;

/**
 * What verify found in one table.
 *
 * @param schema            the schema
 * @param table             the table
 * @param chunking          how its rows were split into chunks
 * @param chunks            the chunks compared, verified or not
 * @param rows              the rows the source had in the verified chunks
 * @param tableDifference   null, or what differs in the table as a whole ("missing on the target", columns that
 *                          differ); its rows are then not compared
 * @param differingChunks   chunks whose rows differ
 * @param differences       the differing rows listed (at most {@link Verifier#ROWS_LISTED_PER_CHUNK} per chunk)
 * @param unlistedDifferences differing rows beyond those listed
 * @param unverified        one line per chunk that could not be verified, naming the chunk and the reason
 * @param elapsed           how long the table took
 */
public record TableReport(String schema, String table, Chunking chunking, long chunks, long rows,
                          String tableDifference, long differingChunks, List<RowDifference> differences,
                          long unlistedDifferences, List<String> unverified, Duration elapsed) {
    /** How a table's rows were split into chunks. */
    public enum Chunking {
        /** Primary-key ranges of at most the chunk size. */
        PRIMARY_KEY,
        /** One chunk: the table has no primary key. */
        ONE_CHUNK_NO_KEY,
        /** One chunk: the primary key has an ENUM, SET, BIT or FLOAT column, which does not paginate exactly. */
        ONE_CHUNK_KEY_TYPE
    }

    /** Copies the lists. */
    public TableReport {
        differences = List.copyOf(differences);
        unverified = List.copyOf(unverified);
    }

    /** Whether it was verified in primary-key chunks rather than as one chunk. */
    public boolean chunked() {
        return chunking == Chunking.PRIMARY_KEY;
    }

    /** {@code schema.table}. */
    public String name() {
        return schema + "." + table;
    }

    /** Differing rows, listed or not. */
    public long differingRows() {
        return differences.size() + unlistedDifferences;
    }

    /** Whether every chunk was verified and none differs. */
    public boolean identical() {
        return tableDifference == null && differingChunks == 0 && unverified.isEmpty();
    }
}
