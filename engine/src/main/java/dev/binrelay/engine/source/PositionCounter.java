package dev.binrelay.engine.source;

import dev.binrelay.checkpoint.BinlogPosition;
import dev.binrelay.checkpoint.Gtid;
import dev.binrelay.checkpoint.PositionAnchor;
import java.util.UUID;

/**
 * Position mode's numbering: gives each transaction read the synthetic GTID {@code sourceId:n}, n counting on from
 * the anchor the reader started at, and tracks where the last complete transaction ended, so that a reconnect reads
 * from there with the same numbers (see {@link dev.binrelay.checkpoint.PositionAnchors}).
 *
 * <p>The binlog reader's thread changes it; {@link #resumeFrom} is read by the reader's watchdog, hence volatile.
 */
public final class PositionCounter {
    private final UUID sourceId;
    /** The binary log file being read, from the ROTATE events (the source sends one first on each connect). */
    private String file;
    /** The number of the newest transaction begun. */
    private long seq;
    /** The newest complete transaction (its number and end): where a reconnect resumes. */
    private volatile PositionAnchor lastComplete;

    PositionCounter(UUID sourceId, PositionAnchor start) {
        this.sourceId = sourceId;
        this.lastComplete = start;
        this.file = start.end().file();
        this.seq = start.seq();
    }

    /** A ROTATE event: the events that follow are in {@code nextFile}. */
    public void rotate(String nextFile) {
        file = nextFile;
    }

    /** A transaction begins: its synthetic GTID. */
    public Gtid begin() {
        return new Gtid(sourceId, ++seq);
    }

    /** The transaction begun last ended at {@code nextPosition} of the current file: returns that end. */
    public BinlogPosition complete(long nextPosition) {
        BinlogPosition end = new BinlogPosition(file, nextPosition);
        lastComplete = new PositionAnchor(PositionAnchor.ORIGIN, seq, end);
        return end;
    }

    /** The transaction being read is dropped (connection lost): numbering goes back to the last complete one. */
    public void discardPartial() {
        PositionAnchor last = lastComplete;
        seq = last.seq();
        file = last.end().file();
    }

    /** Where to read from after a reconnect: the end of the last complete transaction. */
    BinlogPosition resumeFrom() {
        return lastComplete.end();
    }

    /** The number of the last complete transaction (the one ending at {@link #resumeFrom}). */
    long lastCompleteSeq() {
        return lastComplete.seq();
    }
}
