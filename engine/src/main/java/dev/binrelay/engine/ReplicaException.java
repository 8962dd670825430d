package dev.binrelay.engine;

/** A condition that stops the replica; its message names the cause in terms an operator can act on. */
public class ReplicaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong and what to change */
    public ReplicaException(String message) {
        super(message);
    }

    /** @param message what went wrong and what to change; @param cause the underlying exception */
    public ReplicaException(String message, Throwable cause) {
        super(message, cause);
    }
}
