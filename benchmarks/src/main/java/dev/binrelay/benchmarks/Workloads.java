package dev.binrelay.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The source workloads, by name. Each statement mix follows sysbench's Lua scripts where sysbench has one
 * (oltp_write_only, oltp_insert, oltp_update_index); the others stress what a scheduler must get right: conflicts
 * (hot_rows), schemas (multi_schema), a source clock with no parallelism (single_thread), transactions of many
 * rows (large_tx), and an OLTP schema with foreign keys and a keyless table ({@link TpccLike}).
 */
final class Workloads {
    /** Every workload name, in the order the help lists them. */
    static final List<String> NAMES = List.of("oltp_write_only", "oltp_insert", "update_index", "hot_rows",
            "multi_schema", "single_thread", "large_tx", TpccLike.NAME);
    /** MySQL's deadlock and lock wait timeout: a client that loses one rolls back, as sysbench's clients do. */
    private static final int ER_LOCK_DEADLOCK = 1213;
    private static final int ER_LOCK_WAIT_TIMEOUT = 1205;
    /** Rows per large_tx transaction: 1,000 row events, several rows events of 8 KiB each. */
    private static final int LARGE_TX_ROWS = 1000;
    /** Rows that hot_rows concentrates on, and how often (percent) a transaction touches them. */
    private static final int HOT_ROWS = 8;
    private static final int HOT_PERCENT = 90;

    private Workloads() {
    }

    /**
     * Checks a name.
     *
     * @throws IllegalArgumentException listing the valid names
     */
    static void check(String name) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("unknown workload '" + name + "': use one of " + String.join(", ",
                    NAMES));
        }
    }

    static Workload of(String name, int tables, int tableSize) {
        check(name);
        SbtestTables sbtest = SbtestTables.inOneSchema(tables, tableSize);
        return switch (name) {
            case "oltp_write_only" -> new Mix(name, sbtest, Workloads::writeOnly, 0);
            case "oltp_insert" -> new Mix(name, sbtest, Workloads::insert, 0);
            case "update_index" -> new Mix(name, sbtest, Workloads::updateIndex, 0);
            case "hot_rows" -> new Mix(name, sbtest, Workloads::hotRows, 0);
            case "multi_schema" -> new Mix(name, SbtestTables.oneSchemaEach(tables, tableSize), Workloads::writeOnly,
                    0);
            case "single_thread" -> new Mix(name, sbtest, Workloads::writeOnly, 1);
            case "large_tx" -> new Mix(name, sbtest, Workloads::largeTransaction, 0);
            case TpccLike.NAME -> new TpccLike(tables, tableSize);
            default -> throw new IllegalStateException(name);
        };
    }

    /** sysbench oltp_write_only: an index update, a non-index update, a delete and the re-insert of one id. */
    private static void writeOnly(Connection connection, SbtestTables tables, ThreadLocalRandom random)
            throws SQLException {
        String table = tables.randomTable(random);
        update(connection, "UPDATE " + table + " SET k = k + 1 WHERE id = ?", tables.randomId(random));
        try (PreparedStatement update = connection.prepareStatement("UPDATE " + table + " SET c = ? WHERE id = ?")) {
            update.setString(1, SbtestTables.text(random.nextLong(), 120));
            update.setInt(2, tables.randomId(random));
            update.executeUpdate();
        }
        int moved = tables.randomId(random);
        update(connection, "DELETE FROM " + table + " WHERE id = ?", moved);
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table + " VALUES (?, ?, ?, ?)")) {
            insert.setInt(1, moved);
            insert.setInt(2, tables.randomId(random));
            insert.setString(3, SbtestTables.text(random.nextLong(), 120));
            insert.setString(4, SbtestTables.text(random.nextLong(), 60));
            insert.executeUpdate();
        }
    }

    /** sysbench oltp_insert: one row with an auto-increment id. */
    private static void insert(Connection connection, SbtestTables tables, ThreadLocalRandom random)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + tables.randomTable(random)
                + " (k, c, pad) VALUES (?, ?, ?)")) {
            insert.setInt(1, tables.randomId(random));
            insert.setString(2, SbtestTables.text(random.nextLong(), 120));
            insert.setString(3, SbtestTables.text(random.nextLong(), 60));
            insert.executeUpdate();
        }
    }

    /** sysbench oltp_update_index: one indexed column of one row. */
    private static void updateIndex(Connection connection, SbtestTables tables, ThreadLocalRandom random)
            throws SQLException {
        update(connection, "UPDATE " + tables.randomTable(random) + " SET k = k + 1 WHERE id = ?",
                tables.randomId(random));
    }

    /** Two updates, most of them on a handful of rows of the first table: transactions that conflict. */
    private static void hotRows(Connection connection, SbtestTables tables, ThreadLocalRandom random)
            throws SQLException {
        for (int statement = 0; statement < 2; statement++) {
            boolean hot = random.nextInt(100) < HOT_PERCENT;
            String table = hot ? tables.firstTable() : tables.randomTable(random);
            int id = hot ? 1 + random.nextInt(Math.min(HOT_ROWS, tables.tableSize())) : tables.randomId(random);
            update(connection, "UPDATE " + table + " SET k = k + 1 WHERE id = ?", id);
        }
    }

    /** One statement changing a range of {@value #LARGE_TX_ROWS} rows. */
    private static void largeTransaction(Connection connection, SbtestTables tables, ThreadLocalRandom random)
            throws SQLException {
        int rows = Math.min(LARGE_TX_ROWS, tables.tableSize());
        int first = 1 + random.nextInt(tables.tableSize() - rows + 1);
        try (PreparedStatement update = connection.prepareStatement("UPDATE " + tables.randomTable(random)
                + " SET k = k + 1 WHERE id BETWEEN ? AND ?")) {
            update.setInt(1, first);
            update.setInt(2, first + rows - 1);
            update.executeUpdate();
        }
    }

    private static void update(Connection connection, String sql, int id) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(sql)) {
            update.setInt(1, id);
            update.executeUpdate();
        }
    }

    /** One transaction's statements on a connection with autocommit off. */
    interface Body {
        void run() throws SQLException;
    }

    /**
     * Runs the statements and commits, as {@link Workload#transaction} does: false when the transaction was rolled
     * back after losing a deadlock or a lock wait to another client; any other error rolls back and is thrown.
     */
    static boolean committed(Connection connection, Body body) throws SQLException {
        try {
            body.run();
            connection.commit();
            return true;
        } catch (SQLException e) {
            connection.rollback();
            if (e.getErrorCode() == ER_LOCK_DEADLOCK || e.getErrorCode() == ER_LOCK_WAIT_TIMEOUT) {
                return false;
            }
            throw e;
        }
    }

    /** The statements of one transaction, before its commit. */
    private interface Statements {
        void run(Connection connection, SbtestTables tables, ThreadLocalRandom random) throws SQLException;
    }

    /** A workload as a statement mix on sbtest tables, committed per transaction. */
    private record Mix(String name, SbtestTables tables, Statements statements, int fixedThreads)
            implements Workload {

        @Override
        public List<String> schemas() {
            return tables.schemas();
        }

        @Override
        public void create(Connection connection) throws SQLException {
            tables.create(connection);
        }

        @Override
        public boolean transaction(Connection connection, ThreadLocalRandom random) throws SQLException {
            return committed(connection, () -> statements.run(connection, tables, random));
        }

        @Override
        public int clientThreads(int asked) {
            return fixedThreads > 0 ? fixedThreads : asked;
        }
    }
}
