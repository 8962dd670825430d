package dev.binrelay.applier;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker's prepared row statements on its current connection, by SQL text, the least recently used closed beyond
 * {@link #CAPACITY}. Only reusable statements come here
 * (see {@link TablePlan.RowStatement#reusable()}); the cache is emptied when the connection is dropped and closed when
 * the table plans are built again.
 *
 * <p>Not thread-safe: the worker's thread uses it.
 */
final class StatementCache {
    /** The worker's logger, as before the worker was split: operators filter on it. */
    private static final Logger LOG = LoggerFactory.getLogger(StatementCache.class);

    /**
     * Statements kept at most: a workload whose transactions come in many shapes (a statement group per shape, see
     * {@link StatementGroup}) closes the least recently used ones rather than keeping them all.
     */
    static final int CAPACITY = 256;

    private final int index;
    private final Map<String, PreparedStatement> prepared = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
            if (size() <= CAPACITY) {
                return false;
            }
            close(eldest.getValue());
            return true;
        }
    };

    /** @param index the worker's number, for messages */
    StatementCache(int index) {
        this.index = index;
    }

    /** The statement prepared for {@code sql} on {@code target}, prepared now if it is not yet. */
    PreparedStatement prepare(Connection target, String sql) throws SQLException {
        PreparedStatement statement = prepared.get(sql);
        if (statement == null) {
            statement = target.prepareStatement(sql);
            prepared.put(sql, statement);
        }
        return statement;
    }

    /** Closes every statement and forgets them (the connection stays). */
    void closeAll() {
        for (PreparedStatement statement : prepared.values()) {
            close(statement);
        }
        prepared.clear();
    }

    private void close(PreparedStatement statement) {
        try {
            statement.close();
        } catch (SQLException e) {
            LOG.debug("worker {}: closing a prepared statement failed: {}", index, e.toString());
        }
    }

    /** Forgets every statement without closing it: the connection they belong to was dropped with them. */
    void forget() {
        prepared.clear();
    }
}
