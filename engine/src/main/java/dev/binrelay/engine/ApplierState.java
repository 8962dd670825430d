package dev.binrelay.engine;

/** The workers' side, like {@code Replica_SQL_Running}. */
public enum ApplierState {
    /** Applying, or waiting for transactions. */
    RUNNING,
    /** Paused on request ({@link Replica#pause}): takes nothing new; the reader goes on until the ring is full. */
    PAUSED,
    /** Not started, or stopped with the replica. */
    STOPPED,
    /** Stopped by an apply error ({@link ApplierStatus#lastError} says which). */
    ERROR
}
