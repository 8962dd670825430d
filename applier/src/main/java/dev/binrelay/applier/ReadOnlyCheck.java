package dev.binrelay.applier;

import dev.binrelay.engine.ReplicaException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * {@code target.requireReadOnly}: before anything is applied, checks that applications cannot write to the target
 * ({@code read_only=ON}) while binrelay's own user still can ({@code super_read_only=OFF}, and CONNECTION_ADMIN or
 * SUPER, which exempt a session from {@code read_only}). Each refusal says what to change.
 */
final class ReadOnlyCheck {
    /** ER_OPTION_PREVENTS_STATEMENT: "running with the --read-only option". */
    private static final int ER_OPTION_PREVENTS_STATEMENT = 1290;

    private ReadOnlyCheck() {
    }

    static void run(Connection connection, TargetSettings settings) throws SQLException {
        String where = "target " + settings.displayUrl() + " (target.requireReadOnly: true)";
        String account;
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT @@global.read_only, @@global.super_read_only, "
                     + "CURRENT_USER()")) {
            row.next();
            account = quotedAccount(row.getString(3));
            if (row.getBoolean(2)) {
                throw new ReplicaException(where + " has super_read_only=ON, under which binrelay's user cannot "
                        + "write either: run SET PERSIST super_read_only=OFF there (read_only=ON stays and keeps "
                        + "applications out)");
            }
            if (!row.getBoolean(1)) {
                throw new ReplicaException(where + " has read_only=OFF, so applications can write to the replica: "
                        + "run SET PERSIST read_only=ON there, and GRANT CONNECTION_ADMIN ON *.* TO " + account
                        + " if binrelay's user lacks it");
            }
        }
        // The privilege is asked of the server itself, by a write it refuses under read_only to a session without
        // CONNECTION_ADMIN or SUPER (however granted: directly, through a role, or by SUPER).
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE IF NOT EXISTS `" + settings.checkpointSchema() + "`");
        } catch (SQLException e) {
            if (e.getErrorCode() == ER_OPTION_PREVENTS_STATEMENT) {
                throw new ReplicaException(where + ": binrelay's user " + account + " cannot write while "
                        + "read_only=ON: run GRANT CONNECTION_ADMIN ON *.* TO " + account + " there", e);
            }
            throw e;
        }
    }

    /** {@code user@host} from CURRENT_USER() as {@code 'user'@'host'}, for a GRANT statement to copy. */
    private static String quotedAccount(String currentUser) {
        int at = currentUser.lastIndexOf('@');
        return "'" + currentUser.substring(0, at) + "'@'" + currentUser.substring(at + 1) + "'";
    }
}
