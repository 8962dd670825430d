package dev.binrelay.applier;

import com.zaxxer.hikari.HikariDataSource;
import dev.binrelay.checkpoint.CheckpointStore;
import dev.binrelay.engine.Applier;
import dev.binrelay.engine.ApplyException;
import dev.binrelay.engine.Change;
import dev.binrelay.engine.RowChange;
import dev.binrelay.engine.StatementChange;
import dev.binrelay.engine.Transaction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
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

    private final int index;
    private final HikariDataSource pool;
    private final TableCatalog catalog;
    private final CheckpointStore checkpoint;
    private final DdlMarker ddlMarker;
    private final JdbcApplier applier;
    private final Map<Object, TablePlan> plans = new HashMap<>();
    private final Map<String, PreparedStatement> prepared = new HashMap<>();
    private Connection connection;

    JdbcWorker(int index, HikariDataSource pool, TableCatalog catalog, CheckpointStore checkpoint, DdlMarker ddlMarker,
               JdbcApplier applier) {
        this.index = index;
        this.pool = pool;
        this.catalog = catalog;
        this.checkpoint = checkpoint;
        this.ddlMarker = ddlMarker;
        this.applier = applier;
    }

    @Override
    public void apply(Transaction transaction) {
        String gtid = transaction.gtid().toString();
        try {
            Connection target = connection();
            if (transaction.hasStatement()) {
                applyStatements(target, transaction);
            } else {
                for (Change change : transaction.changes()) {
                    applyRow(target, gtid, (RowChange) change);
                }
                checkpoint.record(target, transaction.gtid());
            }
        } catch (ApplyException e) {
            abandonConnection();
            throw e;
        } catch (SQLException e) {
            abandonConnection();
            throw TargetErrors.apply(gtid, "recording the checkpoint", e);
        } catch (RuntimeException e) {
            abandonConnection();
            throw new ApplyException("GTID " + gtid + ": " + e.getMessage(), 0, e);
        }
    }

    @Override
    public void commit() {
        if (connection == null) {
            return;
        }
        try {
            connection.commit();
        } catch (SQLException e) {
            abandonConnection();
            throw new ApplyException("commit on the target failed: target error " + e.getErrorCode() + " ("
                    + e.getSQLState() + "): " + e.getMessage(), e.getErrorCode(), e);
        }
    }

    @Override
    public void rollback() {
        abandonConnection();
    }

    @Override
    public void close() {
        abandonConnection();
    }

    private void applyRow(Connection target, String gtid, RowChange row) throws SQLException {
        TablePlan plan = plan(target, gtid, row);
        TablePlan.RowStatement statement = plan.statementFor(row);
        if (!statement.reusable()) {
            // Its SQL holds this row's values: caching it would keep one statement per such row.
            try (PreparedStatement oneOff = target.prepareStatement(statement.sql())) {
                execute(oneOff, gtid, row, statement);
            }
            return;
        }
        execute(prepare(target, statement.sql()), gtid, row, statement);
    }

    private static void execute(PreparedStatement prepared, String gtid, RowChange row,
                                TablePlan.RowStatement statement) throws SQLException {
        int parameter = 1;
        for (int i = 0; i < statement.values().length; i++) {
            ValueBinder.bind(prepared, parameter++, row.after()[statement.values()[i]], statement.valueColumns().get(i));
        }
        for (int i = 0; i < statement.where().length; i++) {
            ValueBinder.bind(prepared, parameter++, row.before()[statement.where()[i]], statement.whereColumns().get(i));
        }
        int matched;
        try {
            matched = prepared.executeUpdate();
        } catch (SQLException e) {
            throw TargetErrors.apply(gtid, row.kind() + " on " + row.table(), e);
        }
        if (matched != 1 && row.kind() != RowChange.Kind.INSERT) {
            // MySQL's own replica stops here too (error 1032): the target no longer holds the source's row.
            throw TargetErrors.apply(gtid, row.kind() + " on " + row.table(), "the target has no row matching the "
                    + "source's before image (" + matched + " matched; MySQL reports this as error 1032)");
        }
    }

    private void applyStatements(Connection target, Transaction transaction) throws SQLException {
        String gtid = transaction.gtid().toString();
        boolean rerun = applier.takePendingDdl(gtid);
        ddlMarker.mark(target, gtid);
        target.commit();
        for (Change change : transaction.changes()) {
            if (change instanceof StatementChange statementChange) {
                runStatement(target, gtid, statementChange, rerun);
            } else {
                applyRow(target, gtid, (RowChange) change);
            }
        }
        // The statement may have changed any table's shape.
        catalog.invalidate();
        plans.clear();
        checkpoint.record(target, transaction.gtid());
        ddlMarker.clear(target); // committed by the engine, right after, together with the checkpoint row
    }

    private void runStatement(Connection target, String gtid, StatementChange change, boolean rerun)
            throws SQLException {
        try (Statement statement = target.createStatement()) {
            statement.execute("SET SESSION sql_mode = '" + applier.statementSqlMode().replace("'", "''") + "'");
            try {
                useDatabase(statement, change.database());
                statement.execute(change.sql());
            } catch (SQLException e) {
                if (rerun && TargetErrors.ALREADY_APPLIED_DDL.contains(e.getErrorCode())) {
                    LOG.info("GTID {}: statement already took effect before the last stop (target error {}); "
                            + "recording it as applied", gtid, e.getErrorCode());
                } else {
                    throw TargetErrors.apply(gtid, "statement `" + abbreviate(change.sql()) + "` (database '"
                            + change.database() + "')", e);
                }
            } finally {
                statement.execute("SET SESSION sql_mode = '" + JdbcApplier.ROW_SQL_MODE + "'");
            }
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
        TablePlan plan = plans.get(row.table());
        if (plan != null) {
            return plan;
        }
        Optional<TargetTable> table = catalog.table(target, row.table().schema(), row.table().name());
        if (table.isEmpty()) {
            throw TargetErrors.apply(gtid, row.kind() + " on " + row.table(), "table " + row.table().qualifiedName()
                    + " does not exist on the target");
        }
        try {
            plan = TablePlan.build(row.table(), table.get());
        } catch (IllegalArgumentException e) {
            throw TargetErrors.apply(gtid, row.kind() + " on " + row.table(), e.getMessage());
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
        if (connection == null) {
            return;
        }
        try {
            connection.rollback();
        } catch (SQLException e) {
            LOG.debug("worker {}: rollback failed: {}", index, e.toString());
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debug("worker {}: close failed: {}", index, e.toString());
        }
        connection = null;
        prepared.clear();
    }

    private static String abbreviate(String sql) {
        String flat = sql.replaceAll("\\s+", " ").trim();
        return flat.length() <= 200 ? flat : flat.substring(0, 200) + "...";
    }
}
