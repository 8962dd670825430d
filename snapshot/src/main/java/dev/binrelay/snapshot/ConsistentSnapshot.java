package dev.binrelay.snapshot;

import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.engine.SourceSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * N source connections whose transactions see the same instant, and the exact GTID set of that instant.
 *
 * <p>The method: on a lock connection {@code FLUSH TABLES WITH READ LOCK} stops every commit; each copy connection
 * opens {@code START TRANSACTION WITH CONSISTENT SNAPSHOT} (REPEATABLE READ), so all see the same commits; then
 * {@code @@GLOBAL.gtid_executed} is exactly the set those snapshots hold, and the schema read at the same time is
 * the one they see. {@code UNLOCK TABLES} follows at once: the lock lasts as long as opening N snapshots and reading
 * the schema, not the copy. ({@code LOCK INSTANCE FOR BACKUP} does not block DML commits, so it cannot fix the set.)
 *
 * <p>Not thread-safe: each copy thread takes one connection and uses only that one.
 */
final class ConsistentSnapshot implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConsistentSnapshot.class);
    private static final int ER_SPECIFIC_ACCESS_DENIED = 1227;
    private static final int ER_ACCESS_DENIED = 1045;
    private static final int ER_LOCK_WAIT_TIMEOUT = 1205;
    /**
     * FTWRL waits for running statements to finish, and every write waits for it meanwhile: rather than stall the
     * source behind one long query, give up after this long and say why.
     */
    private static final int LOCK_WAIT_SECONDS = 10;

    private final SourceSettings settings;
    private final List<Connection> copies = new ArrayList<>();
    private GtidSet gtids;

    private ConsistentSnapshot(SourceSettings settings) {
        this.settings = settings;
    }

    /**
     * Opens {@code connections} snapshot connections under a brief global read lock and, while it is held, runs
     * {@code underLock} on the lock connection (to read the schema the snapshots see).
     *
     * @throws SnapshotException naming the missing privilege or the source's error
     */
    static ConsistentSnapshot open(SourceSettings settings, int connections, SchemaWork underLock) {
        ConsistentSnapshot snapshot = new ConsistentSnapshot(settings);
        try (Connection lock = connect(settings)) {
            for (int i = 0; i < connections; i++) {
                Connection copy = connect(settings);
                snapshot.copies.add(copy);
                try (Statement statement = copy.createStatement()) {
                    // Bytes as stored, in each column's own charset; TIMESTAMP as UTC, as the target writes it.
                    statement.execute("SET SESSION character_set_results = binary, time_zone = '+00:00', "
                            + "net_write_timeout = 600, transaction_isolation = 'REPEATABLE-READ'");
                }
            }
            try (Statement statement = lock.createStatement()) {
                statement.execute("SET SESSION lock_wait_timeout = " + LOCK_WAIT_SECONDS);
                long start = System.nanoTime();
                flushWithReadLock(statement, settings);
                try {
                    for (Connection copy : snapshot.copies) {
                        try (Statement begin = copy.createStatement()) {
                            begin.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
                        }
                    }
                    try (ResultSet row = statement.executeQuery("SELECT @@GLOBAL.gtid_executed")) {
                        row.next();
                        snapshot.gtids = GtidSet.parse(row.getString(1).replace("\n", ""));
                    }
                    underLock.run(lock);
                } finally {
                    statement.execute("UNLOCK TABLES");
                }
                LOG.info("snapshot of source {} at GTID set {} ({} connections; global read lock held {} ms)",
                        settings.address(), snapshot.gtids.isEmpty() ? "(empty)" : snapshot.gtids, connections,
                        (System.nanoTime() - start) / 1_000_000);
            }
            return snapshot;
        } catch (SQLException e) {
            snapshot.close();
            throw failure(settings, e);
        } catch (RuntimeException e) {
            snapshot.close();
            throw e;
        }
    }

    /** The GTID set every snapshot connection reflects. */
    GtidSet gtids() {
        return gtids;
    }

    /** The {@code index}th snapshot connection. */
    Connection connection(int index) {
        return copies.get(index);
    }

    /** Ends one connection's snapshot early (its thread has nothing left to copy), releasing its undo history. */
    void release(int index) {
        try {
            copies.get(index).close();
        } catch (SQLException e) {
            LOG.debug("closing snapshot connection {}: {}", index, e.toString());
        }
    }

    @Override
    public void close() {
        for (int i = 0; i < copies.size(); i++) {
            release(i);
        }
    }

    /** Opens a source connection (with TLS as {@code source.ssl.*} says), for checks before the snapshot. */
    static Connection connect(SourceSettings settings) throws SQLException {
        Properties properties = settings.jdbcProperties();
        properties.setProperty("characterEncoding", "UTF-8");
        return DriverManager.getConnection(settings.jdbcUrl(), properties);
    }

    private static void flushWithReadLock(Statement statement, SourceSettings settings) throws SQLException {
        try {
            statement.execute("FLUSH TABLES WITH READ LOCK");
        } catch (SQLException e) {
            if (e.getErrorCode() == ER_SPECIFIC_ACCESS_DENIED) {
                throw new SnapshotException("source " + settings.address() + ": user '" + settings.user()
                        + "' lacks the RELOAD privilege, which FLUSH TABLES WITH READ LOCK needs to fix the GTID set "
                        + "of the snapshot for a moment (GRANT RELOAD ON *.* TO ...)", e);
            }
            if (e.getErrorCode() == ER_LOCK_WAIT_TIMEOUT) {
                throw new SnapshotException("source " + settings.address() + ": FLUSH TABLES WITH READ LOCK waited "
                        + LOCK_WAIT_SECONDS + " s for running statements (a long query or an open LOCK TABLES) and "
                        + "gave up so as not to stall the source; try again when they have finished", e);
            }
            throw e;
        }
    }

    static SnapshotException failure(SourceSettings settings, SQLException e) {
        if (e.getErrorCode() == ER_ACCESS_DENIED) {
            return new SnapshotException("source " + settings.address() + " refused user '" + settings.user()
                    + "' (error 1045, access denied): check source.user and source.password", e);
        }
        return new SnapshotException("source " + settings.address() + ": " + e.getMessage()
                + (e.getErrorCode() != 0 ? " (error " + e.getErrorCode() + ")" : ""), e);
    }

    /** Work done on the lock connection while the lock is held. */
    @FunctionalInterface
    interface SchemaWork {
        void run(Connection lock) throws SQLException;
    }
}
