package dev.binrelay.engine;

import java.time.Instant;

/**
 * The error that stopped the applier, like {@code Last_SQL_Errno} and {@code Last_SQL_Error}.
 *
 * @param gtid            the transaction that failed, empty if the failure was not in a transaction
 * @param table           the table ({@code db.t}) of the failing change, empty for a statement or when unknown
 * @param targetErrorCode the target's MySQL error code, 0 when the failure did not come from the target
 * @param message         the whole message
 * @param time            when it happened
 */
public record ApplyError(String gtid, String table, int targetErrorCode, String message, Instant time) {
}
