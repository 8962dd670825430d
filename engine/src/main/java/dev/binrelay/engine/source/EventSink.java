package dev.binrelay.engine.source;

import com.github.shyiko.mysql.binlog.event.Event;
import dev.binrelay.checkpoint.GtidSet;

/**
 * Where the {@link BinlogSource} hands every event it reads: the transaction assembler. Called on the reader thread
 * only, in the order the source sent the events.
 */
public interface EventSink {
    /**
     * Takes the next event.
     *
     * @throws dev.binrelay.engine.pipeline.PipelineClosedException once the stages after it stopped
     */
    void accept(Event event);

    /** The connection broke: drops the transaction received in part (the source sends it again in full). */
    void discardPartial();

    /** Every GTID handed on so far, plus the set applied before start: where a reconnection resumes after. */
    GtidSet delivered();
}
