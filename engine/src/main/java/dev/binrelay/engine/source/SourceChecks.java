package dev.binrelay.engine.source;

import dev.binrelay.engine.ReplicaException;
import dev.binrelay.engine.SourceInfo;
import dev.binrelay.engine.SourceMode;
import dev.binrelay.engine.SourceSettings;
import dev.binrelay.engine.tls.TlsFailures;
import dev.binrelay.checkpoint.GtidSet;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Checks, before any binlog is read, that the source can be replicated exactly: reachable, the user accepted, binary
 * log on, ROW format (gtid_mode: see {@link SourceMode}). Each failure is one {@link ReplicaException} naming the
 * setting to change.
 */
public final class SourceChecks {
    private static final int ER_ACCESS_DENIED = 1045;

    private SourceChecks() {
    }

    public static SourceInfo run(SourceSettings settings) {
        SourceInfo mariaDb = MariaDbSourceChecks.runIfMariaDb(settings);
        if (mariaDb != null) {
            return mariaDb;
        }
        try (Connection connection = connect(settings); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT @@server_uuid, @@version, @@log_bin, @@gtid_mode, "
                     + "@@enforce_gtid_consistency, @@binlog_format")) {
            row.next();
            String where = "source " + settings.address();
            if (!"1".equals(row.getString(3))) {
                throw new ReplicaException(where + " has no binary log (log_bin=OFF): start it with log_bin enabled");
            }
            // gtid_mode is checked against source.mode by SourceMode.
            if (!"ROW".equalsIgnoreCase(row.getString(6))) {
                throw new ReplicaException(where + " has binlog_format=" + row.getString(6) + ": binrelay needs "
                        + "binlog_format=ROW on the source");
            }
            return new SourceInfo(row.getString(1), row.getString(2), row.getString(4));
        } catch (SQLException e) {
            throw connectionFailure(settings, e);
        }
    }

    /** The source's {@code gtid_executed} now (MariaDB: its {@code gtid_binlog_pos}), for {@code source.startGtids: current}. */
    public static GtidSet gtidExecuted(SourceSettings settings) {
        GtidSet mariaDb = MariaDbSourceChecks.binlogPositionIfMariaDb(settings);
        if (mariaDb != null) {
            return mariaDb;
        }
        return globalGtidSet(settings, "gtid_executed");
    }

    /** The source's {@code gtid_purged} now: transactions no longer in its binary logs. */
    static GtidSet gtidPurged(SourceSettings settings) {
        return globalGtidSet(settings, "gtid_purged");
    }

    private static GtidSet globalGtidSet(SourceSettings settings, String variable) {
        try (Connection connection = connect(settings); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT @@global." + variable)) {
            row.next();
            return GtidSet.parse(row.getString(1));
        } catch (SQLException e) {
            throw connectionFailure(settings, e);
        }
    }

    static ReplicaException connectionFailure(SourceSettings settings, SQLException e) {
        String tls = TlsFailures.describe(e, settings.tls().mode(), settings.tls().ca(), settings.host(),
                "source.ssl");
        if (tls != null) {
            return new ReplicaException("cannot connect to source " + settings.address() + ": " + tls, e);
        }
        if (e.getErrorCode() == ER_ACCESS_DENIED) {
            return new ReplicaException("source " + settings.address() + " refused user '" + settings.user()
                    + "' (error 1045, access denied): check source.user and source.password", e);
        }
        return new ReplicaException("cannot reach source " + settings.address() + ": " + firstLine(e.getMessage())
                + (e.getErrorCode() != 0 ? " (error " + e.getErrorCode() + ")" : ""), e);
    }

    private static Connection connect(SourceSettings settings) throws SQLException {
        return DriverManager.getConnection(settings.jdbcUrl(), settings.jdbcProperties());
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
