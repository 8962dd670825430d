package dev.binrelay.engine.assemble;

import dev.binrelay.engine.ReplicaException;
import dev.binrelay.engine.ReplicationFilter;
import dev.binrelay.engine.decode.EventDecoding;
import dev.binrelay.engine.decode.RowImageDecoder;
import dev.binrelay.engine.decode.SourceQuery;
import dev.binrelay.engine.decode.TableShapes;
import dev.binrelay.engine.event.Change;
import dev.binrelay.engine.event.ChangeStream;
import dev.binrelay.engine.event.RowChange;
import dev.binrelay.engine.event.RowContext;
import dev.binrelay.engine.event.SourceTable;
import dev.binrelay.engine.event.StatementChange;
import dev.binrelay.engine.event.Transaction;
import dev.binrelay.engine.source.MariaDbGtids;
import dev.binrelay.engine.source.EventSink;
import dev.binrelay.engine.source.PositionCounter;
import dev.binrelay.engine.sql.QueryKind;
import com.github.shyiko.mysql.binlog.event.DeleteRowsEventData;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.GtidEventData;
import com.github.shyiko.mysql.binlog.event.MariadbGtidEventData;
import com.github.shyiko.mysql.binlog.event.RotateEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.TransactionPayloadEventData;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer.EventDataWrapper;
import dev.binrelay.checkpoint.BinlogPosition;
import dev.binrelay.checkpoint.Gtid;
import dev.binrelay.checkpoint.GtidSet;
import java.io.IOException;
import java.io.Serializable;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Groups binlog events into complete {@link Transaction}s: GTID, then TABLE_MAP and rows events (or one DDL QUERY),
 * until XID or COMMIT; compressed TRANSACTION_PAYLOAD events are walked as if their inner events had arrived one by
 * one. A transaction is handed on only once it is complete, so a connection lost mid-transaction leaves nothing
 * half-delivered: {@link #discardPartial()} drops it and the reader fetches it again.
 *
 * <p>Transactions whose GTID is already in the set handed on (or applied before start) are dropped, so that a
 * re-sent transaction is never applied twice.
 *
 * <p>A transaction of row changes that grows past {@code largeTransactionBytes} (estimated heap) is not held whole:
 * it is handed on at once as a streamed {@link Transaction} and its further rows follow through a
 * {@link ChangeStream} in chunks, so that memory stays bounded whatever its size. If the connection is lost before
 * its end, the stream is abandoned (the worker rolls back) and the transaction is read again.
 *
 * <p>Not thread-safe: the binlog reader's single thread calls it.
 */
public final class TransactionAssembler implements EventSink {
    private static final Logger LOG = LoggerFactory.getLogger(TransactionAssembler.class);

    private final TransactionSink sink;
    private final long largeTransactionBytes;
    private final long chunkBytes;
    private final LoopGuard loops;
    /** Position mode's numbering of transactions; null when replicating by GTID. */
    private final PositionCounter positions;
    /** The position after the top-level event being handled (a compressed payload's inner events have none). */
    private long eventEnd;
    /**
     * The open transaction's table ids: the source writes a transaction's TABLE_MAPs inside it, before its rows, so
     * both are emptied when the next one begins (a table reopened gets a new id each time).
     */
    private final Map<Long, RowImageDecoder> tables = new HashMap<>();
    /** The open transaction's table ids whose rows the filter drops. */
    private final Set<Long> filteredTables = new HashSet<>();
    /** The last table id {@link #decoder} found and its decoder (a transaction's rows come table by table). */
    private long lastTableId;
    private RowImageDecoder lastDecoder;
    private final TableShapes shapes = new TableShapes();
    private final ChangeFilter filter;
    /** Volatile: the status reads it from other threads. */
    private volatile GtidSet delivered;
    /**
     * The commit timestamp (epoch microseconds) of the transaction being received, 0 between transactions; volatile,
     * for the lag: a transaction still arriving is the oldest one not applied when the ring is empty.
     */
    private volatile long receivingMicros;
    /** The transaction being received; null between transactions. */
    private OpenTransaction open;
    /** An INTVAR, RAND, USER_VAR or LOAD DATA event: only statement-based logging writes them. */
    private EventType statementFormatEvidence;
    /**
     * A ROTATE or FORMAT_DESCRIPTION arrived since the last transaction began: the next one starts the logical
     * clock's new series ({@link Transaction#startsBinlogFile()}).
     */
    private boolean newBinlogFile;
    /** The table of the newest TABLE_MAP, for messages about the rows event that follows it. */
    private String lastMappedTable;

    /**
     * @param alreadyApplied        transactions never to hand on again
     * @param sink                  where transactions go (the apply pipeline)
     * @param largeTransactionBytes a transaction estimated larger than this is streamed
     */
    public TransactionAssembler(GtidSet alreadyApplied, TransactionSink sink, long largeTransactionBytes) {
        this(alreadyApplied, sink, largeTransactionBytes, ReplicationFilter.NONE, LoopGuard.none(), null);
    }

    /**
     * @param filter    which tables' changes are handed on, and under which database; a transaction whose changes
     *                  are all filtered out is still handed on, empty, so that its GTID is recorded
     * @param loops     skips echoes and removes binrelay's bookkeeping ({@link LoopGuard}); it sees every change
     *                  before the filter, so a user filter never hides the checkpoint rows it reads origins from
     * @param positions position mode: numbers every transaction (GTID or ANONYMOUS_GTID) with a synthetic GTID and
     *                  gives it its end position; null to replicate by the source's GTIDs
     */
    public TransactionAssembler(GtidSet alreadyApplied, TransactionSink sink, long largeTransactionBytes,
                         ReplicationFilter filter, LoopGuard loops, PositionCounter positions) {
        this.filter = new ChangeFilter(filter);
        this.loops = loops;
        this.positions = positions;
        this.delivered = alreadyApplied;
        this.sink = sink;
        this.largeTransactionBytes = largeTransactionBytes;
        // Chunks of a quarter of the threshold: the queue, the reader and the worker hold a few chunks at a time.
        this.chunkBytes = Math.max(1, largeTransactionBytes / 4);
    }

    /** Every GTID handed on so far, plus the set applied before start. */
    @Override
    public GtidSet delivered() {
        return delivered;
    }

    /** Drops a transaction still being assembled (the connection was lost before its end). */
    @Override
    public void discardPartial() {
        if (open != null) {
            open.abandon();
        }
        if (positions != null) {
            positions.discardPartial();
        }
        reset();
    }

    /** Table ids and shapes held, for tests: {@code [ids, filtered ids, shapes]}. */
    public int[] cachedTables() {
        return new int[] {tables.size(), filteredTables.size(), shapes.size()};
    }

    private void reset() {
        receivingMicros = 0;
        open = null;
        statementFormatEvidence = null;
    }

    @Override
    public void accept(Event event) {
        if (event.getHeader() instanceof EventHeaderV4 header) {
            eventEnd = header.getNextPosition();
        }
        handle(event);
    }

    private void handle(Event event) {
        EventType type = event.getHeader().getEventType();
        switch (type) {
            case GTID -> beginTransaction(data(event), event.getHeader().getServerId());
            case MARIADB_GTID -> {
                MariadbGtidEventData mariaDb = data(event);
                beginTransaction(MariaDbGtids.asGtidEvent(mariaDb, event.getHeader()), event.getHeader().getServerId());
                open.markExplicit(!MariaDbGtids.standalone(mariaDb));
            }
            case ANONYMOUS_GTID -> {
                if (positions == null) {
                    throw new ReplicaException("the source sent a transaction without a GTID (ANONYMOUS_GTID): "
                            + "set gtid_mode=ON on the source, or replicate by position (source.mode: position)");
                }
                beginTransaction(data(event), event.getHeader().getServerId());
            }
            case FORMAT_DESCRIPTION -> newBinlogFile = true;
            case ROTATE -> {
                newBinlogFile = true;
                if (positions != null) {
                    positions.rotate(((RotateEventData) data(event)).getBinlogFilename());
                }
            }
            case QUERY -> onQuery(data(event), event.getHeader().getTimestamp() / 1000);
            case INTVAR, RAND, USER_VAR, BEGIN_LOAD_QUERY, APPEND_BLOCK -> statementFormatEvidence = type;
            case EXECUTE_LOAD_QUERY -> throw StatementRules.statementFormat(gtid(), "LOAD DATA ...", type);
            case TABLE_MAP -> onTableMap(data(event));
            case WRITE_ROWS, EXT_WRITE_ROWS -> onWriteRows(data(event), event.getHeader().getTimestamp() / 1000);
            case UPDATE_ROWS, EXT_UPDATE_ROWS -> onUpdateRows(data(event), event.getHeader().getTimestamp() / 1000);
            case DELETE_ROWS, EXT_DELETE_ROWS -> onDeleteRows(data(event), event.getHeader().getTimestamp() / 1000);
            case PARTIAL_UPDATE_ROWS_EVENT -> throw new ReplicaException("transaction " + gtid() + ", table "
                    + lastMappedTable + ": the source logged a partial JSON update (binlog_row_value_options="
                    + "PARTIAL_JSON), which holds only the changed parts of JSON values; binrelay replicates whole "
                    + "values only: set binlog_row_value_options='' on the source");
            case XID -> endTransaction();
            case TRANSACTION_PAYLOAD -> {
                TransactionPayloadEventData payload = data(event);
                try {
                    EventDecoding.PayloadDeserializer.forEachInner(payload, this::handle);
                } catch (IOException e) {
                    throw new ReplicaException("transaction " + gtid() + ": cannot decode its compressed payload ("
                            + e.getMessage() + ")", e);
                }
            }
            case XA_PREPARE -> throw new ReplicaException("XA transaction " + gtid() + ": XA PREPARE is not supported");
            default -> {
                // PREVIOUS_GTIDS, HEARTBEAT, ROWS_QUERY, MariaDB's GTID_LIST,
                // ANNOTATE_ROWS and BINLOG_CHECKPOINT and the like carry nothing to apply; the reader tracks
                // positions itself.
            }
        }
    }

    private void beginTransaction(GtidEventData data, long headerServerId) {
        if (open != null) {
            throw new ReplicaException("GTID " + data.getGtid() + " began before transaction " + open.gtid()
                    + " ended: the binary log is not well formed");
        }
        Gtid gtid = positions != null ? positions.begin()
                : new Gtid(data.getMySqlGtid().getServerId(), data.getMySqlGtid().getTransactionId());
        tables.clear();
        filteredTables.clear();
        lastDecoder = null;
        open = new OpenTransaction(gtid, data, delivered.contains(gtid), newBinlogFile);
        newBinlogFile = false;
        loops.begin(headerServerId);
        if (!open.alreadyDelivered()) {
            long immediate = data.getImmediateCommitTimestamp();
            long original = data.getOriginalCommitTimestamp();
            receivingMicros = immediate > 0 ? immediate : original > 0 ? original : System.currentTimeMillis() * 1000;
        }
    }

    /** The commit timestamp of the transaction being received (not yet handed on whole), 0 if none. */
    public long receivingMicros() {
        return receivingMicros;
    }

    private void onQuery(SourceQuery query, long headerSeconds) {
        if (query.is("BEGIN")) {
            requireOpen("BEGIN");
            open.markExplicit(true);
            loops.session(query.threadId());
            return;
        }
        if (query.is("COMMIT")) {
            endTransaction();
            return;
        }
        if (query.is("ROLLBACK")) {
            // MySQL logs a rolled-back transaction only for its non-transactional (MyISAM) changes, which did take
            // effect on the source: apply them, as MySQL's replica does.
            endTransaction();
            return;
        }
        String sql = StatementRules.text(gtid(), query);
        requireOpen(sql);
        Gtid gtid = open.gtid();
        QueryKind kind = QueryKind.of(sql, query.sessionSettings().sqlMode());
        if (open.alreadyDelivered()) {
            // Applied or skipped before (read again after a restart in position mode or from MariaDB): not judged
            // again, so that a transaction an operator skipped with `binrelay skip` is not refused once more.
            loops.session(query.threadId());
            if (kind == QueryKind.STATEMENT && !open.explicit()) {
                endTransaction();
            }
            return;
        }
        StatementRules.check(gtid, query, sql, statementFormatEvidence);
        switch (kind) {
            case SAVEPOINT -> {
                // Rows rolled back to a savepoint are cut from the binary log, so the target has nothing to undo.
            }
            case ROLLBACK_TO_SAVEPOINT -> throw StatementRules.rollbackToSavepoint(gtid, sql);
            case ROW_CHANGING_STATEMENT -> throw StatementRules.statementFormat(gtid, sql, null);
            case STATEMENT -> {
                loops.session(query.threadId());
                StatementChange statement = new StatementChange(query.database(), sql, query.context(headerSeconds));
                StatementChange kept = loops.touchesCheckpointSchema(statement) ? statement
                        : filter.statement(gtid, statement, query.sessionSettings().sqlMode());
                if (kept != null) {
                    add(kept);
                }
                if (!open.explicit()) {
                    endTransaction(); // DDL is its own transaction: GTID, QUERY, no XID
                }
            }
        }
    }

    private void onTableMap(TableMapEventData data) {
        lastDecoder = null;
        lastMappedTable = data.getDatabase() + "." + data.getTable();
        // One decoder per shape (and so one SourceTable, which the applier caches its plans by), whatever the id;
        // the filter's verdict is kept with it.
        TableShapes.Mapped mapped = shapes.of(data, map -> {
            // binrelay's own checkpoint schema bypasses the user's filter: LoopGuard reads origins from it and drops it.
            String targetDatabase = loops.ownsSchema(map.getDatabase()) ? map.getDatabase()
                    : filter.targetDatabase(map.getDatabase(), map.getTable());
            return new TableShapes.Mapped(targetDatabase == null ? null : new RowImageDecoder(map, targetDatabase));
        });
        if (mapped.decoder() == null) {
            tables.remove(data.getTableId());
            filteredTables.add(data.getTableId());
        } else {
            filteredTables.remove(data.getTableId());
            tables.put(data.getTableId(), mapped.decoder());
        }
    }

    private void onWriteRows(EventDecoding.FlaggedRows event, long headerSeconds) {
        WriteRowsEventData data = (WriteRowsEventData) event.rows();
        RowImageDecoder decoder = decoder(data.getTableId());
        if (decoder == null) {
            return; // a filtered table
        }
        RowContext context = rowContext(event, headerSeconds);
        BitSet present = data.getIncludedColumns();
        for (Serializable[] row : data.getRows()) {
            addRow(new RowChange(decoder.table(), RowChange.Kind.INSERT, null, decode(decoder, row, present), null,
                    present, context));
        }
    }

    private void onUpdateRows(EventDecoding.FlaggedRows event, long headerSeconds) {
        UpdateRowsEventData data = (UpdateRowsEventData) event.rows();
        RowImageDecoder decoder = decoder(data.getTableId());
        if (decoder == null) {
            return; // a filtered table
        }
        RowContext context = rowContext(event, headerSeconds);
        BitSet before = data.getIncludedColumnsBeforeUpdate();
        BitSet after = data.getIncludedColumns();
        for (Map.Entry<Serializable[], Serializable[]> row : data.getRows()) {
            addRow(new RowChange(decoder.table(), RowChange.Kind.UPDATE, decode(decoder, row.getKey(), before),
                    decode(decoder, row.getValue(), after), before, after, context));
        }
    }

    private void onDeleteRows(EventDecoding.FlaggedRows event, long headerSeconds) {
        DeleteRowsEventData data = (DeleteRowsEventData) event.rows();
        RowImageDecoder decoder = decoder(data.getTableId());
        if (decoder == null) {
            return; // a filtered table
        }
        RowContext context = rowContext(event, headerSeconds);
        BitSet present = data.getIncludedColumns();
        for (Serializable[] row : data.getRows()) {
            addRow(new RowChange(decoder.table(), RowChange.Kind.DELETE, decode(decoder, row, present), null, present,
                    null, context));
        }
    }

    private static RowContext rowContext(EventDecoding.FlaggedRows event, long headerSeconds) {
        return new RowContext((event.flags() & EventDecoding.FlaggedRows.NO_FOREIGN_KEY_CHECKS) == 0,
                (event.flags() & EventDecoding.FlaggedRows.RELAXED_UNIQUE_CHECKS) == 0, headerSeconds);
    }

    private void addRow(RowChange row) {
        requireOpen("a rows event on " + row.table());
        if (add(row)) {
            open.countRow();
        }
    }

    /** Adds a change to the open transaction; false if it was dropped (already delivered, bookkeeping, echo). */
    private boolean add(Change change) {
        // The guard sees a transaction read again too: a DDL marker's origin is learnt from it for the DDL after it.
        boolean admitted = loops.admit(change);
        if (open.alreadyDelivered() || !admitted) {
            return false;
        }
        if (open.add(change, HeapEstimate.of(change), largeTransactionBytes, chunkBytes)) {
            startStreaming();
        }
        return true;
    }


    /** Hands the open transaction on now; its further changes follow through a stream. */
    private void startStreaming() {
        LOG.info("transaction {} holds more than applier.largeTransactionBytes ({} bytes) after {} rows: streaming it "
                + "to its worker in chunks", open.gtid(), largeTransactionBytes, open.rowCount());
        sink.accept(open.startStreaming(new ChangeStream(sink::closed), loops.transactionOrigin()));
    }

    private void endTransaction() {
        if (open == null) {
            return; // a COMMIT with no GTID before it: nothing was opened (cannot happen with gtid_mode=ON)
        }
        // Position mode: this event (XID, COMMIT, or the DDL's QUERY) is the transaction's last.
        BinlogPosition end = positions == null ? null : positions.complete(eventEnd);
        if (open.alreadyDelivered()) {
            loops.end();
            reset();
            return;
        }
        boolean echo = loops.onlyDropped() && !open.streaming() && open.isEmpty();
        long origin = loops.end();
        Transaction transaction = open.finish(end, origin, echo);
        Gtid finished = open.gtid();
        reset();
        delivered = delivered.add(finished);
        if (transaction != null) {
            sink.accept(transaction); // a streamed one was handed on when it began streaming
        }
    }

    /** The table's decoder, or null if the filter drops its rows. */
    private RowImageDecoder decoder(long tableId) {
        if (lastDecoder != null && tableId == lastTableId) {
            return lastDecoder;
        }
        RowImageDecoder decoder = tables.get(tableId);
        if (decoder == null && filteredTables.contains(tableId)) {
            requireOpen("a rows event on a filtered table");
            return null;
        }
        if (decoder == null) {
            throw new ReplicaException("transaction " + gtid() + ": rows event for table id " + tableId
                    + " without a TABLE_MAP before it");
        }
        lastTableId = tableId;
        lastDecoder = decoder;
        return decoder;
    }

    /** The open transaction's GTID, for messages; null between transactions. */
    private Gtid gtid() {
        return open == null ? null : open.gtid();
    }

    private Object[] decode(RowImageDecoder decoder, Serializable[] cells, BitSet present) {
        return decoder.decode(cells, present);
    }

    private void requireOpen(String what) {
        if (open == null) {
            throw new ReplicaException(what + " arrived outside a GTID transaction: the source must run with "
                    + "gtid_mode=ON");
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T data(Event event) {
        Object data = event.getData();
        if (data instanceof EventDataWrapper wrapper) {
            // A client that keeps its own GTIDs wraps our decoders with its own; ours is the external one.
            data = wrapper.getExternal();
        }
        return (T) data;
    }
}
