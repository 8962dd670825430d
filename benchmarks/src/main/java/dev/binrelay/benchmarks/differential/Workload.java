package dev.binrelay.benchmarks.differential;

import dev.binrelay.testkit.EmbeddedMySql;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransactionRollbackException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Random transactions from many clients on the source, skewed to hot keys. Each client has its own {@link Random}
 * derived from the round's seed and its number, sets {@code binlog_row_image} MINIMAL or FULL per transaction, and
 * mixes inserts, updates of values and of keys, deletes, deletes and re-inserts, and key swaps: a large transaction
 * frees a unique value and a small one from another client takes it right after it committed. A statement the source
 * refuses (duplicate key, foreign key) is undone alone and its transaction goes on; a deadlock rolls the transaction
 * back.
 */
final class Workload {
    private static final int ER_LOCK_WAIT_TIMEOUT = 1205;
    private static final int ER_LOCK_DEADLOCK = 1213;
    private final EmbeddedMySql source;
    private final GeneratedSchema schema;
    private final long seed;
    private final int clients;
    private final int transactions;
    private final Queue<String> pendingTakes = new ConcurrentLinkedQueue<>();
    private final AtomicLong committed = new AtomicLong();
    private final AtomicLong rolledBack = new AtomicLong();

    Workload(EmbeddedMySql source, GeneratedSchema schema, long seed, int clients, int transactions) {
        this.source = source;
        this.schema = schema;
        this.seed = seed;
        this.clients = clients;
        this.transactions = transactions;
    }

    /** Runs every client to the end of its share of the transactions; returns how many committed. */
    long run() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients, runnable -> {
            Thread thread = new Thread(runnable, "fuzz-client");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int client = 0; client < clients; client++) {
                int share = transactions / clients + (client < transactions % clients ? 1 : 0);
                long clientSeed = seed * 1_000_003L + client;
                running.add(pool.submit(() -> {
                    runClient(new Random(clientSeed), share);
                    return null;
                }));
            }
            for (Future<?> client : running) {
                client.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return committed.get();
    }

    /** Transactions that committed on the source. */
    long committed() {
        return committed.get();
    }

    /** Transactions the source refused and the client rolled back. */
    long rolledBack() {
        return rolledBack.get();
    }

    private void runClient(Random random, int count) throws SQLException {
        ValueGenerator values = new ValueGenerator(random);
        RowStatements rows = new RowStatements(values);
        try (Connection connection = source.connect(); Statement statement = connection.createStatement()) {
            statement.execute("SET SESSION time_zone = '+00:00'");
            connection.setAutoCommit(false);
            for (int i = 0; i < count; i++) {
                statement.execute("SET SESSION binlog_row_image = " + (random.nextBoolean() ? "MINIMAL" : "FULL"));
                String take = random.nextBoolean() ? pendingTakes.poll() : null;
                List<String> takesAfterCommit = new ArrayList<>();
                List<String> sql = take != null ? List.of(take) : transaction(random, values, rows, takesAfterCommit);
                try {
                    for (String one : sql) {
                        execute(statement, one);
                    }
                    connection.commit();
                    committed.incrementAndGet();
                    pendingTakes.addAll(takesAfterCommit);
                } catch (SQLException refused) {
                    connection.rollback();
                    rolledBack.incrementAndGet();
                }
            }
        }
    }

    /**
     * Runs one statement of a transaction. A statement the source refuses alone (a duplicate key, a foreign key, a
     * value out of range) is undone alone and the transaction goes on, as for an application that expects such
     * refusals: so large transactions commit too. A deadlock, which rolls the whole transaction back, is rethrown.
     */
    private void execute(Statement statement, String sql) throws SQLException {
        try {
            statement.execute(sql);
        } catch (SQLTransactionRollbackException | SQLNonTransientConnectionException whole) {
            throw whole;
        } catch (SQLException refused) {
            if (refused.getErrorCode() == ER_LOCK_DEADLOCK || refused.getErrorCode() == ER_LOCK_WAIT_TIMEOUT) {
                throw refused;
            }
        }
    }

    /** A random transaction of one to eight statements; a key swap's first half also queues its second half. */
    private List<String> transaction(Random random, ValueGenerator values, RowStatements rows, List<String> takes) {
        List<TableSpec> tables = schema.tables();
        List<String> sql = new ArrayList<>();
        if (random.nextInt(6) == 0) {
            // Key swap, first half: a large transaction frees a value; another client takes it in a small one.
            TableSpec table = tables.get(random.nextInt(tables.size()));
            if (table.uniqueText()) {
                String literal = values.confusableLiteral();
                sql.add(rows.freeText(table, literal));
                takes.add(rows.takeText(table, literal));
            } else {
                String id = Integer.toString(values.hotKey());
                sql.add("DELETE FROM " + table.qualified() + " WHERE id = " + id);
                takes.add(rows.insert(table, id));
            }
            // Large, and in the same table: a table with foreign keys or without keys would make it a barrier,
            // which hides a conflict the writeset missed.
            for (int i = 0; i < 10 + random.nextInt(20); i++) {
                sql.add(rows.updateValues(table));
            }
            return sql;
        }
        int statements = 1 + random.nextInt(8);
        for (int i = 0; i < statements; i++) {
            TableSpec table = tables.get(random.nextInt(tables.size()));
            int pick = random.nextInt(100);
            if (pick < 35) {
                sql.add(rows.insert(table));
            } else if (pick < 60) {
                sql.add(rows.updateValues(table));
            } else if (pick < 72) {
                sql.add(rows.updateKey(table));
            } else if (pick < 82) {
                sql.add(rows.delete(table));
            } else if (pick < 88 && table.uniqueText()) {
                sql.add(rows.deleteByText(table));
            } else {
                // Delete and re-insert the same key in one transaction.
                String id = Integer.toString(values.hotKey());
                sql.add("DELETE FROM " + table.qualified() + " WHERE id = " + id);
                sql.add(rows.insert(table, id));
            }
        }
        return sql;
    }
}
