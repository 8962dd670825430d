package dev.binrelay.applier;

import com.zaxxer.hikari.HikariDataSource;
import dev.binrelay.checkpoint.CheckpointStore;
import dev.binrelay.checkpoint.Gtid;
import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.checkpoint.PositionAnchor;
import dev.binrelay.checkpoint.PositionAnchors;
import dev.binrelay.engine.Applier;
import dev.binrelay.engine.ApplyException;
import dev.binrelay.engine.BinaryJson;
import dev.binrelay.engine.Change;
import dev.binrelay.engine.CredentialRedaction;
import dev.binrelay.engine.RowChange;
import dev.binrelay.engine.StatementChange;
import dev.binrelay.engine.Transaction;
import dev.binrelay.engine.TransientErrors;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One engine worker's applier: holds one target connection and applies each transaction on it as one target
 * transaction: its rows (or its DDL) and its checkpoint row, then COMMIT. On failure it rolls back, drops the
 * connection, and throws an {@link ApplyException} that names the GTID, table, statement kind and target error.
 *
 * <p>Not thread-safe: one engine thread uses it.
 */
final class JdbcWorker implements Applier.Worker {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcWorker.class);
    private static final int ER_BAD_DB = 1049;
    private static final int ER_DUP_ENTRY = 1062;
    /**
     * Target errors a row change of the idempotent window meets because the target holds rows copied before or after
     * it, skipped there (and only there), as MySQL's IDEMPOTENT mode does: a duplicate key (1062), a child whose
     * parent is gone (1452) and a parent whose children are still there (1451); 1216 and 1217 are the same two for a
     * user who cannot read the other table.
     */
    private static final Set<Integer> WINDOW_CONFLICTS = Set.of(ER_DUP_ENTRY, 1216, 1217, 1451, 1452);
    /** Rows per multi-row INSERT: large enough to save round trips, small enough to stay far below a packet. */
    private static final int INSERT_BATCH_ROWS = 200;
    /** The driver holds a batch's values until it is sent: bound it, since rows may be large. */
    private static final long INSERT_BATCH_BYTES = 2L << 20;

    private final int index;
    private final HikariDataSource pool;
    private final TableCatalog catalog;
    private final CheckpointStore checkpoint;
    private final DdlMarker ddlMarker;
    private final PositionAnchors anchors;
    private final JdbcApplier applier;
    private final Map<Object, TablePlan> plans = new HashMap<>();
    /** The catalog generation {@link #plans} were built in. */
    private long plansGeneration;
    private final Map<String, PreparedStatement> prepared = new HashMap<>();
    private final TargetSession session = new TargetSession();
    private final RowErrorSkipper skipper;
    private Connection connection;
    /**
     * GTIDs of applied transactions that had no change (the filters emptied them), not yet written: they are
     * recorded together, as ranges, in the commit of their batch, so a run of them costs no round trip each.
     */
    private GtidSet unrecorded = GtidSet.empty();
    /** Position mode: the newest of {@link #unrecorded}, whose anchor is written with them. */
    private Transaction unrecordedNewest;
    /** Position mode: the number of the newest anchor written in the open target transaction, 0 if none. */
    private long anchorInTransaction;
    /** Consecutive inserts of one statement shape, sent together (multi-row with rewriteBatchedStatements). */
    private PreparedStatement pendingInserts;
    private String pendingTable = "";
    private int pendingCount;
    private long pendingBytes;
    /**
     * Whether the transaction being applied runs before everything ahead of it committed (see
     * {@link #applySpeculatively}): its key and foreign-key errors are thrown, not skipped.
     */
    private boolean speculative;
    /** Whether the transaction being applied is in the applier's idempotent window. */
    private boolean idempotent;
    /**
     * Echoes applied (with nothing to apply) and not yet recorded: they are recorded with the next transaction that
     * changes something (see {@link Transaction#echo}), and stay here until that commits.
     */
    private GtidSet unrecordedEchoes = GtidSet.empty();
    /** What {@link #unrecordedEchoes} held when the open target transaction recorded it. */
    private GtidSet echoesInTransaction = GtidSet.empty();

    JdbcWorker(int index, HikariDataSource pool, TableCatalog catalog, CheckpointStore checkpoint, DdlMarker ddlMarker,
               PositionAnchors anchors, JdbcApplier applier) {
        this.anchors = anchors;
        this.index = index;
        this.pool = pool;
        this.catalog = catalog;
        this.checkpoint = checkpoint;
        this.ddlMarker = ddlMarker;
        this.applier = applier;
        this.skipper = new RowErrorSkipper(index, applier.skipErrors());
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
            unrecordedEchoes = unrecordedEchoes.add(transaction.gtid());
            return;
        }
        if (!transaction.streamed() && transaction.changes().isEmpty()) {
            // Nothing to apply (the filters dropped every change): only its GTID, recorded at the commit.
            unrecorded = unrecorded.add(transaction.gtid());
            unrecordedNewest = transaction; // a worker takes its transactions in source order
            return;
        }
        String gtid = transaction.label(); // in position mode with where it ends: binlog.000003:1234 (...)
        idempotent = applier.appliesIdempotently(transaction.gtid());
        try {
            Connection target = connection();
            if (transaction.hasStatement()) {
                applyStatements(target, transaction);
            } else {
                // Before the rows: a reader of the target's binary log learns their origin from it (LoopGuard).
                checkpoint.record(target, transaction.gtid(), transaction.originServerId());
                recordEchoes(target);
                for (Change change : transaction.changesInOrder()) {
                    if (change instanceof RowChange row) {
                        applyRow(target, gtid, row);
                    } else {
                        // Only a statement that cannot commit joins a row transaction: SAVEPOINT and the like.
                        flushInserts(gtid);
                        runStatement(target, gtid, (StatementChange) change, false);
                    }
                }
                flushInserts(gtid);
                recordAnchor(target, transaction);
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
     * Position mode: this worker's anchor, the transaction's end position, in the same target transaction as its rows
     * and GTID so that a crash keeps them in agreement; after the rows (a streamed transaction's end is known only
     * then).
     */
    private void recordAnchor(Connection target, Transaction transaction) throws SQLException {
        if (transaction.endPosition() != null) {
            anchors.record(target, new PositionAnchor(index, transaction.gtid().transactionId(),
                    transaction.endPosition()));
            anchorInTransaction = Math.max(anchorInTransaction, transaction.gtid().transactionId());
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

    private void recordEchoes(Connection target) throws SQLException {
        GtidSet pending = unrecordedEchoes.subtract(echoesInTransaction);
        if (!pending.isEmpty()) {
            checkpoint.recordAll(target, pending);
            echoesInTransaction = echoesInTransaction.union(pending);
        }
    }

    @Override
    public void commit() {
        if (connection == null && unrecorded.isEmpty()) {
            return;
        }
        try {
            if (!unrecorded.isEmpty()) {
                Connection target = connection();
                checkpoint.recordAll(target, unrecorded);
                // The anchor moves past emptied transactions too: with filters that keep little, a restart would
                // otherwise read from far back (or refuse, the source having purged that file).
                if (unrecordedNewest != null && unrecordedNewest.gtid().transactionId() > anchorInTransaction) {
                    recordAnchor(target, unrecordedNewest);
                }
                unrecorded = GtidSet.empty();
                unrecordedNewest = null;
            }
            connection.commit();
            anchorInTransaction = 0;
            unrecordedEchoes = unrecordedEchoes.subtract(echoesInTransaction);
            echoesInTransaction = GtidSet.empty();
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
        recordEchoesOnClose();
    }

    /**
     * Echoes still waiting for a change to be recorded with are recorded now, alone: otherwise the checkpoint would
     * lack them until they are read and skipped again, and a source that purged their binary log meanwhile would
     * refuse the restart. The opposite direction takes this lone checkpoint row for bookkeeping and records it
     * lazily in turn, so it starts no ping-pong.
     */
    private void recordEchoesOnClose() {
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

    private void applyRow(Connection target, String gtid, RowChange row) throws SQLException {
        if (session.differs(row.context())) {
            flushInserts(gtid); // pending inserts belong to the settings they were read under
            session.forRow(target, row.context());
        }
        TablePlan plan = plan(target, gtid, row);
        if (idempotent) {
            flushInserts(gtid);
            applyIdempotently(target, gtid, plan, row);
            return;
        }
        TablePlan.RowStatement statement = plan.statementFor(row);
        if (!statement.reusable()) {
            // Its SQL holds this row's values: caching it would keep one statement per such row.
            flushInserts(gtid);
            runAlone(target, gtid, row, statement, row, true);
            return;
        }
        PreparedStatement prepared = prepare(target, statement.sql());
        if (prepared != pendingInserts) {
            flushInserts(gtid);
        }
        long bytes = bind(prepared, row, statement);
        // A multi-row INSERT fails or succeeds as a whole: to skip one row's error, each row is its own statement.
        if (row.kind() == RowChange.Kind.INSERT && !skipper.active()) {
            prepared.addBatch();
            pendingInserts = prepared;
            pendingTable = row.table().qualifiedName();
            pendingBytes += bytes;
            if (++pendingCount >= INSERT_BATCH_ROWS || pendingBytes >= INSERT_BATCH_BYTES) {
                flushInserts(gtid);
            }
            return;
        }
        execute(prepared, gtid, row, true);
    }

    /**
     * A row change of the applier's idempotent window (see {@link JdbcApplier#applyIdempotently}): the target may
     * already hold the row in a newer state, or no longer hold it. As MySQL's {@code replica_exec_mode=IDEMPOTENT},
     * the change then converges instead of failing, but without deleting and re-inserting a row (other rows may
     * reference it, and the delete would fire their ON DELETE actions): an UPDATE updates the row of its before
     * image's key in place, and writes its after image when no row has that key; an INSERT writes its after image;
     * a DELETE that finds nothing is fine. A conflict the window's target can hold ({@link #WINDOW_CONFLICTS}) skips
     * the one row change, logged. Needs full row images, which the snapshot checks before it makes a window.
     */
    private void applyIdempotently(Connection target, String gtid, TablePlan plan, RowChange row)
            throws SQLException {
        switch (row.kind()) {
            case INSERT -> writeAfterImage(target, gtid, plan, row);
            case DELETE -> tolerate(gtid, row,
                    requireMatch(gtid, row, runInWindow(target, gtid, row, plan.statementFor(row), row)));
            case UPDATE -> {
                WindowOutcome updated = requireMatch(gtid, row,
                        runInWindow(target, gtid, row, plan.statementFor(row), row));
                if (updated.matched() == 0) {
                    writeAfterImage(target, gtid, plan, row); // no row has the before image's key: gone or moved
                } else if (updated.duplicate()) {
                    moveOntoNewerRow(target, gtid, plan, row, updated);
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
                                  WindowOutcome collision) throws SQLException {
        RowChange inPlace = inPlace(row);
        WindowOutcome updated = runInWindow(target, gtid, row, plan.statementFor(inPlace), inPlace);
        if (updated.matched() != 1) {
            // The same statement as the failed one when the key did not change: it fails alike, nothing is deleted.
            tolerate(gtid, row, updated.matched() == 0 ? collision : updated);
            return;
        }
        RowChange delete = new RowChange(row.table(), RowChange.Kind.DELETE, row.before(), null,
                row.presentBefore(), null, row.context());
        tolerate(gtid, row, runInWindow(target, gtid, row, plan.statementFor(delete), delete));
    }

    /**
     * Writes the after image of a window row change: INSERT, and when a row already has one of its unique values,
     * UPDATE the row with the after image's own key in place. Not INSERT ... ON DUPLICATE KEY UPDATE, which updates
     * whichever row collides first (possibly another row, on a second unique key), nor REPLACE, which deletes.
     */
    private void writeAfterImage(Connection target, String gtid, TablePlan plan, RowChange row) throws SQLException {
        RowChange insert = new RowChange(row.table(), RowChange.Kind.INSERT, null, row.after(), null,
                row.presentAfter(), row.context());
        WindowOutcome inserted = runInWindow(target, gtid, row, plan.statementFor(insert), insert);
        if (!inserted.duplicate()) {
            tolerate(gtid, row, inserted);
            return;
        }
        RowChange inPlace = inPlace(row);
        WindowOutcome updated = runInWindow(target, gtid, row, plan.statementFor(inPlace), inPlace);
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
    private WindowOutcome runInWindow(Connection target, String gtid, RowChange row, TablePlan.RowStatement statement,
                                      RowChange image) throws SQLException {
        if (statement.reusable()) {
            PreparedStatement prepared = prepare(target, statement.sql());
            bind(prepared, image, statement);
            return executeInWindow(prepared, gtid, row);
        }
        try (PreparedStatement oneOff = target.prepareStatement(statement.sql())) {
            bind(oneOff, image, statement);
            return executeInWindow(oneOff, gtid, row);
        }
    }

    /**
     * In a speculative run, a window row change that finds no row may have overtaken the transaction that writes it:
     * thrown as a missed dependency (1032), so that the engine applies it again after its predecessors, when the
     * window's tolerance applies.
     */
    private WindowOutcome requireMatch(String gtid, RowChange row, WindowOutcome outcome) {
        if (speculative && outcome.matched() == 0) {
            throw TargetErrors.apply(gtid, row.table().qualifiedName(), row.kind() + " on " + row.table(),
                    "no row matched while an earlier transaction was still uncommitted",
                    RowErrorSkipper.ROW_NOT_FOUND);
        }
        return outcome;
    }

    private WindowOutcome executeInWindow(PreparedStatement prepared, String gtid, RowChange row)
            throws SQLException {
        try {
            return new WindowOutcome(prepared.executeUpdate(), null);
        } catch (SQLException e) {
            // Tolerated only when everything before has committed: in a speculative run the conflict may be a
            // dependency the scheduler missed, which the engine resolves by applying the transaction again.
            boolean mayTolerate = !speculative || !TransientErrors.isMissedDependency(e.getErrorCode());
            if (mayTolerate && WINDOW_CONFLICTS.contains(e.getErrorCode())) {
                return new WindowOutcome(-1, e);
            }
            if (maySkip(e.getErrorCode()) && skipper.skip(gtid, row, e.getErrorCode(), e.getMessage())) {
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

    /** Runs one statement for {@code image} now, outside any batch; {@code row} is the change it comes from. */
    private void runAlone(Connection target, String gtid, RowChange row, TablePlan.RowStatement statement,
                          RowChange image, boolean mustMatch) throws SQLException {
        if (statement.reusable()) {
            PreparedStatement prepared = prepare(target, statement.sql());
            bind(prepared, image, statement);
            execute(prepared, gtid, row, mustMatch);
            return;
        }
        try (PreparedStatement oneOff = target.prepareStatement(statement.sql())) {
            bind(oneOff, image, statement);
            execute(oneOff, gtid, row, mustMatch);
        }
    }

    /** Binds the row's values and returns roughly how many bytes they take. */
    private static long bind(PreparedStatement prepared, RowChange row, TablePlan.RowStatement statement)
            throws SQLException {
        int parameter = 1;
        long bytes = 0;
        for (int i = 0; i < statement.values().length; i++) {
            Object value = row.after()[statement.values()[i]];
            ValueBinder.bind(prepared, parameter++, value, statement.valueColumns().get(i));
            bytes += value instanceof byte[] binary ? binary.length : value instanceof String text ? text.length()
                    : value instanceof BinaryJson json ? json.bytes().length : 8;
        }
        for (int i = 0; i < statement.where().length; i++) {
            ValueBinder.bind(prepared, parameter++, row.before()[statement.where()[i]],
                    statement.whereColumns().get(i));
        }
        return bytes;
    }

    /**
     * Runs one row change. A failure stops the transaction unless {@code applier.skipErrors} lists its code: then only
     * this row change is skipped (MySQL rolls back just the failed statement) and the transaction goes on.
     */
    private void execute(PreparedStatement prepared, String gtid, RowChange row, boolean mustMatch)
            throws SQLException {
        int matched;
        try {
            matched = prepared.executeUpdate();
        } catch (SQLException e) {
            if (maySkip(e.getErrorCode()) && skipper.skip(gtid, row, e.getErrorCode(), e.getMessage())) {
                return;
            }
            throw TargetErrors.apply(gtid, row.table().qualifiedName(), row.kind() + " on " + row.table(), e);
        }
        if (mustMatch && matched != 1 && row.kind() != RowChange.Kind.INSERT) {
            // MySQL's own replica stops here too (error 1032): the target no longer holds the source's row.
            String problem = "the target has no row matching the source's before image (" + matched + " matched";
            if (maySkip(RowErrorSkipper.ROW_NOT_FOUND)
                    && skipper.skip(gtid, row, RowErrorSkipper.ROW_NOT_FOUND, problem + ")")) {
                return;
            }
            throw TargetErrors.apply(gtid, row.table().qualifiedName(), row.kind() + " on " + row.table(), problem
                    + "; MySQL reports this as error 1032)", RowErrorSkipper.ROW_NOT_FOUND);
        }
    }

    /**
     * Whether {@code applier.skipErrors} may skip this error now: not in a speculative run if the error may come from
     * a dependency the scheduler missed; the engine applies the transaction again after its predecessors, and skips it
     * then if it persists. Skipping it now would lose a row the source has.
     */
    private boolean maySkip(int errorCode) {
        return !speculative || !TransientErrors.isMissedDependency(errorCode);
    }

    /** Sends the pending inserts; any other statement, and the checkpoint, must come after them. */
    private void flushInserts(String gtid) throws SQLException {
        if (pendingInserts == null) {
            return;
        }
        PreparedStatement inserts = pendingInserts;
        pendingInserts = null;
        pendingCount = 0;
        pendingBytes = 0;
        try {
            inserts.executeBatch();
        } catch (SQLException e) {
            // The connection is dropped after any failure (abandonConnection), and the batch with it.
            throw TargetErrors.apply(gtid, pendingTable, "INSERT on " + pendingTable, e);
        }
    }

    private void applyStatements(Connection target, Transaction transaction) throws SQLException {
        String gtid = transaction.gtid().toString();
        String label = transaction.label(); // for messages: in position mode, where it ends too
        // Run before? Either before the last stop (noted at open) or by this worker before a lost connection.
        boolean rerun = applier.takePendingDdl(gtid) | gtid.equals(ddlMarker.pending(target));
        ddlMarker.mark(target, gtid, transaction.originServerId());
        target.commit();
        boolean first = true;
        for (Change change : transaction.changes()) {
            if (change instanceof StatementChange statementChange) {
                flushInserts(label);
                try {
                    runStatement(target, label, statementChange, rerun);
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
                applyRow(target, label, (RowChange) change);
            }
        }
        flushInserts(label);
        checkpoint.record(target, transaction.gtid(), transaction.originServerId());
        recordAnchor(target, transaction);
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
     */
    private void runStatement(Connection target, String gtid, StatementChange change, boolean rerun)
            throws SQLException {
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
            statement.execute("USE " + TablePlan.quote(database));
        } catch (SQLException e) {
            if (e.getErrorCode() != ER_BAD_DB) {
                throw e;
            }
            // Statements that really need it fail next, naming the database themselves.
        }
    }

    private TablePlan plan(Connection target, String gtid, RowChange row) throws SQLException {
        long generation = catalog.generation();
        if (generation != plansGeneration) {
            // A statement ran, maybe on another worker: a plan may map the old shape of its table (a source table
            // whose TABLE_MAP did not change), and plans and statements of tables renamed or dropped would never be
            // used again (a daemon that sees a table created every day would keep them all).
            flushInserts(gtid); // their statement is about to be closed
            plans.clear();
            closePrepared();
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

    private PreparedStatement prepare(Connection target, String sql) throws SQLException {
        PreparedStatement statement = prepared.get(sql);
        if (statement == null) {
            statement = target.prepareStatement(sql);
            prepared.put(sql, statement);
        }
        return statement;
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            connection = pool.getConnection();
            connection.setAutoCommit(false);
        }
        return connection;
    }

    private void abandonConnection() {
        unrecorded = GtidSet.empty();
        unrecordedNewest = null;
        anchorInTransaction = 0;
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
        echoesInTransaction = GtidSet.empty();
        skipper.rolledBack();
        connection = null;
        prepared.clear();
        pendingInserts = null;
        pendingCount = 0;
        pendingBytes = 0;
    }

    private void closePrepared() {
        for (PreparedStatement statement : prepared.values()) {
            try {
                statement.close();
            } catch (SQLException e) {
                LOG.debug("worker {}: closing a prepared statement failed: {}", index, e.toString());
            }
        }
        prepared.clear();
    }

}
