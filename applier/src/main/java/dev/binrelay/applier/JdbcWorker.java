package dev.binrelay.applier;

import com.zaxxer.hikari.HikariDataSource;
import dev.binrelay.checkpoint.CheckpointStore;
import dev.binrelay.checkpoint.Gtid;
import dev.binrelay.engine.apply.Applier;
import dev.binrelay.engine.apply.ApplyException;
import dev.binrelay.engine.event.Change;
import dev.binrelay.engine.event.RowChange;
import dev.binrelay.engine.event.StatementChange;
import dev.binrelay.engine.event.Transaction;
import java.sql.Connection;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One engine worker's applier: holds one target connection and applies each batch of transactions on it as one target
 * transaction: each transaction's checkpoint row and rows (or its DDL), then COMMIT. The row statements of a batch's
 * transactions go to the target together ({@link StatementGroup}), when the group is full or the engine flushes
 * before its commit: a batch of small transactions costs a round trip or two and the commit. On failure it rolls back, drops the
 * connection, and throws an {@link ApplyException} that names the GTID, table, statement kind and target error.
 *
 * <p>The jobs are delegated: rows to the {@link RowWriter}, statements and the DDL mark to the
 * {@link StatementRunner}, the checkpoint, echoes and anchors to the {@link CheckpointRecorder}. The worker owns the
 * connection and the order in which they write on it.
 *
 * <p>Not thread-safe: one engine thread uses it.
 */
