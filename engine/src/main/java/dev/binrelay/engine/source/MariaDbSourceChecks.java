package dev.binrelay.engine.source;

import dev.binrelay.engine.ReplicaException;
import dev.binrelay.engine.SchedulerKind;
import dev.binrelay.engine.SourceInfo;
import dev.binrelay.engine.SourceSettings;
import dev.binrelay.checkpoint.GtidSet;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The source checks for a MariaDB source (VERSION() contains "MariaDB"), which has no {@code gtid_mode} (its GTIDs
 * are always on) and no {@code gtid_executed}: binary log on, ROW format, full row images (the writeset scheduler
 * and the applier's WHERE clauses need every column), and table-map metadata with at least the columns'
 * signedness (MariaDB's default {@code binlog_row_metadata=NO_LOG} leaves it out, and an UNSIGNED value would be
 * read as a negative one).
 */
public final class MariaDbSourceChecks {
    private MariaDbSourceChecks() {
    }

    /** The checked source's facts if it is MariaDB, or null if it is not (then the MySQL checks apply). */
    static SourceInfo runIfMariaDb(SourceSettings settings) {
        String where = "source " + settings.address();
        try (Connection connection = connect(settings); Statement statement = connection.createStatement()) {
            if (!isMariaDb(statement)) {
                return null;
            }
            try (ResultSet row = statement.executeQuery("SELECT @@version, @@server_id, @@gtid_domain_id, @@log_bin, "
                    + "@@binlog_format, @@binlog_row_image, @@binlog_row_metadata")) {
                row.next();
                if (!"1".equals(row.getString(4))) {
                    throw new ReplicaException(where + " has no binary log (log_bin=OFF): start it with log_bin "
                            + "enabled");
                }
                if (!"ROW".equalsIgnoreCase(row.getString(5))) {
                    throw new ReplicaException(where + " has binlog_format=" + row.getString(5) + ": binrelay needs "
                            + "binlog_format=ROW on the source");
                }
                if (!"FULL".equalsIgnoreCase(row.getString(6))) {
                    throw new ReplicaException(where + " has binlog_row_image=" + row.getString(6) + ": binrelay "
                            + "needs binlog_row_image=FULL on a MariaDB source");
                }
                if ("NO_LOG".equalsIgnoreCase(row.getString(7))) {
                    throw new ReplicaException(where + " has binlog_row_metadata=NO_LOG (MariaDB's default): binrelay "
                            + "needs binlog_row_metadata=FULL (or MINIMAL) on a MariaDB source, so that the binary log "
                            + "says which columns are UNSIGNED");
                }
                // The server's own GTIDs in its default domain look like this UUID in binrelay's checkpoint.
                String uuid = MariaDbGtids.uuid(row.getLong(3), row.getLong(2)).toString();
                return new SourceInfo(uuid, row.getString(1));
            }
        } catch (SQLException e) {
            throw SourceChecks.connectionFailure(settings, e);
        }
    }

    /** The source's {@code gtid_binlog_pos} as a set (see {@link MariaDbGtids#fromPosition}), or null if not MariaDB. */
    static GtidSet binlogPositionIfMariaDb(SourceSettings settings) {
        try (Connection connection = connect(settings); Statement statement = connection.createStatement()) {
            if (!isMariaDb(statement)) {
                return null;
            }
            try (ResultSet row = statement.executeQuery("SELECT @@global.gtid_binlog_pos")) {
                row.next();
                return MariaDbGtids.fromPosition(row.getString(1));
            }
        } catch (SQLException e) {
            throw SourceChecks.connectionFailure(settings, e);
        }
    }

    /**
     * MariaDB logs no {@code last_committed}/{@code sequence_number}: the logical_clock scheduler has nothing to go
     * by. Refused rather than replaced, so that the configuration says what actually runs.
     */
    public static void checkScheduler(SourceInfo source, SchedulerKind scheduler) {
        if (source.mariaDb() && scheduler == SchedulerKind.LOGICAL_CLOCK) {
            throw new ReplicaException("applier.scheduler logical_clock needs the commit groups MySQL logs "
                    + "(last_committed), which MariaDB (" + source.version() + ") does not: use writeset (parallel by "
                    + "row keys), database or serial");
        }
    }

    /**
     * Refuses relaxed commit order: a MariaDB reader resumes per domain after the run of numbers that starts at the
     * lowest one recorded, so numbers committed out of order before the first ones of a domain (a crash then) would
     * make it resume past transactions never applied.
     */
    public static void checkCommitOrder(SourceInfo source, boolean preserveCommitOrder) {
        if (source.mariaDb() && !preserveCommitOrder) {
            throw new ReplicaException("applier.preserveCommitOrder: false is not supported with a MariaDB source ("
                    + source.version() + "): binrelay resumes a MariaDB domain after its first run of applied "
                    + "numbers, which relaxed order could leave with a hole before it; remove the key (true is the "
                    + "default)");
        }
    }

    private static boolean isMariaDb(Statement statement) throws SQLException {
        try (ResultSet row = statement.executeQuery("SELECT VERSION()")) {
            row.next();
            return row.getString(1).contains("MariaDB");
        }
    }

    private static Connection connect(SourceSettings settings) throws SQLException {
        return DriverManager.getConnection(settings.jdbcUrl(), settings.jdbcProperties());
    }
}
