package dev.binrelay.engine.schedule;

import dev.binrelay.engine.event.Transaction;

/**
 * A dependency policy: for each transaction, in source order, the newest earlier ring sequence that must be committed
 * before it may start ({@code sequence - 1} means after everything before it; {@code -1} means no dependency).
 * Barriers (DDL) are handled by {@link Scheduling} for every policy. Called on the reader thread only.
 */
public interface Scheduler {

    long dependency(Transaction transaction, long sequence);

    /** Forgets what the policy learnt about tables (after DDL, whose effects it cannot see). */
    default void reset() {
    }

    /** A statement (DDL) at {@code sequence} may have changed table shapes: by default, forget them. */
    default void schemaChangedAt(long sequence) {
        reset();
    }

    /** Counts kept by a policy beyond the common ones; empty by default. */
    default String describe() {
        return "";
    }
}
