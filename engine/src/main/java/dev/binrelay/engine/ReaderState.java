package dev.binrelay.engine;

/** The binlog reader's connection, like {@code Replica_IO_Running}. */
public enum ReaderState {
    /** Not started, or stopped with the replica. */
    STOPPED,
    /** Connecting, or reconnecting after a lost connection (the last error says why). */
    CONNECTING,
    /** Reading the binary log. */
    CONNECTED,
    /** Stopped by an error the source sent (such as 1236) or an event it could not decode. */
    ERROR
}
