package dev.binrelay.snapshot;

import dev.binrelay.applier.JdbcApplier;
import dev.binrelay.applier.TargetSettings;
import dev.binrelay.engine.tls.ConnectorJTls;
import dev.binrelay.engine.ReplicationFilter;
import dev.binrelay.checkpoint.CheckpointStore;
import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.engine.SourceSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies a running source's schemas to a target at one consistent instant, then leaves the target's checkpoint at
 * that instant's GTID set, so that a replica started afterwards streams from exactly there.
 *
 * <ol>
 *   <li>A brief global read lock fixes the GTID set and opens {@code threads} consistent-snapshot transactions
 *   ({@link ConsistentSnapshot}); the schema is read meanwhile.</li>
 *   <li>Schemas, tables and views are created on the target; a non-empty target table is an error.</li>
 *   <li>Tables are copied in primary-key chunks by {@code threads} threads ({@link TableCopier}); each chunk commits
 *   with its progress row ({@link SnapshotStore}).</li>
 *   <li>The checkpoint is written with the snapshot's GTID set, in the transaction that marks the copy done.</li>
 * </ol>
 * An interrupted copy resumes from each table's last chunk under a new snapshot; the transactions between the two
 * snapshots (the catch-up window, {@link #catchUpWindow}) are then applied idempotently by the stream.
 *
 * <p>{@link #run} is called once; {@link #progress} may be called from any thread meanwhile.
 */
public final class Snapshot {
    private static final Logger LOG = LoggerFactory.getLogger(Snapshot.class);

    private final SourceSettings source;
    private final TargetSettings target;
    private final List<String> schemas;
    private final ReplicationFilter filter;
    private final int threads;
    private final int chunkRows;
    private final Duration progressInterval;
    private final SnapshotStore store;
    private final ProgressBoard board = new ProgressBoard();

    private Snapshot(Builder builder) {
        this.source = Objects.requireNonNull(builder.source, "source");
        this.target = Objects.requireNonNull(builder.target, "target");
        this.schemas = List.copyOf(builder.schemas);
        this.filter = builder.filter;
        this.threads = builder.threads;
        this.chunkRows = builder.chunkRows;
        this.progressInterval = builder.progressInterval;
        this.store = new SnapshotStore(target.checkpointSchema(), target.channel());
    }

    /** A builder; source and target are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Each table's progress now: rows copied, estimate, rate, ETA. Empty before the copy starts. */
    public List<TableProgress> progress() {
        return board.progress();
    }

    /**
     * Copies the source (or resumes an interrupted copy) and records the checkpoint. Does nothing when this target's
     * copy is already done.
     *
     * @throws SnapshotException when the copy cannot start, resume or finish; its message names the cause
     */
    public SnapshotResult run() {
        return copy(true).orElseThrow();
    }

    /**
     * Like {@link #run}, but when the target's checkpoint already holds GTIDs (it is a replica already, and no copy
     * of it is unfinished), copies nothing and returns empty: for {@code snapshot.mode: initial}, which copies only
     * into a new replica.
     */
    public Optional<SnapshotResult> runIfCheckpointEmpty() {
        return copy(false);
    }

    private Optional<SnapshotResult> copy(boolean refuseReplica) {
        long start = System.nanoTime();
        CheckpointStore checkpoint = new CheckpointStore(target.checkpointSchema(), target.channel());
        try (Connection control = targetConnection()) {
            control.setAutoCommit(true);
            checkpoint.createIfMissing(control);
            store.createIfMissing(control);
            GtidSet applied = checkpoint.load(control);
            Optional<SnapshotStore.State> state = store.state(control);
            control.setAutoCommit(false);
            if (state.isPresent() && state.get().done()) {
                LOG.info("the snapshot of this target (channel {}) is already done, at {}", target.channel(),
                        state.get().first());
                return Optional.of(new SnapshotResult(state.get().first(), state.get().window(), 0, 0, 0));
            }
            if (!applied.isEmpty() && !refuseReplica) {
                LOG.info("the checkpoint already holds {}: this target is a replica already, nothing to copy",
                        applied);
                return Optional.empty();
            }
            if (!applied.isEmpty()) {
                throw new SnapshotException("target " + target.displayUrl() + ": the checkpoint "
                        + target.checkpointSchema() + ".gtid_executed (channel " + target.channel() + ") already holds "
                        + applied + ": this target is a replica already, and a snapshot copies only to a target "
                        + "whose checkpoint is empty");
            }
            checkSource(state.isPresent());
            SnapshotResult result = state.isPresent() ? resume(control, state.get(), checkpoint)
                    : begin(control, checkpoint);
            double seconds = (System.nanoTime() - start) / 1e9;
            result = new SnapshotResult(result.gtids(), result.catchUpWindow(), result.tables(), result.rows(),
                    seconds);
            LOG.info("snapshot done: {} tables, {} rows in {} s ({} rows/s); checkpoint {}", result.tables(),
                    result.rows(), String.format("%.1f", seconds), Math.round(result.rowsPerSecond()),
                    result.gtids().isEmpty() ? "(empty)" : result.gtids());
            return Optional.of(result);
        } catch (SQLException e) {
            throw new SnapshotException("target " + target.displayUrl() + ": " + e.getMessage() + " (error "
                    + e.getErrorCode() + ")", e);
        }
    }

    /**
     * The catch-up window of this target's finished snapshot: transactions to apply idempotently (see
     * {@link JdbcApplier#applyIdempotently}); empty when there was no snapshot or it was never interrupted.
     *
     * @throws SnapshotException when a snapshot of this target is unfinished: streaming now would leave tables
     *                           partly copied
     */
    public static GtidSet catchUpWindow(TargetSettings target) {
        SnapshotStore store = new SnapshotStore(target.checkpointSchema(), target.channel());
        Connection connection;
        try {
            connection = connect(target);
        } catch (SQLException e) {
            String message = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
            throw new SnapshotException("cannot connect to target " + target.displayUrl() + ": " + message
                    + (e.getErrorCode() != 0 ? " (error " + e.getErrorCode() + ")" : ""), e);
        }
        try (connection) {
            Optional<SnapshotStore.State> state = store.state(connection);
            if (state.isPresent() && !state.get().done()) {
                throw new SnapshotException("the snapshot of target " + target.displayUrl() + " (channel "
                        + target.channel() + ") is not finished: resume it with 'binrelay snapshot' or with "
                        + "snapshot.mode: initial before streaming");
            }
            return state.map(SnapshotStore.State::window).orElse(GtidSet.empty());
        } catch (SQLException e) {
            throw new SnapshotException("target " + target.displayUrl() + ": cannot read the snapshot state: "
                    + e.getMessage() + " (error " + e.getErrorCode() + ")", e);
        }
    }

    private SnapshotResult begin(Connection control, CheckpointStore checkpoint) throws SQLException {
        SourceSchema schema = new SourceSchema();
        try (ConsistentSnapshot snapshot = ConsistentSnapshot.open(source, threads, lock -> schema.read(lock,
                schemas, target.checkpointSchema(), filter))) {
            TargetSchema.create(control, schema.createSchemas, schema.tables, schema.views);
            store.begin(control, snapshot.gtids(), schema.tables);
            control.commit();
            List<CopyTask> tasks = new ArrayList<>();
            for (TableDefinition table : schema.tables) {
                tasks.add(new CopyTask(table, null, 0, board.add(table, 0, false)));
            }
            long rows = copy(snapshot, tasks, false);
            finish(control, checkpoint, snapshot.gtids());
            return new SnapshotResult(snapshot.gtids(), GtidSet.empty(), schema.tables.size(), rows, 0);
        }
    }

    private SnapshotResult resume(Connection control, SnapshotStore.State state, CheckpointStore checkpoint)
            throws SQLException {
        List<SnapshotStore.TableState> recorded = store.tables(control);
        control.commit();
        Map<SnapshotStore.TableState, TableDefinition> definitions = new HashMap<>();
        try (ConsistentSnapshot snapshot = ConsistentSnapshot.open(source, threads, lock -> {
            SchemaReader reader = new SchemaReader(lock);
            for (SnapshotStore.TableState table : recorded) {
                definitions.put(table, unchanged(reader, table).into(keptTarget(table)));
            }
        })) {
            GtidSet window = snapshot.gtids().subtract(state.first());
            store.resumed(control, snapshot.gtids(), window);
            control.commit();
            LOG.info("resuming the snapshot taken at {}: the new snapshot adds {}, which the stream will apply "
                    + "idempotently", state.first(), window.isEmpty() ? "nothing" : window);
            List<CopyTask> tasks = new ArrayList<>();
            for (SnapshotStore.TableState table : recorded) {
                ProgressBoard.Entry entry = board.add(definitions.get(table), table.rowsCopied(), table.done());
                if (!table.done()) {
                    tasks.add(new CopyTask(definitions.get(table), table.lastKey(), table.rowsCopied(), entry));
                }
            }
            long rows = copy(snapshot, tasks, true);
            finish(control, checkpoint, state.first());
            return new SnapshotResult(state.first(), window, recorded.size(), rows, 0);
        }
    }

    /** The table's definition now, refusing a table that changed since the copy began. */
    private static TableDefinition unchanged(SchemaReader reader, SnapshotStore.TableState table)
            throws SQLException {
        String name = table.schema() + "." + table.table();
        Optional<TableDefinition> now = reader.table(table.schema(), table.table());
        if (now.isEmpty()) {
            throw new SnapshotException("cannot resume the snapshot: table " + name + " no longer exists on the "
                    + "source. " + START_OVER);
        }
        if (!now.get().createSql().equals(table.createSql())) {
            throw new SnapshotException("cannot resume the snapshot: table " + name + " changed on the source since "
                    + "the copy began (SHOW CREATE TABLE differs), so the rows copied before do not fit it. "
                    + START_OVER);
        }
        if (!now.get().chunked() && !table.done()) {
            throw new SnapshotException("cannot resume the snapshot: table " + name + " has no primary key or "
                    + "unique NOT NULL key, so it is copied in one piece, and that piece was interrupted; copied "
                    + "again now, the transactions since the first snapshot could not be replayed on it exactly. "
                    + START_OVER);
        }
        return now.get();
    }

    /**
     * The target schema of a table the interrupted copy recorded. The filter may have changed since: a table it no
     * longer keeps would be finished against the stream's will, so the copy is refused.
     */
    private String keptTarget(SnapshotStore.TableState table) {
        if (!filter.keepsTable(table.schema(), table.table())) {
            throw new SnapshotException("cannot resume the snapshot: table " + table.schema() + "." + table.table()
                    + " is being copied, but the filters no longer keep it; keep the filters as they were until "
                    + "the copy is done. " + START_OVER);
        }
        return filter.targetDatabase(table.schema());
    }

    private static final String START_OVER = "To start over, drop the copied tables on the target and delete this "
            + "channel's rows from the checkpoint schema's snapshot_state and snapshot_progress tables.";

    /** Copies the tasks' tables ({@link ParallelCopy}), logging progress meanwhile; returns rows copied. */
    private long copy(ConsistentSnapshot snapshot, List<CopyTask> tasks, boolean replace) {
        ScheduledExecutorService logger = progressLogger();
        try {
            return new ParallelCopy(snapshot, threads, chunkRows, store, this::targetConnection).run(tasks, replace);
        } finally {
            if (logger != null) {
                logger.shutdownNow();
            }
        }
    }

    /** The copy is done: the checkpoint is the first snapshot's set, in the transaction that says so. */
    private void finish(Connection control, CheckpointStore checkpoint, GtidSet first) throws SQLException {
        checkpoint.recordAll(control, first);
        store.finish(control);
        control.commit();
    }

    private ScheduledExecutorService progressLogger() {
        if (progressInterval.isZero()) {
            return null;
        }
        ScheduledExecutorService logger = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "binrelay-snapshot-progress");
            thread.setDaemon(true);
            return thread;
        });
        long millis = progressInterval.toMillis();
        logger.scheduleAtFixedRate(() -> LOG.info(board.line()), millis, millis, TimeUnit.MILLISECONDS);
        return logger;
    }

    /** Checks that the source can be snapshotted (and, when resuming, replayed idempotently). */
    private void checkSource(boolean resuming) {
        try (Connection connection = ConsistentSnapshot.connect(source); Statement statement =
                connection.createStatement(); ResultSet row = statement.executeQuery("SELECT @@GLOBAL.gtid_mode, "
                + "@@GLOBAL.log_bin, @@GLOBAL.binlog_format, @@GLOBAL.binlog_row_image")) {
            row.next();
            String where = "source " + source.address();
            if (!"ON".equalsIgnoreCase(row.getString(1)) || !"1".equals(row.getString(2))
                    || !"ROW".equalsIgnoreCase(row.getString(3))) {
                throw new SnapshotException(where + " has gtid_mode=" + row.getString(1) + ", log_bin="
                        + row.getString(2) + ", binlog_format=" + row.getString(3) + ": a snapshot needs gtid_mode=ON, "
                        + "log_bin on and binlog_format=ROW, to stream from the snapshot's GTID set afterwards");
            }
            if (resuming && !"FULL".equalsIgnoreCase(row.getString(4))) {
                throw new SnapshotException(where + " has binlog_row_image=" + row.getString(4) + ": resuming an "
                        + "interrupted snapshot replays the transactions committed since it began idempotently, "
                        + "which needs full row images (binlog_row_image=FULL). Set it, or start over: "
                        + START_OVER);
            }
        } catch (SQLException e) {
            throw ConsistentSnapshot.failure(source, e);
        }
    }

    private Connection targetConnection() throws SQLException {
        Connection connection = connect(target);
        try (Statement statement = connection.createStatement()) {
            // As the applier writes rows: the source's values as they are (zero dates, explicit zeros), TIMESTAMP in
            // UTC as the source session read it. Foreign keys are not checked: tables arrive in any order.
            statement.execute("SET SESSION time_zone = '+00:00', sql_mode = '" + JdbcApplier.ROW_SQL_MODE + "', "
                    + "foreign_key_checks = 0, transaction_isolation = 'READ-COMMITTED'");
        }
        connection.setAutoCommit(false);
        return connection;
    }

    private static Connection connect(TargetSettings target) throws SQLException {
        Properties properties = target.tls() == null ? new Properties()
                : ConnectorJTls.properties(target.tls(), "target.ssl");
        properties.setProperty("user", target.user());
        properties.setProperty("password", target.password());
        properties.setProperty("characterEncoding", "UTF-8");
        // A chunk's rows travel as multi-row INSERTs of up to max_allowed_packet each.
        properties.setProperty("rewriteBatchedStatements", "true");
        return DriverManager.getConnection(target.url(), properties);
    }

    /** What the first snapshot reads of the source's schema, under the lock. */
    private static final class SourceSchema {
        private final Map<String, String> createSchemas = new java.util.LinkedHashMap<>();
        private List<TableDefinition> tables = List.of();
        private List<SchemaReader.View> views = List.of();

        /**
         * Reads the schemas {@code wanted} (all when empty) holds, as {@code filter} keeps them: a schema is created
         * on the target when its database rules pass (as the stream applies its CREATE DATABASE), under its
         * rewritten name; tables and views are kept by the table rules, as the stream keeps their rows and DDL.
         */
        void read(Connection lock, List<String> wanted, String checkpointSchema, ReplicationFilter filter)
                throws SQLException {
            SchemaReader reader = new SchemaReader(lock);
            List<String> names = new ArrayList<>();
            for (String name : reader.schemas(wanted, checkpointSchema)) {
                if (filter.keepsDatabase(name)) {
                    names.add(name);
                    String target = filter.targetDatabase(name);
                    createSchemas.putIfAbsent(target, reader.createSchema(name, target));
                }
            }
            tables = reader.tables(names).stream().filter(table -> filter.keepsTable(table.schema(), table.name()))
                    .map(table -> table.into(filter.targetDatabase(table.schema()))).toList();
            views = reader.views(names).stream().filter(view -> filter.keepsTable(view.schema(), view.name()))
                    .map(view -> view.into(filter.targetDatabase(view.schema()))).toList();
        }
    }

    /** Builds a {@link Snapshot}. */
    public static final class Builder {
        private SourceSettings source;
        private TargetSettings target;
        private List<String> schemas = List.of();
        private ReplicationFilter filter = ReplicationFilter.NONE;
        private int threads = 4;
        private int chunkRows = 10_000;
        private Duration progressInterval = Duration.ofSeconds(5);

        private Builder() {
        }

        /** The source to copy (its user needs SELECT, RELOAD, REPLICATION CLIENT and REPLICATION SLAVE). */
        public Builder source(SourceSettings source) {
            this.source = source;
            return this;
        }

        /** The target, and the checkpoint schema and channel the copy's state and checkpoint go to. */
        public Builder target(TargetSettings target) {
            this.target = target;
            return this;
        }

        /** The schemas to copy; empty (the default) for all but MySQL's own and the checkpoint schema. */
        public Builder schemas(List<String> schemas) {
            this.schemas = List.copyOf(schemas);
            return this;
        }

        /**
         * The replica's filters ({@code filters.*}): only the tables they keep are copied, each into its rewritten
         * database; {@link ReplicationFilter#NONE} (the default) copies every table of {@link #schemas} as it is.
         */
        public Builder filter(ReplicationFilter filter) {
            this.filter = Objects.requireNonNull(filter, "filter");
            return this;
        }

        /** Copy threads, each with its own snapshot connection ({@code snapshot.threads}, default 4). */
        public Builder threads(int threads) {
            if (threads < 1 || threads > 64) {
                throw new IllegalArgumentException("snapshot.threads must be between 1 and 64, not " + threads);
            }
            this.threads = threads;
            return this;
        }

        /** Rows per chunk, each one target transaction ({@code snapshot.chunkRows}, default 10000). */
        public Builder chunkRows(int chunkRows) {
            if (chunkRows < 1 || chunkRows > 1_000_000) {
                throw new IllegalArgumentException("snapshot.chunkRows must be between 1 and 1000000, not "
                        + chunkRows);
            }
            this.chunkRows = chunkRows;
            return this;
        }

        /** How often progress is logged; zero for never. */
        public Builder progressInterval(Duration interval) {
            this.progressInterval = Objects.requireNonNull(interval);
            return this;
        }

        public Snapshot build() {
            return new Snapshot(this);
        }
    }
}
