package dev.binrelay.applier;

import com.zaxxer.hikari.HikariDataSource;
import dev.binrelay.checkpoint.CheckpointStore;
import dev.binrelay.checkpoint.Gtid;
import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.checkpoint.PositionAnchor;
import dev.binrelay.checkpoint.PositionAnchors;
import dev.binrelay.engine.event.Transaction;
import java.sql.Connection;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker's checkpoint bookkeeping, written in the worker's open target transaction: the GTID of each applied
 * transaction, the GTIDs of transactions with nothing to apply and of echoes (recorded later, together), and in
 * position mode the worker's anchor. The worker tells it when its target transaction commits or is rolled back.
 *
 * <p>Not thread-safe: the worker's thread uses it.
 */
final class CheckpointRecorder {
    /** The worker's logger, as before the worker was split: operators filter on it. */
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointRecorder.class);

    private final int index;
    private final HikariDataSource pool;
    private final CheckpointStore checkpoint;
    private final PositionAnchors anchors;
    /**
     * GTIDs of applied transactions that had no change (the filters emptied them), not yet written: they are
     * recorded together, as ranges, in the commit of their batch, so a run of them costs no round trip each.
     */
    private GtidSet unrecorded = GtidSet.empty();
    /** Position mode: the newest of {@link #unrecorded}, whose anchor is written with them. */
    private Transaction unrecordedNewest;
    /** Position mode: the number of the newest anchor written in the open target transaction, 0 if none. */
    private long anchorInTransaction;
    /**
     * Echoes applied (with nothing to apply) and not yet recorded: they are recorded with the next transaction that
     * changes something (see {@link Transaction#echo}), and stay here until that commits.
     */
    private GtidSet unrecordedEchoes = GtidSet.empty();
    /** What {@link #unrecordedEchoes} held when the open target transaction recorded it. */
    private GtidSet echoesInTransaction = GtidSet.empty();

    /** @param index the worker's number: its anchor's and its messages' */
    CheckpointRecorder(int index, HikariDataSource pool, CheckpointStore checkpoint, PositionAnchors anchors) {
        this.index = index;
        this.pool = pool;
        this.checkpoint = checkpoint;
        this.anchors = anchors;
    }

    /** An echo was applied with nothing to apply: recorded with the next transaction that changes something. */
    void echoApplied(Gtid gtid) {
        unrecordedEchoes = unrecordedEchoes.add(gtid);
    }

    /** A transaction with nothing to apply was applied: its GTID is recorded at the commit of its batch. */
    void emptyApplied(Transaction transaction) {
        unrecorded = unrecorded.add(transaction.gtid());
        unrecordedNewest = transaction; // a worker takes its transactions in source order
    }

    /** The transaction's checkpoint row, in the open target transaction. */
    void record(Connection target, Transaction transaction) throws SQLException {
        checkpoint.record(target, transaction.gtid(), transaction.originServerId());
    }

    /** Whether echoes wait to be recorded in the open target transaction ({@link #recordEchoes}). */
    boolean hasEchoesToRecord() {
        return !unrecordedEchoes.isEmpty() && !unrecordedEchoes.subtract(echoesInTransaction).isEmpty();
    }

    /** The echoes not yet recorded, in the open target transaction (they count as recorded once it commits). */
    void recordEchoes(Connection target) throws SQLException {
        GtidSet pending = unrecordedEchoes.subtract(echoesInTransaction);
        if (!pending.isEmpty()) {
            checkpoint.recordAll(target, pending);
            echoesInTransaction = echoesInTransaction.union(pending);
        }
    }

    /**
     * Position mode: this worker's anchor, the transaction's end position, in the same target transaction as its rows
     * and GTID so that a crash keeps them in agreement; after the rows (a streamed transaction's end is known only
     * then).
     */
    void recordAnchor(Connection target, Transaction transaction) throws SQLException {
        if (transaction.endPosition() != null) {
            anchors.record(target, new PositionAnchor(index, transaction.gtid().transactionId(),
                    transaction.endPosition()));
            anchorInTransaction = Math.max(anchorInTransaction, transaction.gtid().transactionId());
        }
    }

    /** Whether transactions with nothing to apply wait to be recorded at the commit. */
    boolean hasUnrecorded() {
        return !unrecorded.isEmpty();
    }

    /** Records the transactions with nothing to apply, in the target transaction about to commit. */
    void recordUnrecorded(Connection target) throws SQLException {
        checkpoint.recordAll(target, unrecorded);
        // The anchor moves past emptied transactions too: with filters that keep little, a restart would
        // otherwise read from far back (or refuse, the source having purged that file).
        if (unrecordedNewest != null && unrecordedNewest.gtid().transactionId() > anchorInTransaction) {
            recordAnchor(target, unrecordedNewest);
        }
        unrecorded = GtidSet.empty();
        unrecordedNewest = null;
    }

    /** The target transaction committed, with the echoes it recorded. */
    void committed() {
        anchorInTransaction = 0;
        unrecordedEchoes = unrecordedEchoes.subtract(echoesInTransaction);
        echoesInTransaction = GtidSet.empty();
    }

    /**
     * The worker drops its connection: the batch is applied again, so its transactions with nothing to apply (and
     * their anchor) are forgotten until they are applied again. Called whether or not a connection was open.
     */
    void batchDropped() {
        unrecorded = GtidSet.empty();
        unrecordedNewest = null;
        anchorInTransaction = 0;
    }

    /** The open target transaction was rolled back: the echoes it recorded wait again. */
    void rolledBack() {
        echoesInTransaction = GtidSet.empty();
    }

    /**
     * Echoes still waiting for a change to be recorded with are recorded now, alone: otherwise the checkpoint would
     * lack them until they are read and skipped again, and a source that purged their binary log meanwhile would
     * refuse the restart. The opposite direction takes this lone checkpoint row for bookkeeping and records it
     * lazily in turn, so it starts no ping-pong.
     */
    void recordEchoesOnClose() {
        if (unrecordedEchoes.isEmpty()) {
            return;
        }
        try (Connection recording = pool.getConnection()) {
            recording.setAutoCommit(false);
            checkpoint.recordAll(recording, unrecordedEchoes);
            recording.commit();
            unrecordedEchoes = GtidSet.empty();
        } catch (SQLException | RuntimeException e) {
            LOG.info("worker {}: could not record {} skipped echo(es) at close ({}); they are read and skipped again "
                    + "after a restart", index, unrecordedEchoes, e.toString());
        }
    }
}
