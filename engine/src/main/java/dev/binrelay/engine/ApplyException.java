package dev.binrelay.engine;

/**
 * A transaction could not be applied. The message names the GTID, the table, the statement kind and the target's
 * error code where there is one; nothing of the transaction was committed.
 */
public final class ApplyException extends ReplicaException {
    private static final long serialVersionUID = 1L;
    private final int targetErrorCode;

    /**
     * @param message         what failed, with the GTID, table and statement kind
     * @param targetErrorCode the target's MySQL error code, or 0 when the failure did not come from the target
     * @param cause           the underlying exception
     */
    public ApplyException(String message, int targetErrorCode, Throwable cause) {
        super(message, cause);
        this.targetErrorCode = targetErrorCode;
    }

    /** The target's MySQL error code, or 0 when the failure did not come from the target. */
    public int targetErrorCode() {
        return targetErrorCode;
    }
}
