package dev.binrelay.applier;

import dev.binrelay.schema.Identifiers;
import dev.binrelay.engine.apply.ApplyException;
import dev.binrelay.engine.event.Change;
import dev.binrelay.engine.event.RowChange;
import dev.binrelay.engine.event.StatementChange;
import dev.binrelay.engine.event.Transaction;
import dev.binrelay.engine.sql.CredentialRedaction;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one worker's statements (DDL and other query events) as the source session ran them. A transaction that holds
 * a statement is applied under the {@link DdlMarker}: the mark commits first, then the statements (and any rows among
 * them, through the {@link RowWriter}), then the checkpoint row and the mark's removal, which the worker commits.
 *
 * <p>Not thread-safe: the worker's thread uses it.
 */
final class StatementRunner {
    /** The worker's logger, as before the worker was split: operators filter on it. */
    private static final Logger LOG = LoggerFactory.getLogger(StatementRunner.class);
    private static final int ER_BAD_DB = 1049;

    private final DdlMarker ddlMarker;
    private final ResumeState resume;
    private final TableCatalog catalog;
    private final TargetSession session;
    private final RowWriter rows;
    private final CheckpointRecorder recorder;

    /**
     * @param shared   the marker, the pending DDL and the catalog, from the applier
     * @param session  the worker's session settings, shared with its rows
     * @param rows     the worker's row writer, for the rows among the statements
     * @param recorder the worker's checkpoint bookkeeping
     */
    StatementRunner(SharedTarget shared, TargetSession session, RowWriter rows, CheckpointRecorder recorder) {
        this.ddlMarker = shared.ddlMarker();
        this.resume = shared.resume();
        this.catalog = shared.catalog();
        this.session = session;
        this.rows = rows;
        this.recorder = recorder;
    }

    /**
     * Applies a transaction that holds a statement, its checkpoint row and its anchor; leaves the last part for the
     * worker's commit.
     */
    void apply(Connection target, Transaction transaction) throws SQLException {
        String gtid = transaction.gtid().toString();
        String label = transaction.label(); // for messages: in position mode, where it ends too
        // Run before? Either before the last stop (noted at open) or by this worker before a lost connection.
        boolean rerun = resume.takePendingDdl(gtid) | gtid.equals(ddlMarker.pending(target));
        ddlMarker.mark(target, gtid, transaction.originServerId());
        target.commit();
        boolean first = true;
        for (Change change : transaction.changes()) {
            if (change instanceof StatementChange statementChange) {
                rows.flush();
                try {
                    run(target, label, statementChange, rerun);
                } catch (ApplyException e) {
                    if (first && TargetErrors.ALREADY_APPLIED_DDL.contains(e.targetErrorCode())) {
                        forgetDdlMark(target, gtid);
                    }
                    throw e;
                }
                first = false;
                // It may have changed any table's shape: every worker reads shapes again, starting with the rows
                // that follow it here (CREATE TABLE ... SELECT).
                catalog.invalidate();
            } else {
                rows.write(target, label, (RowChange) change);
            }
        }
        rows.flush();
        recorder.record(target, transaction);
        recorder.recordAnchor(target, transaction);
        ddlMarker.clear(target); // committed by the engine, right after, together with the checkpoint row
    }

    /**
     * The target refused the transaction's first statement outright (exists, unknown, duplicate ...), so nothing of
     * it took effect. Without the mark, a restart runs it as a new statement and stops on the same error; with it,
     * the restart would take that error for proof that it ran before the stop and record it as applied unseen.
     */
    private void forgetDdlMark(Connection target, String gtid) {
        try {
            ddlMarker.clear(target);
            target.commit();
        } catch (SQLException e) {
            LOG.warn("GTID {}: removing the DDL mark after the statement failed did not work: {}", gtid,
                    e.getMessage());
        }
    }

    /**
     * Runs a statement as the source session ran it: in its default database, with its settings
     * ({@link TargetSession}), adapted for a replica ({@link ReplicaStatements}); the text goes to the server as is
     * (no JDBC escape processing).
     *
     * @param rerun whether the statement may have run before (the DDL mark names it): an error saying it already
     *              took effect is then accepted
     */
    void run(Connection target, String gtid, StatementChange change, boolean rerun) throws SQLException {
        String sql = ReplicaStatements.forTarget(change.sql(), change.context().sqlMode());
        try (Statement statement = target.createStatement()) {
            statement.setEscapeProcessing(false);
            try {
                useDatabase(statement, change.database());
                session.enterStatement(statement, change.context());
                statement.execute(sql);
            } catch (SQLException e) {
                if (rerun && TargetErrors.ALREADY_APPLIED_DDL.contains(e.getErrorCode())) {
                    LOG.info("GTID {}: statement already took effect before the last stop (target error {}); "
                            + "recording it as applied", gtid, e.getErrorCode());
                } else {
                    // The worker drops the connection, settings and all (abandonConnection).
                    CredentialRedaction shown = CredentialRedaction.of(sql, change.context().sqlMode());
                    SQLException reported = shown.hasSecrets()
                            ? new SQLException(shown.scrub(e.getMessage()), e.getSQLState(), e.getErrorCode()) : e;
                    throw TargetErrors.apply(gtid, "", "statement `" + shown.statement() + "` (database '"
                            + change.database() + "')", reported);
                }
            }
            session.leaveStatement(statement);
        }
    }

    /**
     * Makes the source's default database current. MySQL logs CREATE DATABASE x (and DROP DATABASE x) with x as the
     * default database although it does not exist before (or after) the statement; like MySQL's replica, run such a
     * statement without a default database.
     */
    private static void useDatabase(Statement statement, String database) throws SQLException {
        if (database.isEmpty()) {
            return;
        }
        try {
            statement.execute("USE " + Identifiers.quote(database));
        } catch (SQLException e) {
            if (e.getErrorCode() != ER_BAD_DB) {
                throw e;
            }
            // Statements that really need it fail next, naming the database themselves.
        }
    }
}
