package dev.binrelay.engine.apply;

import dev.binrelay.engine.ReplicaException;

/**
 * A transaction could not be applied. The message names the GTID, the table, the statement kind and the target's
 * error code where there is one; nothing of the transaction was committed.
 */
public final class ApplyException extends ReplicaException {
    private static final long serialVersionUID = 1L;
    private final String gtid;
    private final String table;
    private final int targetErrorCode;

    /**
     * @param message         what failed, with the GTID, table and statement kind
     * @param gtid            the transaction that failed, empty when unknown
     * @param table           the table ({@code db.t}) of the failing change, empty for a statement or when unknown
     * @param targetErrorCode the target's MySQL error code, or 0 when the failure did not come from the target
     * @param cause           the underlying exception
     */
    public ApplyException(String message, String gtid, String table, int targetErrorCode, Throwable cause) {
        super(message, cause);
        this.gtid = gtid == null ? "" : gtid;
        this.table = table == null ? "" : table;
        this.targetErrorCode = targetErrorCode;
    }

    /** A failure whose transaction and table are not known (or are in the message only). */
    public ApplyException(String message, int targetErrorCode, Throwable cause) {
        this(message, "", "", targetErrorCode, cause);
    }

    /** The transaction that failed, empty when unknown. */
    public String gtid() {
        return gtid;
    }

    /** The table ({@code db.t}) of the failing change, empty for a statement or when unknown. */
    public String table() {
        return table;
    }

    /** The target's MySQL error code, or 0 when the failure did not come from the target. */
    public int targetErrorCode() {
        return targetErrorCode;
    }
}
