package dev.binrelay.applier;

import dev.binrelay.schema.Identifiers;
import dev.binrelay.schema.TableShapes;
import dev.binrelay.testkit.EmbeddedMySql;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Source clients that keep writing while another session changes the tables under them. Each client writes with the
 * columns a table has now (read from information_schema), and when the source refuses a statement because of a
 * schema change (unknown column, table gone during a rename, a lock wait behind an ALTER, a deadlock) it rolls back,
 * forgets what it knew of the tables' shapes and goes on with another transaction.
 *
 * <p>Every table is expected to have {@code id} (unique across all clients), {@code k} (NOT NULL) and {@code u}
 * (unique: derived from {@code id}); any other column gets a value of its type.
 */
final class ShapeFollowingWriters {
    /** Ids are chosen among the newest ones, so that transactions often touch the same rows. */
    private static final int HOT_IDS = 300;

    private final EmbeddedMySql source;
    private final List<String> tables;
    private final AtomicLong nextId = new AtomicLong(1);
    private final AtomicLong committed = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private final List<Throwable> crashes = new ArrayList<>();
    private volatile boolean running = true;

    /** @param tables {@code schema.table} names; a table that does not exist at the moment is skipped */
    ShapeFollowingWriters(EmbeddedMySql source, List<String> tables) {
        this.source = source;
        this.tables = tables;
    }

    void start(int clients, long seed) {
        for (int c = 0; c < clients; c++) {
            Random random = new Random(seed * 31 + c);
            Thread thread = new Thread(() -> write(random), "shape-following-writer-" + c);
            threads.add(thread);
            thread.start();
        }
    }

    /** Stops the clients and waits for them; throws if one ended with an error that was not the schema's doing. */
    void stop() throws InterruptedException {
        running = false;
        for (Thread thread : threads) {
            thread.join();
        }
        synchronized (crashes) {
            if (!crashes.isEmpty()) {
                throw new IllegalStateException("a writer crashed", crashes.get(0));
            }
        }
    }

    long committed() {
        return committed.get();
    }

    /** Transactions the source refused (and the client rolled back) because the schema changed under them. */
    long refused() {
        return refused.get();
    }

    private void write(Random random) {
        Map<String, List<Column>> shapes = new HashMap<>();
        try (Connection connection = source.connect()) {
            connection.setAutoCommit(false);
            while (running) {
                try (Statement statement = connection.createStatement()) {
                    int statements = 1 + random.nextInt(3);
                    List<String> chosen = new ArrayList<>();
                    for (int i = 0; i < statements; i++) {
                        chosen.add(tables.get(random.nextInt(tables.size())));
                    }
                    // Shapes first, while this transaction holds no row locks: reading information_schema waits
                    // behind a pending ALTER, and that ALTER may wait for a writer that waits for our row locks (a
                    // cycle InnoDB cannot see, broken only by innodb_lock_wait_timeout).
                    for (String table : chosen) {
                        shapes.computeIfAbsent(table, name -> readShape(connection, name));
                    }
                    for (String table : chosen) {
                        List<Column> columns = shapes.get(table);
                        if (!columns.isEmpty()) {
                            statement.executeUpdate(randomStatement(table, columns, random));
                        }
                    }
                    connection.commit();
                    committed.incrementAndGet();
                } catch (SQLException e) {
                    // Unknown column, no such table (renamed, dropped), waits behind an ALTER, deadlocks: the
                    // source applied nothing of it; look at the tables again and carry on.
                    connection.rollback();
                    refused.incrementAndGet();
                    shapes.clear();
                } catch (ShapeUnreadable e) {
                    connection.rollback();
                    refused.incrementAndGet();
                    shapes.clear();
                }
            }
        } catch (SQLException | RuntimeException e) {
            synchronized (crashes) {
                crashes.add(e);
            }
        }
    }

    private String randomStatement(String table, List<Column> columns, Random random) {
        long newest = nextId.get();
        long id = Math.max(1, newest - 1 - random.nextInt(HOT_IDS));
        int choice = random.nextInt(10);
        if (choice < 5) {
            return insert(table, columns, nextId.getAndIncrement(), random);
        }
        if (choice < 9) {
            List<String> assignments = new ArrayList<>();
            for (Column column : columns) {
                boolean assignable = !column.name().equals("id") && !column.name().equals("u");
                if (assignable && random.nextInt(3) == 0) {
                    assignments.add(Identifiers.quote(column.name()) + " = " + value(column, id, random));
                }
            }
            if (assignments.isEmpty()) {
                assignments.add("k = (k + 1) % 10"); // k is part of the primary key at times: a key update
            }
            return "UPDATE " + table + " SET " + String.join(", ", assignments) + " WHERE id = " + id;
        }
        return "DELETE FROM " + table + " WHERE id = " + id;
    }

    private static String insert(String table, List<Column> columns, long id, Random random) {
        List<String> names = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (Column column : columns) {
            names.add(Identifiers.quote(column.name()));
            values.add(value(column, id, random));
        }
        return "INSERT INTO " + table + " (" + String.join(", ", names) + ") VALUES (" + String.join(", ", values)
                + ")";
    }

    private static String value(Column column, long id, Random random) {
        return switch (column.name()) {
            case "id" -> Long.toString(id);
            case "u" -> "'u" + id + "'";
            case "k" -> Integer.toString(random.nextInt(10));
            default -> valueOfType(column.dataType(), random);
        };
    }

    private static String valueOfType(String dataType, Random random) {
        return switch (dataType) {
            case "tinyint", "smallint", "mediumint", "int", "bigint" -> Integer.toString(random.nextInt(1000));
            case "decimal", "double", "float" -> Double.toString(random.nextInt(100000) / 100.0);
            case "datetime", "timestamp" -> "'2024-0" + (1 + random.nextInt(9)) + "-1" + random.nextInt(10)
                    + " 12:34:56'";
            case "date" -> "'2024-02-2" + random.nextInt(9) + "'";
            default -> "'w" + random.nextInt(100000) + "'";
        };
    }

    /** The table's columns now (but generated ones), or an empty list when it does not exist at the moment. */
    private static List<Column> readShape(Connection connection, String table) {
        String[] parts = table.split("\\.");
        try {
            return TableShapes.columns(connection, parts[0], parts[1]).stream()
                    .filter(column -> !column.extra().toUpperCase(Locale.ROOT).contains("GENERATED"))
                    .map(column -> new Column(column.name(), column.dataType())).toList();
        } catch (SQLException e) {
            throw new ShapeUnreadable(e);
        }
    }

    private record Column(String name, String dataType) {
    }

    /** information_schema could not be read (a lock wait behind a DDL): treated like a refused statement. */
    private static final class ShapeUnreadable extends RuntimeException {
        ShapeUnreadable(SQLException cause) {
            super(cause);
        }
    }
}
