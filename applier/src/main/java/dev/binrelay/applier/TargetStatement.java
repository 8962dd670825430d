package dev.binrelay.applier;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * One worker's plain statement on its current connection, reused for every row text it sends: the values are in the
 * text ({@link SqlLiterals}), so nothing is prepared and nothing bound. Escape processing is off: the driver would
 * otherwise scan each text for JDBC escapes ({@code {fn ...}}), which binrelay never writes.
 *
 * <p>Not thread-safe: the worker's thread uses it.
 */
final class TargetStatement {
    private Statement statement;
    private Connection connection;

    /** The statement on {@code target}, made now if the last one was on another connection or is closed. */
    Statement on(Connection target) throws SQLException {
        if (statement == null || connection != target || statement.isClosed()) {
            statement = target.createStatement();
            statement.setEscapeProcessing(false);
            connection = target;
        }
        return statement;
    }

    /** Forgets the statement without closing it: the connection it belongs to was dropped with it. */
    void forget() {
        statement = null;
        connection = null;
    }
}
