package dev.binrelay.snapshot;

import dev.binrelay.engine.ReplicaException;

/** A snapshot that cannot start, resume or finish; the message names the cause in terms an operator can act on. */
public final class SnapshotException extends ReplicaException {
    private static final long serialVersionUID = 1L;

    SnapshotException(String message) {
        super(message);
    }

    SnapshotException(String message, Throwable cause) {
        super(message, cause);
    }
}
