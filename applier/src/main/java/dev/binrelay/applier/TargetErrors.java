package dev.binrelay.applier;

import dev.binrelay.engine.apply.ApplyException;
import dev.binrelay.engine.ReplicaException;
import dev.binrelay.engine.tls.TlsFailures;
import java.sql.SQLException;
import java.util.Set;

/** Turns target failures into messages that name the GTID, table, statement kind and MySQL error code. */
final class TargetErrors {
    private static final int ER_ACCESS_DENIED = 1045;
    private static final int ER_BAD_DB = 1049;
    private static final int CR_SERVER_LOST = 2013;
    /** ER_NO_SUCH_TABLE, also what MySQL's replica reports when a row's table is missing on the replica. */
    static final int ER_NO_SUCH_TABLE = 1146;
    /**
     * Errors a DDL statement raises when it already took effect (names from MySQL 8.0's server error reference).
     * Only used for the one DDL a crash may have left applied but not checkpointed. Statements MySQL does not write
     * to the binary log (CREATE SERVER, resource groups) never reach a replica and have no code here.
     */
    static final Set<Integer> ALREADY_APPLIED_DDL = Set.of(
            1007, // ER_DB_CREATE_EXISTS: CREATE DATABASE
            1008, // ER_DB_DROP_EXISTS: DROP DATABASE
            1050, // ER_TABLE_EXISTS_ERROR: CREATE TABLE / VIEW, RENAME TABLE
            1051, // ER_BAD_TABLE_ERROR: DROP TABLE / VIEW
            1054, // ER_BAD_FIELD_ERROR: a column renamed or dropped already
            1060, // ER_DUP_FIELDNAME: ADD COLUMN
            1061, // ER_DUP_KEYNAME: ADD INDEX, CREATE INDEX
            1091, // ER_CANT_DROP_FIELD_OR_KEY: DROP COLUMN / INDEX / FOREIGN KEY
            1146, // ER_NO_SUCH_TABLE
            1304, // ER_SP_ALREADY_EXISTS: CREATE PROCEDURE / FUNCTION
            1305, // ER_SP_DOES_NOT_EXIST: DROP PROCEDURE / FUNCTION
            1359, // ER_TRG_ALREADY_EXISTS: CREATE TRIGGER
            1360, // ER_TRG_DOES_NOT_EXIST: DROP TRIGGER
            1396, // ER_CANNOT_USER: CREATE / DROP / RENAME USER or ROLE
            1507, // ER_DROP_PARTITION_NON_EXISTENT: DROP PARTITION
            1517, // ER_SAME_NAME_PARTITION: ADD PARTITION
            1537, // ER_EVENT_ALREADY_EXISTS: CREATE EVENT
            1539, // ER_EVENT_DOES_NOT_EXIST: DROP EVENT
            1813, // ER_TABLESPACE_EXISTS: CREATE TABLESPACE
            1826, // ER_FK_DUP_NAME: ADD FOREIGN KEY
            3510, // ER_TABLESPACE_MISSING_WITH_NAME: DROP TABLESPACE
            3548, // ER_SRS_NOT_FOUND: DROP SPATIAL REFERENCE SYSTEM
            3712, // ER_SRS_ID_ALREADY_EXISTS: CREATE SPATIAL REFERENCE SYSTEM
            3821, // ER_CHECK_CONSTRAINT_NOT_FOUND: DROP CHECK
            3822, // ER_CHECK_CONSTRAINT_DUP_NAME: ADD CHECK
            3940); // ER_CONSTRAINT_NOT_FOUND: DROP CONSTRAINT

    private TargetErrors() {
    }

    /**
     * @param table the table ({@code db.t}) of the failing change, empty for a statement or the checkpoint
     * @param what  the statement kind and table, for the message
     */
    static ApplyException apply(String gtid, String table, String what, SQLException e) {
        return new ApplyException("GTID " + gtid + ": " + what + " failed: target error " + code(e) + " ("
                + e.getSQLState() + "): " + firstLine(e.getMessage()), gtid, table, code(e), e);
    }

    /** A failure on a connection the driver had closed: reported as the lost connection it is (2013). */
    static ApplyException connectionClosed(ApplyException failure) {
        if (failure.targetErrorCode() == CR_SERVER_LOST) {
            return failure;
        }
        return new ApplyException(failure.getMessage() + " (the target connection was closed: lost)", failure.gtid(),
                failure.table(), CR_SERVER_LOST, failure);
    }

    static ApplyException commit(SQLException e) {
        return new ApplyException("commit on the target failed: target error " + code(e) + " (" + e.getSQLState()
                + "): " + firstLine(e.getMessage()), code(e), e);
    }

    /**
     * The MySQL error code, or for a driver-side communication failure (no server code, SQLState class 08) the
     * client's CR_SERVER_LOST, 2013: the engine retries both on a new connection.
     */
    static int code(SQLException e) {
        String state = e.getSQLState();
        return e.getErrorCode() == 0 && state != null && state.startsWith("08") ? CR_SERVER_LOST : e.getErrorCode();
    }

    /** A failure found by binrelay itself; {@code code} is the MySQL error its replica would report, or 0. */
    static ApplyException apply(String gtid, String table, String what, String problem, int code) {
        return new ApplyException("GTID " + gtid + ": " + what + ": " + problem, gtid, table, code, null);
    }

    /**
     * What an UPDATE or DELETE that matched {@code matched} rows instead of one lacks, for messages and skips. MySQL's
     * own replica stops here too (error 1032): the target no longer holds the source's row.
     */
    static String rowNotFound(int matched) {
        return "the target has no row matching the source's before image (" + matched + " matched)";
    }

    /** The failure for {@link #rowNotFound}, with MySQL's code for it. */
    static ApplyException rowNotFound(String gtid, String table, String what, int matched) {
        return apply(gtid, table, what, rowNotFound(matched) + "; MySQL reports this as error 1032",
                RowErrorSkipper.ROW_NOT_FOUND);
    }

    static ReplicaException connect(TargetSettings settings, Throwable failure) {
        SQLException sql = sqlCause(failure);
        String where = "target " + settings.displayUrl();
        String tls = TlsFailures.describe(failure, settings.sslMode(),
                settings.tls() == null ? null : settings.tls().ca(), host(settings.url()), "target.ssl");
        if (tls != null) {
            return new ReplicaException("cannot connect to " + where + ": " + tls, failure);
        }
        if (sql != null && sql.getErrorCode() == ER_ACCESS_DENIED) {
            return new ReplicaException(where + " refused user '" + settings.user()
                    + "' (error 1045, access denied): check target.user and target.password", failure);
        }
        if (sql != null && sql.getErrorCode() == ER_BAD_DB) {
            return new ReplicaException(where + ": " + sql.getMessage() + " (error 1049): check target.url", failure);
        }
        String message = sql != null ? sql.getMessage() : failure.getMessage();
        return new ReplicaException("cannot connect to " + where + ": " + firstLine(message)
                + (sql != null && sql.getErrorCode() != 0 ? " (error " + sql.getErrorCode() + ")" : ""), failure);
    }

    /** The first host of a JDBC URL, for messages. */
    private static String host(String url) {
        String rest = TargetSettings.redactedUrl(url).substring("jdbc:mysql://".length());
        int at = rest.indexOf('@');
        rest = at < 0 ? rest : rest.substring(at + 1);
        int end = 0;
        while (end < rest.length() && ",/:".indexOf(rest.charAt(end)) < 0) {
            end++;
        }
        return rest.substring(0, end);
    }

    private static SQLException sqlCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return sql;
            }
        }
        return null;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
