package dev.binrelay.verify;

/** Verification could not run at all: a server unreachable or refusing, or the target without a checkpoint. */
public final class VerifyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** With the cause's message already in {@code message}. */
    public VerifyException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Without a cause. */
    public VerifyException(String message) {
        super(message);
    }
}
