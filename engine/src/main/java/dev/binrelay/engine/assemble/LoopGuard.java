package dev.binrelay.engine.assemble;

import dev.binrelay.engine.event.Change;
import dev.binrelay.engine.event.RowChange;
import dev.binrelay.engine.event.StatementChange;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loop prevention for two-way (and ring) replication through binrelay, in the reader: finds the server each
 * transaction originated on, so that echoes of the target's own writes are skipped, and removes binrelay's own
 * bookkeeping (the checkpoint schema's rows and DDL) from every transaction.
 *
 * <p>binrelay applies as an ordinary client, so the source logs what binrelay applied under the source's own
 * server_id; MySQL 8 has no session server_id to keep the original one. The applier therefore writes the originating
 * server_id into its checkpoint row ({@code <schema>.gtid_executed.origin_server_id}), in the same transaction and
 * before the transaction's rows, and into its DDL marker ({@code <schema>.ddl_in_progress.origin_server_id}), which
 * it commits just before a DDL on the same connection. The origin of a transaction is, in order: its checkpoint row's
 * origin; for a DDL, the origin of the marker the same session (thread id) committed just before; otherwise the
 * server_id of its GTID event's header (native replication keeps the original server_id there). Instances in a loop
 * must use the same {@code checkpoint.schema}.
 *
 * <p>Used by the reader's single thread, like {@link TransactionAssembler}; {@link #skippedEchoes} may be read from
 * any thread.
 */
public final class LoopGuard {
    private static final Logger LOG = LoggerFactory.getLogger(LoopGuard.class);
    static final String CHECKPOINT_TABLE = "gtid_executed";
    static final String MARKER_TABLE = "ddl_in_progress";
    /** Where the applier puts origin_server_id: it creates (or extends) these tables itself. */
    static final int CHECKPOINT_ORIGIN_COLUMN = 4;
    static final int MARKER_ORIGIN_COLUMN = 2;
    /**
     * Sessions whose marker is not yet followed by their DDL. One per target worker normally; a marker whose DDL
     * failed lingers until its session's next transaction, so bound the map against sessions that never return.
     */
    private static final int MAX_PENDING_MARKERS = 4096;

    /** A guard that finds origins but neither skips nor strips anything (no checkpoint schema known). */
    static LoopGuard none() {
        return new LoopGuard(null, Set.of());
    }

    private final String checkpointSchema;
    private final Set<Long> ignoredServerIds;
    private final Map<Long, Long> markerOrigins = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
            return size() > MAX_PENDING_MARKERS;
        }
    };
    private volatile long skippedEchoes;
    private boolean inEchoBurst;
    // The transaction being read:
    private long headerServerId;
    private long threadId = -1;
    private long checkpointOrigin;
    private long markerOrigin;
    private boolean hasStatement;
    /** The origin of the first change handed on, 0 before. */
    private long keptOrigin;
    private boolean droppedEcho;
    private boolean droppedBookkeeping;

    /**
     * @param checkpointSchema the schema of binrelay's checkpoint on the target ({@code checkpoint.schema}); its
     *                         rows and DDL are removed from every transaction; null for none
     * @param ignoredServerIds transactions originating on these servers are skipped (empty: none)
     */
    public LoopGuard(String checkpointSchema, Set<Long> ignoredServerIds) {
        this.checkpointSchema = checkpointSchema;
        this.ignoredServerIds = Set.copyOf(ignoredServerIds);
    }

    /** A GTID event began a transaction; {@code serverId} is its header's. */
    void begin(long serverId) {
        headerServerId = serverId;
        threadId = -1;
        checkpointOrigin = 0;
        markerOrigin = 0;
        hasStatement = false;
        keptOrigin = 0;
        droppedEcho = false;
        droppedBookkeeping = false;
    }

    /** The source session (thread id) of the transaction's BEGIN or statement. */
    void session(long sourceThreadId) {
        threadId = sourceThreadId;
    }

    /**
     * Whether {@code change} is to be handed on: false for binrelay's bookkeeping (noting the origin a checkpoint or
     * marker row carries) and for a change of an echo.
     *
     * <p>The origin is decided per change, not per transaction: binrelay's applier commits several source
     * transactions together, each with its checkpoint row written before its rows, so one transaction of its
     * target's binary log can hold echoes and new writes, each after the checkpoint row that names its origin.
     */
    boolean admit(Change change) {
        if (isBookkeeping(change)) {
            droppedBookkeeping = true;
            return false;
        }
        if (echo()) {
            droppedEcho = true;
            return false;
        }
        if (keptOrigin == 0) {
            keptOrigin = origin();
        }
        return true;
    }

    /** Whether {@code schema} is binrelay's checkpoint schema, whose changes this guard reads and drops. */
    boolean ownsSchema(String schema) {
        return checkpointSchema != null && checkpointSchema.equals(schema);
    }

    /** Whether a statement changes binrelay's checkpoint schema (bookkeeping this guard drops). */
    boolean touchesCheckpointSchema(StatementChange statement) {
        return checkpointSchema != null && CheckpointSchemaStatements.touches(statement, checkpointSchema);
    }

    private boolean isBookkeeping(Change change) {
        if (checkpointSchema == null) {
            return false;
        }
        if (change instanceof RowChange row) {
            if (!checkpointSchema.equals(row.table().schema())) {
                return false;
            }
            String table = row.table().name();
            if (table.equals(CHECKPOINT_TABLE) && row.kind() == RowChange.Kind.INSERT) {
                checkpointOrigin = origin(row.after(), CHECKPOINT_ORIGIN_COLUMN, checkpointOrigin);
            } else if (table.equals(MARKER_TABLE) && row.after() != null) {
                markerOrigin = origin(row.after(), MARKER_ORIGIN_COLUMN, markerOrigin);
            }
            return true;
        }
        StatementChange statement = (StatementChange) change;
        if (CheckpointSchemaStatements.touches(statement, checkpointSchema)) {
            return true;
        }
        hasStatement = true;
        return false;
    }

    private static long origin(Object[] image, int column, long otherwise) {
        if (image == null || image.length <= column || !(image[column] instanceof Number number)) {
            return otherwise; // a table from before origin_server_id: its rows say nothing
        }
        long origin = number.longValue() & 0xFFFF_FFFFL;
        return origin != 0 ? origin : otherwise;
    }

    /** The origin of the changes being read (see the class comment). */
    private long origin() {
        if (checkpointOrigin != 0) {
            return checkpointOrigin;
        }
        if (hasStatement) {
            Long marked = markerOrigins.get(threadId);
            if (marked != null) {
                return marked;
            }
        }
        return headerServerId;
    }

    /** Whether the changes being read are an echo to skip. */
    private boolean echo() {
        return !ignoredServerIds.isEmpty() && ignoredServerIds.contains(origin());
    }

    /**
     * The origin of the transaction being read: that of the first change handed on, or, with none handed on yet, that
     * of the changes being read.
     */
    long transactionOrigin() {
        return keptOrigin != 0 ? keptOrigin : origin();
    }

    /**
     * Ends the transaction: a marker is remembered for its session's next transaction (the DDL), any older one of
     * that session is forgotten. Returns the transaction's origin; counts it if it was an echo ({@link #echoOnly}).
     */
    long end() {
        long origin = transactionOrigin();
        if (threadId >= 0) {
            if (markerOrigin != 0) {
                markerOrigins.put(threadId, markerOrigin);
            } else {
                markerOrigins.remove(threadId);
            }
        }
        boolean echo = echoOnly();
        if (echo) {
            skippedEchoes++; // single writer: the reader thread
            if (!inEchoBurst) {
                LOG.debug("skipping transactions that originated on server_id {} (echoes of the target's own "
                        + "writes, source.ignoreServerIds {})", origin, ignoredServerIds);
            }
        }
        inEchoBurst = echo;
        return origin;
    }

    /**
     * Whether the transaction being read is an echo with nothing to hand on: its changes were dropped as echoes, or it
     * held only bookkeeping of an ignored origin (the checkpoint row of a transaction that was itself empty, or that
     * closes a DDL). The latter must count as an echo too: applied, it would be a new transaction on the target with
     * that same origin, which the opposite direction would apply back again, and so on forever.
     */
    boolean echoOnly() {
        return droppedEcho || (keptOrigin == 0 && echo());
    }

    /**
     * Whether nothing of the transaction being read is to be applied and something was dropped: it was an echo
     * ({@link #echoOnly}), or it held only binrelay's bookkeeping (the source's compaction of its own checkpoint, the
     * creation of the checkpoint schema). The applier records such a transaction with the next one that changes
     * something: recorded at once, a compaction on one server would become a checkpoint row on the other, compacted
     * there in turn, and so on every few seconds forever.
     */
    boolean onlyDropped() {
        return echoOnly() || (keptOrigin == 0 && droppedBookkeeping);
    }

    /** Transactions skipped as echoes so far. */
    long skippedEchoes() {
        return skippedEchoes;
    }

    /** The ignored server_ids, sorted, for the log. */
    public String describe() {
        return ignoredServerIds.isEmpty() ? "none (loop prevention off)" : new TreeSet<>(ignoredServerIds).toString();
    }
}
