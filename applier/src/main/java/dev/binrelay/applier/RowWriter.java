package dev.binrelay.applier;

import dev.binrelay.checkpoint.CheckpointStore;
import dev.binrelay.engine.event.RowChange;
import dev.binrelay.engine.event.Transaction;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Writes one worker's row changes on its target connection: finds each table's {@link TablePlan} (built again when
 * the catalog changes) and collects the rows' statements in a {@link StatementGroup}, sent as one text when the
 * transaction's rows end or the group is full. A row change of the idempotent window goes to the
 * {@link WindowRowWriter}; with {@code applier.skipErrors}, each row is its own statement, so that one row's error
 * can be skipped (MySQL rolls back just the failed statement).
 *
 * <p>Statements may be pending after {@link #write}: {@link #flush} sends them, and must come before any other
 * statement and before the checkpoint.
 *
 * <p>Not thread-safe: the worker's thread uses it.
 */
final class RowWriter {
    private final TableCatalog catalog;
    private final TargetSession session;
    private final RowErrorSkipper skipper;
    private final TargetStatement statement;
    private final WindowRowWriter window;
    private final Map<Object, TablePlan> plans = new HashMap<>();
    /** The catalog generation {@link #plans} were built in. */
    private long plansGeneration;
    /** Row statements not sent yet, and the connection they are for. */
    private final StatementGroup pending;
    private Connection pendingOn;
    /**
     * Whether the transaction being applied runs before everything ahead of it committed (see
     * {@link JdbcWorker#applySpeculatively}): its key and foreign-key errors are thrown, not skipped.
     */
    private boolean speculative;
    /** Whether the transaction being applied is in the applier's idempotent window. */
    private boolean idempotent;

    /**
     * @param index   the worker's number, for messages
     * @param session the worker's session settings, shared with its statements
     * @param skipper the worker's {@code applier.skipErrors}
     */
    RowWriter(int index, TableCatalog catalog, TargetSession session, RowErrorSkipper skipper) {
        this.catalog = catalog;
        this.session = session;
        this.skipper = skipper;
        this.statement = new TargetStatement();
        this.window = new WindowRowWriter(index, statement, skipper);
        this.pending = new StatementGroup(statement);
    }

    /** The transaction whose rows come next: whether it runs speculatively, whether it is in the idempotent window. */
    void begin(boolean speculative, boolean idempotent) {
        this.speculative = speculative;
        this.idempotent = idempotent;
    }

    /** Writes one row change, or adds its statement to the pending ones. */
    void write(Connection target, String gtid, RowChange row) throws SQLException {
        if (session.differs(row.context())) {
            flush(); // pending statements belong to the settings they were read under
            session.forRow(target, row.context());
        }
        TablePlan plan = plan(target, gtid, row);
        if (idempotent) {
            flush();
            window.write(target, gtid, plan, row, speculative);
            return;
        }
        TablePlan.RowStatement rowStatement = plan.statementFor(row);
        if (skipper.active()) {
            // Its error may have to be skipped alone.
            flush();
            runAlone(target, gtid, row, rowStatement);
            return;
        }
        pendingOn = target;
        if (pending.add(row, rowStatement, gtid)) {
            flush();
        }
    }

    /**
     * Adds the transaction's checkpoint row to the pending statements, ahead of its rows: a reader of the target's
     * binary log learns their origin from it (LoopGuard).
     */
    void recordCheckpoint(Connection target, CheckpointStore checkpoint, Transaction transaction) {
        pendingOn = target;
        pending.addCheckpoint(checkpoint, transaction.gtid(), transaction.originServerId(), transaction.label());
    }

    /**
     * Sends the pending statements, which may be of several transactions of the batch; any other statement, and the
     * commit, must come after them.
     */
    void flush() {
        if (pending.isEmpty()) {
            return;
        }
        // On failure the connection is dropped (abandonConnection), the open transaction with it.
        pending.send(pendingOn);
    }

    /** The worker dropped its connection: its statement and pending statements went with it. */
    void connectionDropped() {
        statement.forget();
        pending.clear();
        pendingOn = null;
    }

    /** Runs one statement for {@code image} now, outside any batch; {@code row} is the change it comes from. */
    /**
     * Runs one row change now, outside any group. A failure stops the transaction unless {@code applier.skipErrors}
     * lists its code: then only this row change is skipped (MySQL rolls back just the failed statement) and the
     * transaction goes on.
     */
    private void runAlone(Connection target, String gtid, RowChange row, TablePlan.RowStatement rowStatement)
            throws SQLException {
        int matched;
        try {
            matched = statement.on(target).executeUpdate(SqlLiterals.rowText(row, rowStatement));
        } catch (SQLException e) {
            if (RowErrorSkipper.maySkip(e.getErrorCode(), speculative)
                    && skipper.skip(gtid, row, e.getErrorCode(), e.getMessage())) {
                return;
            }
            throw TargetErrors.apply(gtid, row.table().qualifiedName(), row.kind() + " on " + row.table(), e);
        }
        if (matched != 1 && row.kind() != RowChange.Kind.INSERT) {
            if (RowErrorSkipper.maySkip(RowErrorSkipper.ROW_NOT_FOUND, speculative)
                    && skipper.skip(gtid, row, RowErrorSkipper.ROW_NOT_FOUND, TargetErrors.rowNotFound(matched))) {
                return;
            }
            throw TargetErrors.rowNotFound(gtid, row.table().qualifiedName(), row.kind() + " on " + row.table(),
                    matched);
        }
    }

    private TablePlan plan(Connection target, String gtid, RowChange row) throws SQLException {
        long generation = catalog.generation();
        if (generation != plansGeneration) {
            // A statement ran, maybe on another worker: a plan may map the old shape of its table (a source table
            // whose TABLE_MAP did not change), and plans and statements of tables renamed or dropped would never be
            // used again (a daemon that sees a table created every day would keep them all).
            flush(); // pending statements were made by the plans about to go
            plans.clear();
            plansGeneration = generation;
        }
        TablePlan plan = plans.get(row.table());
        if (plan != null) {
            return plan;
        }
        Optional<TargetTable> table = catalog.table(target, row.table().schema(), row.table().name());
        if (table.isEmpty()) {
            throw TargetErrors.apply(gtid, row.table().qualifiedName(), row.kind() + " on " + row.table(), "table "
                    + row.table().qualifiedName() + " does not exist on the target (error 1146)",
                    TargetErrors.ER_NO_SUCH_TABLE);
        }
        try {
            plan = TablePlan.build(row.table(), table.get());
        } catch (IllegalArgumentException e) {
            throw TargetErrors.apply(gtid, row.table().qualifiedName(), row.kind() + " on " + row.table(),
                    e.getMessage(), 0);
        }
        plans.put(row.table(), plan);
        return plan;
    }
}
