package dev.binrelay.applier;

import dev.binrelay.engine.apply.TransientErrors;
import dev.binrelay.engine.event.RowChange;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the row changes of the applier's idempotent window (see {@link JdbcApplier#applyIdempotently}): the target
 * may already hold the row in a newer state, or no longer hold it. As MySQL's {@code replica_exec_mode=IDEMPOTENT},
 * the change then converges instead of failing, but without deleting and re-inserting a row (other rows may
 * reference it, and the delete would fire their ON DELETE actions): an UPDATE updates the row of its before
 * image's key in place, and writes its after image when no row has that key; an INSERT writes its after image;
 * a DELETE that finds nothing is fine. A conflict the window's target can hold ({@link #WINDOW_CONFLICTS}) skips
 * the one row change, logged. Needs full row images, which the snapshot checks before it makes a window.
 *
 * <p>Each statement runs alone (no insert batching). Not thread-safe: the worker's thread uses it.
 */
final class WindowRowWriter {
    /** The worker's logger, as before the worker was split: operators filter on it. */
    private static final Logger LOG = LoggerFactory.getLogger(WindowRowWriter.class);
    private static final int ER_DUP_ENTRY = 1062;
    /**
     * Target errors a row change of the idempotent window meets because the target holds rows copied before or after
     * it, skipped there (and only there), as MySQL's IDEMPOTENT mode does: a duplicate key (1062), a child whose
     * parent is gone (1452) and a parent whose children are still there (1451); 1216 and 1217 are the same two for a
     * user who cannot read the other table.
     */
    private static final Set<Integer> WINDOW_CONFLICTS = Set.of(ER_DUP_ENTRY, 1216, 1217, 1451, 1452);

    private final int index;
    private final TargetStatement statement;
    private final RowErrorSkipper skipper;

    /** @param index the worker's number, for messages */
    WindowRowWriter(int index, TargetStatement statement, RowErrorSkipper skipper) {
        this.index = index;
        this.statement = statement;
        this.skipper = skipper;
    }

    /**
     * Writes one row change of the window.
     *
     * @param speculative whether the transaction runs before everything ahead of it committed (see
     *                    {@link JdbcWorker#applySpeculatively}): a conflict that may be a missed dependency is thrown
     */
    void write(Connection target, String gtid, TablePlan plan, RowChange row, boolean speculative)
            throws SQLException {
        switch (row.kind()) {
            case INSERT -> writeAfterImage(target, gtid, plan, row, speculative);
            case DELETE -> tolerate(gtid, row, requireMatch(gtid, row,
                    runInWindow(target, gtid, row, plan.statementFor(row), row, speculative), speculative));
            case UPDATE -> {
                WindowOutcome updated = requireMatch(gtid, row,
                        runInWindow(target, gtid, row, plan.statementFor(row), row, speculative), speculative);
                if (updated.matched() == 0) {
                    // no row has the before image's key: gone or moved
                    writeAfterImage(target, gtid, plan, row, speculative);
                } else if (updated.duplicate()) {
                    moveOntoNewerRow(target, gtid, plan, row, updated, speculative);
                } else {
                    tolerate(gtid, row, updated);
                }
            }
        }
    }

    /**
     * The UPDATE of a row in the window collided with another row on a unique key. If that other row is the after
     * image's row (the target holds it newer: the source moved this row to a key the copy already has), it is updated
     * in place and the before image's row, which the source no longer has under that key, is deleted. Otherwise (a
     * unique value that a different row holds in the target's newer copy) the row change is skipped: the window's
     * later transactions, or the copy, hold the row's state as of the end of the window.
     */
    private void moveOntoNewerRow(Connection target, String gtid, TablePlan plan, RowChange row,
                                  WindowOutcome collision, boolean speculative) throws SQLException {
        RowChange inPlace = inPlace(row);
        WindowOutcome updated = runInWindow(target, gtid, row, plan.statementFor(inPlace), inPlace, speculative);
        if (updated.matched() != 1) {
            // The same statement as the failed one when the key did not change: it fails alike, nothing is deleted.
            tolerate(gtid, row, updated.matched() == 0 ? collision : updated);
            return;
        }
        RowChange delete = new RowChange(row.table(), RowChange.Kind.DELETE, row.before(), null,
                row.presentBefore(), null, row.context());
        tolerate(gtid, row, runInWindow(target, gtid, row, plan.statementFor(delete), delete, speculative));
    }

