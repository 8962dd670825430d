package dev.binrelay.engine;

import com.github.shyiko.mysql.binlog.event.DeleteRowsEventData;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.GtidEventData;
import com.github.shyiko.mysql.binlog.event.QueryEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.TransactionPayloadEventData;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer.EventDataWrapper;
import dev.binrelay.checkpoint.Gtid;
import dev.binrelay.checkpoint.GtidSet;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups binlog events into complete {@link Transaction}s: GTID, then TABLE_MAP and rows events (or one DDL QUERY),
 * until XID or COMMIT; compressed TRANSACTION_PAYLOAD events are walked as if their inner events had arrived one by
 * one. A transaction is handed on only once it is complete, so a connection lost mid-transaction leaves nothing
 * half-delivered: {@link #discardPartial()} drops it and the reader fetches it again.
 *
 * <p>Transactions whose GTID is already in the set handed on (or applied before start) are dropped, so that a
 * re-sent transaction is never applied twice.
 *
 * <p>Not thread-safe: the binlog reader's single thread calls it.
 */
final class TransactionAssembler {

    /** Where complete transactions go. */
    interface Sink {
        void accept(Transaction transaction);
    }

    private final Sink sink;
    private final Map<Long, RowImageDecoder> tables = new HashMap<>();
    private GtidSet delivered;
    private Gtid gtid;
    private GtidEventData gtidEvent;
    private List<Change> changes;
    private int rowCount;
    private boolean inExplicitTransaction;
    /** The table of the newest TABLE_MAP, for messages about the rows event that follows it. */
    private String lastMappedTable;

    TransactionAssembler(GtidSet alreadyApplied, Sink sink) {
        this.delivered = alreadyApplied;
        this.sink = sink;
    }

    /** Every GTID handed on so far, plus the set applied before start. */
    GtidSet delivered() {
        return delivered;
    }

    /** Drops a transaction still being assembled (the connection was lost before its end). */
    void discardPartial() {
        gtid = null;
        gtidEvent = null;
        changes = null;
        rowCount = 0;
        inExplicitTransaction = false;
    }

    void onEvent(Event event) {
        EventType type = event.getHeader().getEventType();
        switch (type) {
            case GTID -> beginTransaction(data(event));
            case ANONYMOUS_GTID -> throw new ReplicaException("the source sent a transaction without a GTID "
                    + "(ANONYMOUS_GTID): binrelay needs gtid_mode=ON on the source");
            case QUERY -> onQuery(data(event));
            case TABLE_MAP -> onTableMap(data(event));
            case WRITE_ROWS, EXT_WRITE_ROWS -> onWriteRows(data(event));
            case UPDATE_ROWS, EXT_UPDATE_ROWS -> onUpdateRows(data(event));
            case DELETE_ROWS, EXT_DELETE_ROWS -> onDeleteRows(data(event));
            case PARTIAL_UPDATE_ROWS_EVENT -> throw new ReplicaException("transaction " + gtid + ", table "
                    + lastMappedTable + ": the source logged a partial JSON update (binlog_row_value_options="
                    + "PARTIAL_JSON), which holds only the changed parts of JSON values; binrelay replicates whole "
                    + "values only: set binlog_row_value_options='' on the source");
            case XID -> endTransaction();
            case TRANSACTION_PAYLOAD -> {
                TransactionPayloadEventData payload = data(event);
                for (Event inner : payload.getUncompressedEvents()) {
                    onEvent(inner);
                }
            }
            case XA_PREPARE -> throw new ReplicaException("XA transaction " + gtid + ": XA PREPARE is not supported");
            default -> {
                // ROTATE, FORMAT_DESCRIPTION, PREVIOUS_GTIDS, HEARTBEAT, ROWS_QUERY and the like carry nothing to
                // apply; the reader tracks positions itself.
            }
        }
    }

    private void beginTransaction(GtidEventData data) {
        if (changes != null) {
            throw new ReplicaException("GTID " + data.getGtid() + " began before transaction " + gtid
                    + " ended: the binary log is not well formed");
        }
        gtid = new Gtid(data.getMySqlGtid().getServerId(), data.getMySqlGtid().getTransactionId());
        gtidEvent = data;
        changes = new ArrayList<>();
        rowCount = 0;
    }

    private void onQuery(QueryEventData data) {
        String sql = data.getSql();
        if ("BEGIN".equalsIgnoreCase(sql)) {
            requireOpen("BEGIN");
            inExplicitTransaction = true;
            return;
        }
        if ("COMMIT".equalsIgnoreCase(sql)) {
            endTransaction();
            return;
        }
        if ("ROLLBACK".equalsIgnoreCase(sql)) {
            // MySQL logs a rolled-back transaction only for its non-transactional (MyISAM) changes, which did take
            // effect on the source: apply them, as MySQL's replica does.
            endTransaction();
            return;
        }
        requireOpen(sql);
        changes.add(new StatementChange(data.getDatabase() == null ? "" : data.getDatabase(), sql));
        if (!inExplicitTransaction) {
            endTransaction(); // DDL is its own transaction: GTID, QUERY, no XID
        }
    }

    private void onTableMap(TableMapEventData data) {
        lastMappedTable = data.getDatabase() + "." + data.getTable();
        RowImageDecoder known = tables.get(data.getTableId());
        if (known == null || !known.table().qualifiedName().equals(data.getDatabase() + "." + data.getTable())
                || known.table().columnCount() != data.getColumnTypes().length) {
            tables.put(data.getTableId(), new RowImageDecoder(data));
        }
    }

    private void onWriteRows(WriteRowsEventData data) {
        RowImageDecoder decoder = decoder(data.getTableId());
        BitSet present = data.getIncludedColumns();
        for (Serializable[] row : data.getRows()) {
            addRow(new RowChange(decoder.table(), RowChange.Kind.INSERT, null, decode(decoder, row, present), null,
                    present));
        }
    }

    private void onUpdateRows(UpdateRowsEventData data) {
        RowImageDecoder decoder = decoder(data.getTableId());
        BitSet before = data.getIncludedColumnsBeforeUpdate();
        BitSet after = data.getIncludedColumns();
        for (Map.Entry<Serializable[], Serializable[]> row : data.getRows()) {
            addRow(new RowChange(decoder.table(), RowChange.Kind.UPDATE, decode(decoder, row.getKey(), before),
                    decode(decoder, row.getValue(), after), before, after));
        }
    }

    private void onDeleteRows(DeleteRowsEventData data) {
        RowImageDecoder decoder = decoder(data.getTableId());
        BitSet present = data.getIncludedColumns();
        for (Serializable[] row : data.getRows()) {
            addRow(new RowChange(decoder.table(), RowChange.Kind.DELETE, decode(decoder, row, present), null, present,
                    null));
        }
    }

    private void addRow(RowChange row) {
        requireOpen("a rows event on " + row.table());
        changes.add(row);
        rowCount++;
    }

    private void endTransaction() {
        if (changes == null) {
            return; // a COMMIT with no GTID before it: nothing was opened (cannot happen with gtid_mode=ON)
        }
        Transaction transaction = new Transaction(gtid, gtidEvent.getLastCommitted(), gtidEvent.getSequenceNumber(),
                gtidEvent.getOriginalCommitTimestamp(), gtidEvent.getImmediateCommitTimestamp(), List.copyOf(changes),
                rowCount);
        Gtid finished = gtid;
        discardPartial();
        if (delivered.contains(finished)) {
            return;
        }
        delivered = delivered.add(finished);
        sink.accept(transaction);
    }

    private RowImageDecoder decoder(long tableId) {
        RowImageDecoder decoder = tables.get(tableId);
        if (decoder == null) {
            throw new ReplicaException("transaction " + gtid + ": rows event for table id " + tableId
                    + " without a TABLE_MAP before it");
        }
        return decoder;
    }

    private Object[] decode(RowImageDecoder decoder, Serializable[] cells, BitSet present) {
        return decoder.decode(cells, present);
    }

    private void requireOpen(String what) {
        if (changes == null) {
            throw new ReplicaException(what + " arrived outside a GTID transaction: the source must run with "
                    + "gtid_mode=ON");
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T data(Event event) {
        Object data = event.getData();
        if (data instanceof EventDataWrapper wrapper) {
            data = wrapper.getInternal();
        }
        return (T) data;
    }
}