final class JdbcWorker implements Applier.Worker {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcWorker.class);

    private final int index;
    private final HikariDataSource pool;
    private final CheckpointStore checkpoint;
    private final ResumeState resume;
    private final TargetSession session = new TargetSession();
    private final RowErrorSkipper skipper;
    private final RowWriter rows;
    private final CheckpointRecorder recorder;
    private final StatementRunner statements;
    private Connection connection;
    /**
     * Whether the transaction being applied runs before everything ahead of it committed (see
     * {@link #applySpeculatively}): its key and foreign-key errors are thrown, not skipped.
     */
    private boolean speculative;

    /**
     * @param index  the worker's number: its anchor's and its messages'
     * @param shared what the applier shares with all its workers
     */
    JdbcWorker(int index, SharedTarget shared) {
        this.index = index;
        this.pool = shared.pool();
        this.checkpoint = shared.checkpoint();
        this.resume = shared.resume();
        this.skipper = new RowErrorSkipper(index, shared.settings().skipErrors());
        this.rows = new RowWriter(index, shared.catalog(), session, skipper);
        this.recorder = new CheckpointRecorder(index, pool, checkpoint, shared.anchors());
        this.statements = new StatementRunner(shared, session, rows, recorder);
    }

    @Override
    public void applySpeculatively(Transaction transaction) {
        speculative = true;
        try {
            apply(transaction);
        } finally {
            speculative = false;
        }
    }

    @Override
    public void apply(Transaction transaction) {
        // An echo first: recording it at this commit would write a transaction the other side reads back as an echo.
        if (transaction.echo() && !transaction.hasStatement()) {
            recorder.echoApplied(transaction.gtid());
            return;
        }
        if (!transaction.streamed() && transaction.changes().isEmpty()) {
            // Nothing to apply (the filters dropped every change): only its GTID, recorded at the commit.
            recorder.emptyApplied(transaction);
            return;
        }
        String gtid = transaction.label(); // in position mode with where it ends: binlog.000003:1234 (...)
        rows.begin(speculative, resume.appliesIdempotently(transaction.gtid()));
        try {
            Connection target = connection();
            if (transaction.hasStatement()) {
                statements.apply(target, transaction);
            } else {
                // Before the rows, sent with them: a reader of the target's binary log learns their origin from it.
                rows.recordCheckpoint(target, checkpoint, transaction);
                if (recorder.hasEchoesToRecord()) {
                    rows.flush(); // the checkpoint row first, as always
                    recorder.recordEchoes(target);
                }
                for (Change change : transaction.changesInOrder()) {
                    if (change instanceof RowChange row) {
                        rows.write(target, gtid, row);
                    } else {
                        // Only a statement that cannot commit joins a row transaction: SAVEPOINT and the like.
                        rows.flush();
                        statements.run(target, gtid, (StatementChange) change, false);
                    }
                }
                if (transaction.streamed() || transaction.endPosition() != null) {
                    // A streamed transaction commits alone; a position anchor is a statement of its own, after the
                    // rows.
                    rows.flush();
                    recorder.recordAnchor(target, transaction);
                }
                // Otherwise its statements may wait to go with the next transactions of the batch: flush().
            }
        } catch (ApplyException e) {
            throw abandon(e);
        } catch (SQLException e) {
            throw abandon(TargetErrors.apply(gtid, "", "recording the checkpoint", e));
        } catch (RuntimeException e) {
            throw abandon(new ApplyException("GTID " + gtid + ": " + e.getMessage(), gtid, "", 0, e));
        }
    }

    /**
     * Drops the connection after a failure. If the driver had already closed it (it closes a connection, and its
     * statements, when it finds the server gone), the failure is a lost connection whatever error surfaced first
     * (such as "statement closed"): the engine then applies the transaction again on a new one.
     */
    private ApplyException abandon(ApplyException failure) {
        boolean closedUnderneath = connection != null && !usable(connection);
        abandonConnection();
        return closedUnderneath ? TargetErrors.connectionClosed(failure) : failure;
    }

    /** Whether the connection still answers (the pool's proxy says "open" even when the driver closed it). */
    private static boolean usable(Connection connection) {
        try {
            return connection.isValid(1);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void flush() {
        try {
            rows.flush();
        } catch (ApplyException e) {
            throw abandon(e);
        } catch (RuntimeException e) {
            throw abandon(new ApplyException("sending the batch's pending statements: " + e.getMessage(), "", "", 0,
                    e));
        }
    }

    @Override
    public void commit() {
        flush(); // the engine flushes before it commits; a stop may commit at once
        if (connection == null && !recorder.hasUnrecorded()) {
            return;
        }
        try {
            if (recorder.hasUnrecorded()) {
                recorder.recordUnrecorded(connection());
            }
            connection.commit();
            recorder.committed();
            skipper.committed();
        } catch (SQLException e) {
            abandonConnection();
            throw TargetErrors.commit(e);
        }
    }

    @Override
    public boolean isCommitted(Gtid gtid) {
        try (Connection asking = pool.getConnection()) {
            return checkpoint.load(asking).contains(gtid);
        } catch (SQLException e) {
            throw TargetErrors.apply(gtid.toString(), "", "reading the checkpoint", e);
        }
    }

    @Override
    public long skippedErrors() {
        return skipper.skipped();
    }

    @Override
    public void rollback() {
        abandonConnection();
    }

    @Override
    public void close() {
        abandonConnection();
        recorder.recordEchoesOnClose();
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            connection = pool.getConnection();
            connection.setAutoCommit(false);
        }
        return connection;
    }

    private void abandonConnection() {
        recorder.batchDropped();
        if (connection == null) {
            return;
        }
        boolean healthy = true;
        try {
            connection.rollback();
        } catch (SQLException e) {
            healthy = false; // the driver found it broken: the pool drops it when it is closed
            LOG.debug("worker {}: rollback failed: {}", index, e.toString());
        }
        try {
            if (healthy && !session.atBaseline()) {
                // No other user of the pool may inherit the source's settings: evicting closes it for good (closing
                // it as well would hand the pool an entry it no longer has).
                pool.evictConnection(connection);
            } else {
                connection.close();
            }
        } catch (SQLException e) {
            LOG.debug("worker {}: close failed: {}", index, e.toString());
        }
        session.reset();
        recorder.rolledBack();
        skipper.rolledBack();
        connection = null;
        rows.connectionDropped();
    }
}
