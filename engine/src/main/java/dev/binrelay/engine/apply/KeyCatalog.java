package dev.binrelay.engine.apply;

import dev.binrelay.engine.event.SourceTable;

/**
 * The unique keys of source tables, for the writeset scheduler. Implemented by the applier from the target's schema,
 * which equals the source's at the same point of the stream because DDL is applied in order (the scheduler asks only
 * after every earlier DDL has committed).
 *
 * <p>Must be thread-safe: called on the reader thread while workers apply.
 */
public interface KeyCatalog {

    /** The table's keys, or null when the table is unknown (its transactions then run alone). */
    TableKeys keysOf(SourceTable table);
}
