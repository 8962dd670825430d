package dev.binrelay.applier;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import dev.binrelay.checkpoint.BinlogPosition;
import dev.binrelay.checkpoint.CheckpointStore;
import dev.binrelay.checkpoint.Gtid;
import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.checkpoint.PositionAnchor;
import dev.binrelay.checkpoint.PositionAnchors;
import dev.binrelay.engine.apply.Applier;
import dev.binrelay.engine.tls.ConnectorJTls;
import dev.binrelay.engine.apply.KeyCatalog;
import dev.binrelay.engine.ReplicaException;
import dev.binrelay.engine.SourceInfo;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies source transactions to a MySQL-compatible target over JDBC (Connector/J through a HikariCP pool), each as
 * one target transaction that also writes its checkpoint row. Compacts the checkpoint in the background.
 *
 * <p>Thread-safe: each engine worker gets its own {@link Applier.Worker} with its own connection.
 */
public final class JdbcApplier implements Applier {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcApplier.class);
    /** Row changes run with the source's data, not the target's defaults: keep explicit zeros, accept zero dates. */
    public static final String ROW_SQL_MODE = "NO_AUTO_VALUE_ON_ZERO,STRICT_ALL_TABLES,ALLOW_INVALID_DATES,"
            + "NO_ENGINE_SUBSTITUTION";
    private static final long COMPACT_INTERVAL_SECONDS = 10;
    /** A compaction merges a few rows in one short transaction; waiting longer would only delay a stop. */
    private static final long COMPACT_WAIT_SECONDS = 5;
    /** Workers never wait on each other's locks by design; if the target does, fail in seconds, not in 50. */
    private static final int LOCK_WAIT_SECONDS = 20;

    private final TargetSettings settings;
    private final MetricsTrackerFactory poolMetrics;
    private final CheckpointStore checkpoint;
    private final DdlMarker ddlMarker;
    private final PositionAnchors anchors;
    private final TableCatalog catalog = new TableCatalog();
    private HikariDataSource pool;
    private TargetKeyCatalog keyCatalog;
    private ScheduledExecutorService compactor;
    /** The pending DDL and the idempotent window, which the workers read. */
    private final ResumeState resume = new ResumeState();
    private volatile long targetServerId;

    /** @param settings where the target is */
    public JdbcApplier(TargetSettings settings) {
        this(settings, null);
    }

    /**
     * @param settings    where the target is
     * @param poolMetrics receives the connection pool's metrics (such as HikariCP's Micrometer tracker), or null
     */
    public JdbcApplier(TargetSettings settings, MetricsTrackerFactory poolMetrics) {
        this.settings = settings;
        this.poolMetrics = poolMetrics;
        this.checkpoint = new CheckpointStore(settings.checkpointSchema(), settings.channel());
        this.ddlMarker = new DdlMarker(settings.checkpointSchema(), settings.channel());
        this.anchors = new PositionAnchors(settings.checkpointSchema(), settings.channel());
    }

    /**
     * The writeset scheduler's table keys read the way this applier reads them on its target, but from any server
     * that holds the tables: the benchmarks' decode-only runs, which have no target, read them from the source.
     * Thread-safe.
     *
     * @param pool connections to that server, autocommit off (each read is rolled back); the caller closes it
     */
    public static KeyCatalog keyCatalog(HikariDataSource pool) {
        return new TargetKeyCatalog(pool, new TableCatalog());
    }

    @Override
    public GtidSet open(SourceInfo source, int workers) {
        return openTarget(workers);
    }

    /**
     * Opens the target for an operator's command that only reads or records the checkpoint ({@code binrelay skip},
     * run while the replica is stopped): no source, no workers. Close it afterwards.
     *
     * @return the GTID set already applied
     * @throws ReplicaException naming the target and the cause when the target cannot be used
     */
    public GtidSet openCheckpoint() {
        return openTarget(0);
    }

    private GtidSet openTarget(int workers) {
        pool = newPool(workers + 2); // one connection per worker, one for the compactor, one for the key catalog
        keyCatalog = new TargetKeyCatalog(pool, catalog);
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(true);
            if (settings.requireReadOnly()) {
                ReadOnlyCheck.run(connection, settings);
            }
            if (checkpoint.createIfMissing(connection) | ddlMarker.createIfMissing(connection)) {
                LOG.info("target {}: added the column origin_server_id to the tables of {} (for two-way "
                        + "replication)", settings.displayUrl(), settings.checkpointSchema());
            }
            targetServerId = serverId(connection);
            checkpoint.compact(connection);
            String pendingDdlGtid = ddlMarker.pending(connection);
            resume.pendingDdl(pendingDdlGtid);
            GtidSet applied = checkpoint.load(connection);
            LOG.info("target {} opened: checkpoint {}.gtid_executed holds {}", settings.displayUrl(),
                    settings.checkpointSchema(), applied.isEmpty() ? "nothing yet" : applied);
            if (pendingDdlGtid != null) {
                LOG.info("a DDL statement (GTID {}) was started and not checkpointed before the last stop; it will "
                        + "run again", pendingDdlGtid);
            }
            connection.setAutoCommit(false);
            compactor = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "binrelay-checkpoint-compactor");
                thread.setDaemon(true);
                return thread;
            });
            compactor.scheduleWithFixedDelay(this::compact, COMPACT_INTERVAL_SECONDS, COMPACT_INTERVAL_SECONDS,
                    TimeUnit.SECONDS);
            return applied;
        } catch (RuntimeException e) {
            close();
            throw e;
        } catch (SQLException e) {
            close();
            throw new ReplicaException("target " + settings.displayUrl() + ": cannot prepare the checkpoint schema "
                    + settings.checkpointSchema() + ": error " + e.getErrorCode() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<PositionAnchor> positionAnchors(Supplier<BinlogPosition> start) {
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(true);
            anchors.createIfMissing(connection);
            List<PositionAnchor> recorded = anchors.load(connection);
            if (recorded.isEmpty()) {
                PositionAnchor origin = PositionAnchor.origin(start.get());
                anchors.record(connection, origin);
                LOG.info("target {}: position checkpoint {}.binlog_position empty, origin recorded at {}",
                        settings.displayUrl(), settings.checkpointSchema(), origin.end());
                recorded = List.of(origin);
            }
            connection.setAutoCommit(false);
            return recorded;
        } catch (SQLException e) {
            throw new ReplicaException("target " + settings.displayUrl() + ": cannot prepare the position checkpoint "
                    + settings.checkpointSchema() + ".binlog_position: error " + e.getErrorCode() + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void markApplied(GtidSet gtids) {
        if (gtids.isEmpty()) {
            return;
        }
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            try {
                checkpoint.recordAll(connection, gtids);
                String pendingDdl = ddlMarker.pending(connection);
                // A DDL that failed or was cut short, now skipped: its note must not make it look half-applied.
                boolean skipsPendingDdl = pendingDdl != null && gtids.contains(Gtid.parse(pendingDdl));
                if (skipsPendingDdl) {
                    ddlMarker.clear(connection);
                }
                connection.commit();
                if (skipsPendingDdl) {
                    resume.forgetPendingDdl();
                }
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new ReplicaException("target " + settings.displayUrl() + ": cannot record GTIDs " + gtids
                    + " as applied: error " + e.getErrorCode() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Applies the transactions of {@code window} idempotently, as MySQL's {@code replica_exec_mode=IDEMPOTENT}, but
     * without deleting rows that others may reference: an insert updates a row that is already there in place, an
     * update of a missing row writes its after image, a delete of a missing row does nothing, and a row change that
     * meets a duplicate key or a foreign key error (1062, 1451, 1452) is skipped and logged. Every other transaction is applied strictly. For the catch-up after a resumed
     * snapshot, whose later chunks already hold the effect of these transactions. Correct only with full row images
     * ({@code binlog_row_image=FULL}). Call before the replica starts.
     *
     * @param window the GTIDs to apply idempotently; empty for none
     */
    public void applyIdempotently(GtidSet window) {
        resume.idempotentWindow(window);
        if (!window.isEmpty()) {
            LOG.info("transactions {} are applied idempotently (the catch-up window of a resumed snapshot)", window);
        }
    }

    @Override
    public Worker worker(int index) {
        return new JdbcWorker(index,
                new SharedTarget(pool, catalog, checkpoint, ddlMarker, anchors, settings, resume));
    }

    @Override
    public String checkpointSchema() {
        return settings.checkpointSchema();
    }

    @Override
    public long targetServerId() {
        return targetServerId;
    }

    private static long serverId(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT @@server_id")) {
            result.next();
            return result.getLong(1);
        }
    }

    @Override
    public KeyCatalog keyCatalog() {
        return keyCatalog;
    }

    @Override
    public void close() {
        if (compactor != null) {
            // Let a compaction in progress finish: closing the pool under it fails it with a lost connection, logged
            // as a warning with a stack trace on every stop that happens to meet one.
            compactor.shutdown();
            try {
                if (!compactor.awaitTermination(COMPACT_WAIT_SECONDS, TimeUnit.SECONDS)) {
                    compactor.shutdownNow();
                }
            } catch (InterruptedException e) {
                compactor.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        if (pool != null) {
            pool.close();
        }
    }

    private void compact() {
        try (Connection connection = pool.getConnection()) {
            int removed = checkpoint.compact(connection);
            if (removed > 0) {
                LOG.debug("checkpoint compacted: {} rows merged", removed);
            }
        } catch (SQLException | RuntimeException e) {
            // Compaction only saves space; the rows it would merge stay correct.
            LOG.warn("checkpoint compaction failed: {}", e.getMessage());
        }
    }

    private HikariDataSource newPool(int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("binrelay-target");
        config.setJdbcUrl(settings.url());
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(1);
        config.setAutoCommit(false);
        config.setConnectionTimeout(10_000);
        config.setInitializationFailTimeout(1); // fail at start with the real cause, not later
        if (poolMetrics != null) {
            config.setMetricsTrackerFactory(poolMetrics);
        }
        // READ COMMITTED: row changes by key take no gap locks, so workers applying independent transactions do
        // not block each other on the target where they did not block each other on the source.
        // The applier marker keeps replicated triggers from firing for our row changes (ReplicaStatements).
        config.setConnectionInitSql("SET SESSION time_zone = '" + TargetSession.TIME_ZONE + "', sql_mode = '"
                + ROW_SQL_MODE + "', transaction_isolation = 'READ-COMMITTED', innodb_lock_wait_timeout = "
                + LOCK_WAIT_SECONDS + ", foreign_key_checks = 1, unique_checks = 1, "
                + ReplicaStatements.APPLIER_MARKER + " = 1");
        if (settings.tls() != null) {
            ConnectorJTls.properties(settings.tls(), "target.ssl")
                    .forEach((name, value) -> config.addDataSourceProperty((String) name, value));
        }
        config.addDataSourceProperty("cachePrepStmts", "true");
        config.addDataSourceProperty("prepStmtCacheSize", "500");
        config.addDataSourceProperty("prepStmtCacheSqlLimit", "4096");
        config.addDataSourceProperty("characterEncoding", "UTF-8");
        // A transaction's row statements travel as one text of several statements (StatementGroup).
        config.addDataSourceProperty("allowMultiQueries", "true");
        // The applier never makes a connection read-only: without this, the driver asks the server whether the
        // session is (SELECT @@session.transaction_read_only) before every statement text it cannot tell is a read,
        // a round trip per transaction.
        config.addDataSourceProperty("readOnlyPropagatesToServer", "false");
        // An UPDATE reports the rows it matched, not those it changed (the default, stated because the row writers rely
        // on it): 0 means that no row has the key, also for a row that already holds the new values.
        config.addDataSourceProperty("useAffectedRows", "false");
        config.addDataSourceProperty("connectionCollation", TargetSession.CONNECTION_COLLATION);
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw TargetErrors.connect(settings, e);
        }
    }
}
