package dev.binrelay.benchmarks;

import dev.binrelay.testkit.EmbeddedMySql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A one-row table the source stamps with {@code NOW(6)}; a replica's lag is the age of the stamp it shows (as
 * pt-heartbeat measures it). Every server of a topology runs on this machine's clock, so the ages compare.
 */
final class Heartbeat {
    static final String SCHEMA = "bench_heartbeat";
    private static final String TABLE = SCHEMA + ".heartbeat";

    private Heartbeat() {
    }

    /** Creates the table with its row, on one server (the caller decides whether it is logged). */
    static void create(Statement statement) throws SQLException {
        statement.execute("CREATE DATABASE " + SCHEMA);
        statement.execute("CREATE TABLE " + TABLE + " (id INT NOT NULL PRIMARY KEY, ts DATETIME(6) NOT NULL)");
        statement.execute("INSERT INTO " + TABLE + " VALUES (1, '2000-01-01 00:00:00')");
    }

    /** Stamps the row with the source's current time, in its own committed transaction. */
    static void beat(Statement autocommit) throws SQLException {
        autocommit.executeUpdate("UPDATE " + TABLE + " SET ts = NOW(6) WHERE id = 1");
    }

    /** The stamp this server shows now, as MySQL's text. */
    static String stamp(Statement statement) throws SQLException {
        try (ResultSet row = statement.executeQuery("SELECT ts FROM " + TABLE + " WHERE id = 1")) {
            if (!row.next()) {
                throw new SQLException("the heartbeat row is missing");
            }
            return row.getString(1);
        }
    }

    /** The age of the stamp this server shows, in microseconds. */
    static long ageMicros(Statement statement) throws SQLException {
        try (ResultSet row = statement.executeQuery("SELECT TIMESTAMPDIFF(MICROSECOND, ts, NOW(6)) FROM " + TABLE
                + " WHERE id = 1")) {
            if (!row.next()) {
                throw new SQLException("the heartbeat row is missing");
            }
            return row.getLong(1);
        }
    }

    /** A connection for {@link #beat} or {@link #ageMicros}, autocommit on. */
    static Connection connect(EmbeddedMySql server) throws SQLException {
        Connection connection = server.connect();
        connection.setAutoCommit(true);
        return connection;
    }
}
