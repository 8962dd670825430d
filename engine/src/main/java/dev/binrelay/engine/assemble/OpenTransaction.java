package dev.binrelay.engine.assemble;

import com.github.shyiko.mysql.binlog.event.GtidEventData;
import dev.binrelay.checkpoint.BinlogPosition;
import dev.binrelay.checkpoint.Gtid;
import dev.binrelay.engine.event.Change;
import dev.binrelay.engine.event.ChangeStream;
import dev.binrelay.engine.event.RowChange;
import dev.binrelay.engine.event.StatementChange;
import dev.binrelay.engine.event.Transaction;
import java.util.ArrayList;
import java.util.List;

/**
 * The transaction the {@link TransactionAssembler} is receiving, from its GTID event to its XID or COMMIT: the changes
 * so far and their estimated size, and, once it grew past {@code applier.largeTransactionBytes}, the
 * {@link ChangeStream} its further changes go through in chunks. Not thread-safe: the reader thread owns it.
 */
final class OpenTransaction {
    private final Gtid gtid;
    private final GtidEventData gtidEvent;
    /** The transaction was delivered before: its events are read and dropped. */
    private final boolean alreadyDelivered;
    /** Whether it is the first after a ROTATE or FORMAT_DESCRIPTION ({@link Transaction#startsBinlogFile()}). */
    private final boolean firstOfFile;
    private boolean explicit;
    private List<Change> changes = new ArrayList<>();
    private int rowCount;
    private long bytes;
    private ChangeStream stream;
    private List<Change> chunk;
    private long bytesInChunk;

    OpenTransaction(Gtid gtid, GtidEventData gtidEvent, boolean alreadyDelivered, boolean firstOfFile) {
        this.gtid = gtid;
        this.gtidEvent = gtidEvent;
        this.alreadyDelivered = alreadyDelivered;
        this.firstOfFile = firstOfFile;
    }

    Gtid gtid() {
        return gtid;
    }

    boolean alreadyDelivered() {
        return alreadyDelivered;
    }

    /** Whether it began with BEGIN (or a MariaDB GTID not marked standalone): a statement in it does not end it. */
    boolean explicit() {
        return explicit;
    }

    void markExplicit(boolean explicit) {
        this.explicit = explicit;
    }

    int rowCount() {
        return rowCount;
    }

    long bytes() {
        return bytes;
    }

    void countRow() {
        rowCount++;
    }

    /**
     * Adds a change of {@code size} estimated bytes: to the open chunk when streaming, handing the chunk on once it
     * holds {@code chunkBytes}.
     *
     * @return whether the transaction, not yet streaming, has just grown past {@code largeTransactionBytes} with no
     *         statement in it, so that it should be streamed from now on
     */
    boolean add(Change change, long size, long largeTransactionBytes, long chunkBytes) {
        if (stream != null) {
            chunk.add(change);
            bytesInChunk += size;
            if (bytesInChunk >= chunkBytes) {
                stream.add(chunk);
                chunk = ChangeStream.newChunk();
                bytesInChunk = 0;
            }
            return false;
        }
        changes.add(change);
        bytes += size;
        return bytes > largeTransactionBytes && change instanceof RowChange && !hasStatement();
    }

    /** Turns to streaming: returns the transaction to hand on now, whose further changes follow through {@code to}. */
    Transaction startStreaming(ChangeStream to, long origin) {
        stream = to;
        chunk = ChangeStream.newChunk();
        bytesInChunk = 0;
        Transaction head = new Transaction(gtid, gtidEvent.getLastCommitted(), gtidEvent.getSequenceNumber(),
                gtidEvent.getOriginalCommitTimestamp(), gtidEvent.getImmediateCommitTimestamp(), changes, 0, stream,
                bytes, origin, false, null, firstOfFile);
        changes = List.of(); // handed on: no longer ours to add to
        return head;
    }

    boolean streaming() {
        return stream != null;
    }

    boolean isEmpty() {
        return changes.isEmpty();
    }

    /** The connection broke: a worker applying the streamed part rolls it back. */
    void abandon() {
        if (stream != null) {
            stream.abandon();
        }
    }

    /**
     * The transaction's last event arrived: a streamed transaction's stream is finished (null is returned, its worker
     * has it already); otherwise the whole transaction, to hand on.
     */
    Transaction finish(BinlogPosition end, long origin, boolean echo) {
        if (stream != null) {
            if (!chunk.isEmpty()) {
                stream.add(chunk);
            }
            stream.finish(rowCount, end);
            return null;
        }
        return new Transaction(gtid, gtidEvent.getLastCommitted(), gtidEvent.getSequenceNumber(),
                gtidEvent.getOriginalCommitTimestamp(), gtidEvent.getImmediateCommitTimestamp(), List.copyOf(changes),
                rowCount, null, bytes, origin, echo, end, firstOfFile);
    }

    private boolean hasStatement() {
        for (Change change : changes) {
            if (change instanceof StatementChange) {
                return true;
            }
        }
        return false;
    }
}
