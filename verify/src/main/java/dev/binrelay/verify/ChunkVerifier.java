package dev.binrelay.verify;

import dev.binrelay.checkpoint.GtidSet;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares one chunk of source and target at the same point of the source's history, without pausing the replica.
 *
 * <p>On the source, in a REPEATABLE READ transaction: the chunk's checksum as a locking read ({@code FOR SHARE},
 * which also locks the gaps), then {@code @@GLOBAL.gtid_executed} = G. Then wait until the target's checkpoint holds
 * G, checksum the same range on the target, and only then end the source transaction. Every source transaction that
 * changed the chunk before our lock is in G (or, rarely, committed but not yet in gtid_executed: see the re-check),
 * and none can change it after our lock until the target's checksum is taken, so both sides are compared at the same
 * point. Source writers to this one chunk wait for at most one chunk's time; replication never stops.
 *
 * <p>A transaction's rows become visible on the source slightly before its GTID reaches gtid_executed, so a chunk
 * can differ only because the target had not been asked to wait for the last transaction: a differing chunk is
 * compared again, up to {@link #RECHECKS} times, before its rows are diffed (in the last attempt's transaction, so
 * the diff sees the state that differed).
 */
final class ChunkVerifier {
    private static final Logger LOG = LoggerFactory.getLogger(ChunkVerifier.class);
    /** Comparisons after the first one of a differing chunk. */
    static final int RECHECKS = 3;
    private static final int LOCK_WAIT_TIMEOUT = 1205;
    private static final int DEADLOCK = 1213;

    private final Connection source;
    private final Connection target;
    private final TargetCheckpoint checkpoint;

    ChunkVerifier(Connection source, Connection target, TargetCheckpoint checkpoint) {
        this.source = source;
        this.target = target;
        this.checkpoint = checkpoint;
    }

    /** A chunk's row count and hash sums. */
    record Checksum(long rows, String high, String low) {
    }

    /**
     * Compares {@code range} of a table.
     *
     * @param queries       the source table's queries
     * @param targetQueries the same queries on the target table (another database when the filters rewrite it)
     */
    ChunkOutcome verify(ComparedTable table, ChunkQueries queries, ChunkQueries targetQueries, RowDiff rowDiff,
                        ChunkRange range)
            throws SQLException, InterruptedException {
        for (int attempt = 0; ; attempt++) {
            boolean last = attempt == RECHECKS;
            // Catch up first without holding any lock, so the locked wait below is only for the last moment's work.
            GtidSet missing = checkpoint.awaitContains(sourceGtids(source));
            if (!missing.isEmpty()) {
                return lagging(missing);
            }
            source.setAutoCommit(false);
            try {
                Checksum onSource = checksum(source, queries.checksum(range, true));
                missing = checkpoint.awaitContains(sourceGtids(source));
                if (!missing.isEmpty()) {
                    return lagging(missing);
                }
                Checksum onTarget = checksum(target, targetQueries.checksum(range, false));
                if (onSource.equals(onTarget)) {
                    return new ChunkOutcome.Identical(onSource.rows());
                }
                if (last) {
                    List<RowDifference> differences = rowDiff.compare(
                            rowDiff.read(source, queries.rowHashes(range, true)),
                            rowDiff.read(target, targetQueries.rowHashes(range, false)));
                    return differences.isEmpty()
                            ? new ChunkOutcome.NotVerified("the checksums differ (source " + onSource + ", target "
                                    + onTarget + ") but no row does", false)
                            : new ChunkOutcome.Differs(onSource.rows(), differences);
                }
                LOG.info("{} {}: checksums differ (source {} rows, target {}), comparing again ({} of {})",
                        table.displayName(), range.describe(table.key()), onSource.rows(), onTarget.rows(),
                        attempt + 1, RECHECKS);
            } catch (SQLException e) {
                if (!isLockConflict(e)) {
                    throw e;
                }
                if (last) {
                    return new ChunkOutcome.NotVerified("the source's rows stayed locked by other transactions ("
                            + e.getMessage() + ")", false);
                }
                LOG.info("{} {}: {} on the source, trying again", table.displayName(), range.describe(table.key()),
                        e.getMessage());
            } finally {
                // The transaction only read: rolling it back releases the locks exactly as a commit would.
                source.rollback();
                source.setAutoCommit(true);
            }
        }
    }

    private static boolean isLockConflict(SQLException e) {
        return e.getErrorCode() == LOCK_WAIT_TIMEOUT || e.getErrorCode() == DEADLOCK;
    }

    /** The source's {@code @@GLOBAL.gtid_executed}, read on {@code source} (in its transaction, if one is open). */
    static GtidSet sourceGtids(Connection source) throws SQLException {
        try (Statement statement = source.createStatement();
             ResultSet row = statement.executeQuery("SELECT @@GLOBAL.gtid_executed")) {
            row.next();
            return GtidSet.parse(row.getString(1));
        }
    }

    private static Checksum checksum(Connection connection, ChunkQueries.Query query) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(query.sql())) {
            query.bind(statement);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return new Checksum(row.getLong(1), row.getString(2), row.getString(3));
            }
        }
    }

    private ChunkOutcome.NotVerified lagging(GtidSet missing) {
        return new ChunkOutcome.NotVerified("target lagging: its checkpoint still lacked " + missing.count()
                + " source transactions (" + abbreviated(missing) + ") after " + checkpoint.maxWait().toSeconds()
                + " s", true);
    }

    private static String abbreviated(GtidSet set) {
        String text = set.toString();
        return text.length() <= 120 ? text : text.substring(0, 120) + "...";
    }
}