    /**
     * Writes the after image of a window row change: INSERT, and when a row already has one of its unique values,
     * UPDATE the row with the after image's own key in place. Not INSERT ... ON DUPLICATE KEY UPDATE, which updates
     * whichever row collides first (possibly another row, on a second unique key), nor REPLACE, which deletes.
     */
    private void writeAfterImage(Connection target, String gtid, TablePlan plan, RowChange row, boolean speculative)
            throws SQLException {
        RowChange insert = new RowChange(row.table(), RowChange.Kind.INSERT, null, row.after(), null,
                row.presentAfter(), row.context());
        WindowOutcome inserted = runInWindow(target, gtid, row, plan.statementFor(insert), insert, speculative);
        if (!inserted.duplicate()) {
            tolerate(gtid, row, inserted);
            return;
        }
        RowChange inPlace = inPlace(row);
        WindowOutcome updated = runInWindow(target, gtid, row, plan.statementFor(inPlace), inPlace, speculative);
        // 0 matched: the duplicate is another row's unique value, which the target holds newer.
        tolerate(gtid, row, updated.matched() == 0 ? inserted : updated);
    }

    /** An UPDATE that finds the row by the after image's key and writes the after image over it. */
    private static RowChange inPlace(RowChange row) {
        return new RowChange(row.table(), RowChange.Kind.UPDATE, row.after(), row.after(), row.presentAfter(),
                row.presentAfter(), row.context());
    }

    /** Logs the skip of a window row change that met a conflict; nothing for one that did not. */
    private void tolerate(String gtid, RowChange row, WindowOutcome outcome) {
        if (outcome.conflict() == null) {
            return;
        }
        LOG.warn("worker {}: GTID {}: {} on {} skipped in the idempotent catch-up window: target error {}: {} (the "
                        + "target holds rows copied before or after this transaction; the window's later transactions "
                        + "and the copy bring them to the source's state; binrelay verify checks it)", index, gtid,
                row.kind(), row.table(), outcome.conflict().getErrorCode(), outcome.conflict().getMessage());
    }

    /**
     * Runs one statement of a window row change alone. A conflict listed in {@link #WINDOW_CONFLICTS} is returned
     * (MySQL rolled back just that statement), any other error is handled as outside the window
     * ({@code applier.skipErrors}, else the transaction fails). The connection reports matched rows, not changed ones
     * (Connector/J's {@code useAffectedRows=false}, see JdbcApplier): 0 means no row has the key.
     */
    private WindowOutcome runInWindow(Connection target, String gtid, RowChange row,
                                      TablePlan.RowStatement rowStatement, RowChange image, boolean speculative)
            throws SQLException {
        return executeInWindow(target, SqlLiterals.rowText(image, rowStatement), gtid, row, speculative);
    }

    /**
     * In a speculative run, a window row change that finds no row may have overtaken the transaction that writes it:
     * thrown as a missed dependency (1032), so that the engine applies it again after its predecessors, when the
     * window's tolerance applies.
     */
    private static WindowOutcome requireMatch(String gtid, RowChange row, WindowOutcome outcome, boolean speculative) {
        if (speculative && outcome.matched() == 0) {
            throw TargetErrors.apply(gtid, row.table().qualifiedName(), row.kind() + " on " + row.table(),
                    "no row matched while an earlier transaction was still uncommitted",
                    RowErrorSkipper.ROW_NOT_FOUND);
        }
        return outcome;
    }

    private WindowOutcome executeInWindow(Connection target, String text, String gtid, RowChange row,
                                          boolean speculative) throws SQLException {
        try {
            return new WindowOutcome(statement.on(target).executeUpdate(text), null);
        } catch (SQLException e) {
            // Tolerated only when everything before has committed: in a speculative run the conflict may be a
            // dependency the scheduler missed, which the engine resolves by applying the transaction again.
            boolean mayTolerate = !speculative || !TransientErrors.isMissedDependency(e.getErrorCode());
            if (mayTolerate && WINDOW_CONFLICTS.contains(e.getErrorCode())) {
                return new WindowOutcome(-1, e);
            }
            if (RowErrorSkipper.maySkip(e.getErrorCode(), speculative)
                    && skipper.skip(gtid, row, e.getErrorCode(), e.getMessage())) {
                return new WindowOutcome(-1, null);
            }
            throw TargetErrors.apply(gtid, row.table().qualifiedName(), row.kind() + " on " + row.table(), e);
        }
    }

    /**
     * What one window statement did: {@code matched} rows (-1 if it failed), or the {@code conflict} it met; a
     * failure skipped by {@code applier.skipErrors} has neither.
     */
    private record WindowOutcome(int matched, SQLException conflict) {
        boolean duplicate() {
            return conflict != null && conflict.getErrorCode() == ER_DUP_ENTRY;
        }
    }
}
