package dev.binrelay.engine.event;

import dev.binrelay.engine.assemble.LoopGuard;
import dev.binrelay.checkpoint.BinlogPosition;
import dev.binrelay.checkpoint.Gtid;
import java.util.List;

/**
 * One source transaction: its GTID, its dependency clock and its changes in source order.
 *
 * <p>Most transactions arrive complete: {@link #changes()} holds every change. A transaction larger than the
 * engine's {@code largeTransactionBytes} is <em>streamed</em>: it is handed to a worker when the threshold is
 * reached, {@link #changes()} holds only its first changes, and {@link #changesInOrder()} delivers the rest while
 * the source reader decodes them, so that it is never held in memory whole. A streamed transaction is applied alone
 * (as a barrier) and its changes can be iterated only once.
 */
public final class Transaction {
    private final Gtid gtid;
    private final long lastCommitted;
    private final long sequenceNumber;
    private final long originalCommitMicros;
    private final long immediateCommitMicros;
    private final List<Change> changes;
    private final int rowCount;
    private final ChangeStream rest;
    private final long heapBytes;
    private final long originServerId;
    private final boolean echo;
    private final BinlogPosition end;
    private final boolean startsBinlogFile;

    /**
     * A complete transaction.
     *
     * @param gtid                  the source GTID
     * @param lastCommitted         the source's logical clock: the newest transaction this one may depend on
     * @param sequenceNumber        the source's logical clock: this transaction's number in the binary log file
     * @param originalCommitMicros  when it committed on the original source (epoch microseconds, 0 if unknown)
     * @param immediateCommitMicros when it committed on the server binrelay reads from (epoch microseconds, 0 if
     *                              unknown)
     * @param changes               row changes and statements, in source order
     * @param rowCount              how many row changes it holds
     */
    public Transaction(Gtid gtid, long lastCommitted, long sequenceNumber, long originalCommitMicros,
                       long immediateCommitMicros, List<Change> changes, int rowCount) {
        this(gtid, lastCommitted, sequenceNumber, originalCommitMicros, immediateCommitMicros, changes, rowCount,
                null, 0, 0, false, null, false);
    }

    /** @param startsBinlogFile a ROTATE or FORMAT_DESCRIPTION came before it: its logical clock starts over */
    public Transaction(Gtid gtid, long lastCommitted, long sequenceNumber, long originalCommitMicros,
                long immediateCommitMicros, List<Change> changes, int rowCount, ChangeStream rest, long heapBytes,
                long originServerId, boolean echo, BinlogPosition end, boolean startsBinlogFile) {
        this.gtid = gtid;
        this.lastCommitted = lastCommitted;
        this.sequenceNumber = sequenceNumber;
        this.originalCommitMicros = originalCommitMicros;
        this.immediateCommitMicros = immediateCommitMicros;
        this.changes = changes;
        this.rowCount = rowCount;
        this.rest = rest;
        this.heapBytes = heapBytes;
        this.originServerId = originServerId;
        this.echo = echo;
        this.end = end;
        this.startsBinlogFile = startsBinlogFile;
    }

    /** The source GTID. */
    public Gtid gtid() {
        return gtid;
    }

    /** The source's logical clock: the newest transaction this one may depend on. */
    public long lastCommitted() {
        return lastCommitted;
    }

    /** The source's logical clock: this transaction's number in the binary log file. */
    public long sequenceNumber() {
        return sequenceNumber;
    }

    /**
     * Whether it is the first transaction read after a ROTATE or FORMAT_DESCRIPTION event (a new binary log file, or
     * a new connection): the source's logical clock numbers it in a new series, unrelated to the ones before.
     */
    public boolean startsBinlogFile() {
        return startsBinlogFile;
    }

    /**
     * The server_id of the server it originated on (see {@code LoopGuard}), which the applier records with its
     * checkpoint so that a reader of the target's binary log can tell echoes; 0 if unknown.
     */
    public long originServerId() {
        return originServerId;
    }

    /**
     * Whether the reader dropped its changes as echoes (source.ignoreServerIds) or as binrelay's own bookkeeping (a
     * compaction of the source's checkpoint) and nothing is left to apply. Its GTID
     * may be recorded later, with the next transaction that changes something: recording it at once would be a new
     * transaction on the target, itself read back as an echo by the opposite direction, and so on forever.
     */
    public boolean echo() {
        return echo;
    }

    /** When it committed on the original source (epoch microseconds, 0 if unknown). */
    public long originalCommitMicros() {
        return originalCommitMicros;
    }

    /** When it committed on the server binrelay reads from (epoch microseconds, 0 if unknown). */
    public long immediateCommitMicros() {
        return immediateCommitMicros;
    }

    /** Every change, in source order; for a {@linkplain #streamed() streamed} transaction only the first ones. */
    public List<Change> changes() {
        return changes;
    }

    /**
     * Every change in source order. For a streamed transaction the iteration waits for the source reader and can be
     * done only once; it throws if the reader abandons the transaction (its changes must then be rolled back).
     */
    public Iterable<Change> changesInOrder() {
        return rest == null ? changes : () -> rest.iterator(changes);
    }

    /** Whether the transaction is streamed (too large to hold; see the class comment). */
    public boolean streamed() {
        return rest != null;
    }

    /** How many row changes it holds; for a streamed transaction, known once all its changes were read. */
    public int rowCount() {
        return rest == null ? rowCount : rest.rowCount();
    }

    /**
     * Where the transaction ends in the source's binary log (the position after its XID, or after its DDL's QUERY):
     * set in position mode only, null when replicating by GTID. For a streamed transaction, known once all its
     * changes were read.
     */
    public BinlogPosition endPosition() {
        return rest == null ? end : rest.end();
    }

    /** The GTID for messages: in position mode with where the transaction ends ({@code binlog.000003:1234}). */
    public String label() {
        BinlogPosition at = endPosition();
        return at == null ? gtid.toString() : at + " (" + gtid + ")";
    }

    /** Whether this transaction holds a statement (DDL) rather than only row changes. */
    public boolean hasStatement() {
        for (Change change : changes) {
            if (change instanceof StatementChange) {
                return true;
            }
        }
        return false;
    }

    /** The heap its held changes take, estimated (what the ring's memory budget counts). */
    public long heapBytes() {
        return heapBytes;
    }

    /** Whether the reader gave up this streamed transaction before its end (never true for a complete one). */
    public boolean abandoned() {
        return rest != null && rest.abandoned();
    }

    @Override
    public String toString() {
        return "Transaction[" + gtid + (rest != null ? ", streamed" : ", " + rowCount + " rows") + "]";
    }
}
