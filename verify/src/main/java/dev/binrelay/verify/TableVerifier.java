package dev.binrelay.verify;

import dev.binrelay.checkpoint.GtidSet;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies one table: its presence and columns on the target, then its rows chunk by chunk (keyset pagination on the
 * primary key, or the whole table as one chunk without one), and reports what it found.
 */
final class TableVerifier {
    private static final Logger LOG = LoggerFactory.getLogger(TableVerifier.class);
    /** How often a long table logs its progress. */
    private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(10);

    private final Connection source;
    private final Connection target;
    private final TargetCheckpoint checkpoint;
    private final ChunkVerifier chunks;
    private final int chunkRows;
    private final int rowsListedPerChunk;

    TableVerifier(Connection source, Connection target, TargetCheckpoint checkpoint, int chunkRows,
                  int rowsListedPerChunk) {
        this.source = source;
        this.target = target;
        this.checkpoint = checkpoint;
        this.chunks = new ChunkVerifier(source, target, checkpoint);
        this.chunkRows = chunkRows;
        this.rowsListedPerChunk = rowsListedPerChunk;
    }

    /**
     * A table's report, and whether verification stopped because the target lagged.
     *
     * @param report       what was found
     * @param targetLagged true when a chunk timed out waiting for the target
     */
    record Result(TableReport report, boolean targetLagged) {
    }

    /**
     * Verifies {@code schema.name}, listed on the source, against {@code targetSchema.name} on the target
     * ({@code targetSchema} differs from {@code schema} when the replica rewrites the database).
     */
    Result verify(String schema, String name, String targetSchema) throws SQLException, InterruptedException {
        Tally tally = new Tally(schema, name);
        Optional<ComparedTable> shape = ComparedTable.load(source, schema, name);
        if (shape.isEmpty()) {
            return tally.unverified("table", "dropped on the source during verification", false);
        }
        ComparedTable table = shape.get();
        tally.chunking = table.chunking();
        if (table.key().isEmpty()) {
            LOG.info("{} has no primary key: verified as one chunk, its rows locked on the source meanwhile",
                    table.displayName());
        } else if (!table.chunked()) {
            LOG.info("{} has a primary key of a type verify cannot paginate exactly: verified as one chunk",
                    table.displayName());
        }
        // The target must first have applied everything up to now: a table just created would not be there yet.
        GtidSet missing = checkpoint.awaitContains(ChunkVerifier.sourceGtids(source));
        if (!missing.isEmpty()) {
            return tally.unverified("table", "target lagging: its checkpoint still lacked " + missing.count()
                    + " source transactions after " + checkpoint.maxWait().toSeconds() + " s", true);
        }
        Optional<ComparedTable> onTarget = ComparedTable.load(target, targetSchema, name);
        if (onTarget.isEmpty()) {
            if (ComparedTable.load(source, schema, name).isEmpty()) {
                return tally.unverified("table", "dropped on the source during verification", false);
            }
            return tally.tableDifference("missing on the target"
                    + (targetSchema.equals(schema) ? "" : " (as " + targetSchema + "." + name + ")"));
        }
        if (!onTarget.get().columnNames().equals(table.columnNames())) {
            return tally.tableDifference("columns differ: source " + table.columnNames() + ", target "
                    + onTarget.get().columnNames());
        }
        return verifyRows(table, targetSchema, tally);
    }

    private Result verifyRows(ComparedTable table, String targetSchema, Tally tally)
            throws SQLException, InterruptedException {
        ChunkQueries queries = new ChunkQueries(table);
        // The source's column types build both sides' queries: the same text, so the same hashes for equal rows.
        ChunkQueries targetQueries = new ChunkQueries(table.in(targetSchema));
        RowDiff rowDiff = new RowDiff(table);
        long nextLog = System.nanoTime() + PROGRESS_INTERVAL.toNanos();
        List<Object> after = null;
        while (true) {
            List<Object> upTo = table.chunked() ? nextBoundary(table, queries, after) : null;
            if (upTo != null && after != null && keyText(upTo).equals(keyText(after))) {
                // Cannot happen while the key's text reads back exactly; never loop on the same chunk if it does.
                return tally.unverified(new ChunkRange(after, null).describe(table.key()),
                        "the primary key did not advance past " + keyText(after) + ": rest of table not verified",
                        false);
            }
            ChunkRange range = new ChunkRange(after, upTo);
            ChunkOutcome outcome = chunks.verify(table, queries, targetQueries, rowDiff, range);
            tally.add(range.describe(table.key()), outcome);
            if (outcome instanceof ChunkOutcome.NotVerified notVerified && notVerified.targetLagged()) {
                return tally.result(true);
            }
            if (upTo == null) {
                return tally.result(false);
            }
            after = upTo;
            if (System.nanoTime() - nextLog >= 0) {
                LOG.info("verifying {}: {} chunks, {} rows, {} differing rows so far", table.displayName(),
                        tally.chunks, tally.rows, tally.differences.size() + tally.unlisted);
                nextLog = System.nanoTime() + PROGRESS_INTERVAL.toNanos();
            }
        }
    }

    private static List<String> keyText(List<Object> key) {
        return key.stream().map(Column::keyText).toList();
    }

    /** The key of the last row of the chunk after {@code after}; null when the rest of the table is the last one. */
    private List<Object> nextBoundary(ComparedTable table, ChunkQueries queries, List<Object> after)
            throws SQLException {
        ChunkQueries.Query query = queries.nextBoundary(after, chunkRows);
        try (PreparedStatement statement = source.prepareStatement(query.sql())) {
            query.bind(statement);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return null;
                }
                List<Object> key = new ArrayList<>(table.key().size());
                for (int i = 0; i < table.key().size(); i++) {
                    key.add(table.key().get(i).readKey(row, i + 1));
                }
                return key;
            }
        }
    }

    /** What one table's chunks found so far. */
    private final class Tally {
        private final String schema;
        private final String name;
        private final long started = System.nanoTime();
        private TableReport.Chunking chunking = TableReport.Chunking.PRIMARY_KEY;
        private long chunks;
        private long rows;
        private long differingChunks;
        private final List<RowDifference> differences = new ArrayList<>();
        private long unlisted;
        private final List<String> unverified = new ArrayList<>();

        Tally(String schema, String name) {
            this.schema = schema;
            this.name = name;
        }

        void add(String chunk, ChunkOutcome outcome) {
            chunks++;
            if (outcome instanceof ChunkOutcome.Identical identical) {
                rows += identical.rows();
            } else if (outcome instanceof ChunkOutcome.Differs differs) {
                rows += differs.rows();
                differingChunks++;
                List<RowDifference> found = differs.differences();
                int listed = Math.min(found.size(), rowsListedPerChunk);
                differences.addAll(found.subList(0, listed));
                unlisted += found.size() - listed;
            } else if (outcome instanceof ChunkOutcome.NotVerified notVerified) {
                unverified.add(chunk + ": " + notVerified.reason());
            }
        }

        Result unverified(String what, String reason, boolean targetLagged) {
            unverified.add(what + ": " + reason);
            return result(targetLagged);
        }

        Result tableDifference(String difference) {
            return new Result(report(difference), false);
        }

        Result result(boolean targetLagged) {
            return new Result(report(null), targetLagged);
        }

        private TableReport report(String tableDifference) {
            return new TableReport(schema, name, chunking, chunks, rows, tableDifference, differingChunks,
                    differences, unlisted, unverified, Duration.ofNanos(System.nanoTime() - started));
        }
    }
}
