package dev.binrelay.engine.source;

import dev.binrelay.engine.ReplicaException;
import dev.binrelay.engine.SourceSettings;
import dev.binrelay.checkpoint.BinlogPosition;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Position mode's questions to the source: where its binary log ends now, and which files it still has. */
final class SourcePositions {
    private static final int ER_PARSE_ERROR = 1064;

    private SourcePositions() {
    }

    /** The end of the source's binary log now, for a first start without {@code source.startFile}. */
    static BinlogPosition current(SourceSettings settings) {
        try (Connection connection = DriverManager.getConnection(settings.jdbcUrl(), settings.jdbcProperties());
             Statement statement = connection.createStatement()) {
            try (ResultSet row = statusRow(statement)) {
                if (!row.next()) {
                    throw new ReplicaException("source " + settings.address() + " reports no binary log status: "
                            + "start it with log_bin enabled");
                }
                return new BinlogPosition(row.getString(1), row.getLong(2));
            }
        } catch (SQLException e) {
            throw SourceChecks.connectionFailure(settings, e);
        }
    }

    /** MySQL 8.4 knows only SHOW BINARY LOG STATUS, MySQL before 8.2 only SHOW MASTER STATUS. */
    private static ResultSet statusRow(Statement statement) throws SQLException {
        try {
            return statement.executeQuery("SHOW BINARY LOG STATUS");
        } catch (SQLException e) {
            if (e.getErrorCode() != ER_PARSE_ERROR) {
                throw e;
            }
            return statement.executeQuery("SHOW MASTER STATUS");
        }
    }

    /**
     * Fails, naming the file and position, when the source no longer has the binary log file the replica must read
     * from next (purged), rather than letting the dump thread refuse with a generic error.
     */
    static void requireAvailable(SourceSettings settings, BinlogPosition from) {
        try (Connection connection = DriverManager.getConnection(settings.jdbcUrl(), settings.jdbcProperties());
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SHOW BINARY LOGS")) {
            StringBuilder files = new StringBuilder();
            while (rows.next()) {
                String file = rows.getString(1);
                if (file.equals(from.file())) {
                    return;
                }
                files.append(files.isEmpty() ? "" : ", ").append(file);
            }
            throw new ReplicaException("source " + settings.address() + " no longer has binary log file "
                    + from.file() + ", which this replica must read from next (position " + from + "); it has "
                    + (files.isEmpty() ? "none" : files) + ". Restore the file, or rebuild the target and start "
                    + "again with source.startFile and source.startPosition");
        } catch (SQLException e) {
            throw SourceChecks.connectionFailure(settings, e);
        }
    }
}
