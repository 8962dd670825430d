package dev.binrelay.engine;

import dev.binrelay.engine.event.Transaction;

/**
 * Told of a replica's events, for an embedding application. Methods run on binrelay's threads (a worker's, right
 * after the target commit, for {@link #applied}): they must be quick and must not throw; a listener that throws is
 * logged and otherwise ignored.
 */
public interface ReplicaListener {
    /** {@code transaction} is committed on the target with its checkpoint. */
    default void applied(Transaction transaction) {
    }

    /** The replica stopped on {@code error}; its state is FAILED. */
    default void failed(Throwable error) {
    }

    /** The replica moved to {@code state}. */
    default void stateChanged(ReplicaState state) {
    }
}
