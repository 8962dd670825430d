package dev.binrelay.devtools;

import dev.binrelay.testkit.EmbeddedMySql;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The demo's clients: threads that each run multi-statement transactions against {@link ShopSchema} on the source
 * (place, update and cancel orders, sign up customers, log and purge events) until stopped.
 *
 * <p>Each client updates and deletes only the orders and events it created itself, so that clients rarely wait for
 * each other's locks; a deadlock or lock timeout that happens anyway is rolled back and counted, as an application
 * would retry it.
 */
final class ShopWorkload {
    private static final int ER_LOCK_WAIT_TIMEOUT = 1205;
    private static final int ER_LOCK_DEADLOCK = 1213;
    private static final int ER_DUP_ENTRY = 1062;
    private static final String[] NOTES = {"leave at the door", "gift wrap please 🎁", "Grüße aus Köln",
            "请尽快发货", "deliver after 18:00 — ring twice", null};
    private static final String[] STATUSES = {"paid", "packed", "shipped", "delivered"};

    private final EmbeddedMySql source;
    private final List<Thread> clients = new ArrayList<>();
    private final LongAdder commits = new LongAdder();
    private final LongAdder rollbacks = new LongAdder();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean running = true;

    private ShopWorkload(EmbeddedMySql source) {
        this.source = source;
    }

    /** Starts {@code threads} clients against {@code source}. */
    static ShopWorkload start(EmbeddedMySql source, int threads) {
        ShopWorkload workload = new ShopWorkload(source);
        for (int i = 0; i < threads; i++) {
            int index = i;
            Thread client = new Thread(() -> workload.runClient(index), "demo-client-" + i);
            client.setDaemon(true);
            workload.clients.add(client);
            client.start();
        }
        return workload;
    }

    /** Transactions committed so far. */
    long commits() {
        return commits.sum();
    }

    /** Transactions rolled back after a deadlock or lock timeout. */
    long rollbacks() {
        return rollbacks.sum();
    }

    /** The error that ended a client early, or null. */
    Throwable failure() {
        return failure.get();
    }

    /** Asks the clients to finish their current transaction and waits for them. */
    void stop() throws InterruptedException {
        running = false;
        for (Thread client : clients) {
            client.join();
        }
    }

    private void runClient(int index) {
        Client client = new Client(new Random(20_240_601L + index));
        try (Connection connection = source.connect()) {
            connection.setAutoCommit(false);
            while (running && failure.get() == null) {
                try {
                    client.runOne(connection);
                    connection.commit();
                    client.committed();
                    commits.increment();
                } catch (SQLException e) {
                    connection.rollback();
                    client.rolledBack();
                    if (!retryable(e)) {
                        throw e;
                    }
                    rollbacks.increment();
                }
            }
        } catch (SQLException | RuntimeException e) {
            failure.compareAndSet(null, e);
        }
    }

    private static boolean retryable(SQLException e) {
        int code = e.getErrorCode();
        // A duplicate random event id is as unlikely as it is harmless: try another.
        return code == ER_LOCK_DEADLOCK || code == ER_LOCK_WAIT_TIMEOUT || code == ER_DUP_ENTRY;
    }

    /** One client's transactions and the rows it owns. Used by its own thread only. */
    private static final class Client {
        private final Random random;
        private final Deque<Long> orders = new ArrayDeque<>();
        private final Deque<BigInteger> events = new ArrayDeque<>();
        // Rows created by the transaction in progress: owned only once it commits.
        private final List<Long> newOrders = new ArrayList<>();
        private final List<BigInteger> newEvents = new ArrayList<>();

        Client(Random random) {
            this.random = random;
        }

        void runOne(Connection connection) throws SQLException {
            int dice = random.nextInt(100);
            if (dice < 35 || orders.isEmpty()) {
                placeOrder(connection, 1 + random.nextInt(ShopSchema.SEED_CUSTOMERS));
            } else if (dice < 60) {
                advanceOrder(connection);
            } else if (dice < 75) {
                signUp(connection);
            } else if (dice < 90 && !events.isEmpty()) {
                purgeEvents(connection);
            } else {
                cancelOrder(connection);
            }
        }

        void committed() {
            orders.addAll(newOrders);
            events.addAll(newEvents);
            newOrders.clear();
            newEvents.clear();
        }

        void rolledBack() {
            newOrders.clear();
            newEvents.clear();
        }

        private void placeOrder(Connection connection, long customerId) throws SQLException {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO shop.orders (customer_id, "
                    + "total, status, note, details, placed_at) VALUES (?, ?, 'new', ?, ?, NOW(6))",
                    Statement.RETURN_GENERATED_KEYS)) {
                insert.setLong(1, customerId);
                insert.setBigDecimal(2, BigDecimal.valueOf(100 + random.nextInt(99_900), 2));
                insert.setString(3, NOTES[random.nextInt(NOTES.length)]);
                insert.setString(4, "{\"items\": " + (1 + random.nextInt(5)) + ", \"express\": " + random.nextBoolean()
                        + ", \"tags\": [\"web\", \"ünïcode ✓\"]}");
                insert.executeUpdate();
                try (ResultSet keys = insert.getGeneratedKeys()) {
                    keys.next();
                    newOrders.add(keys.getLong(1));
                }
            }
            logEvent(connection, "order_placed");
        }

        private void advanceOrder(Connection connection) throws SQLException {
            long order = pick(orders);
            String status = STATUSES[random.nextInt(STATUSES.length)];
            try (PreparedStatement update = connection.prepareStatement("UPDATE shop.orders SET status = ?, "
                    + "total = total + 1.10, updated_at = NOW(6), details = JSON_SET(details, '$.status', ?) "
                    + "WHERE id = ?")) {
                update.setString(1, status);
                update.setString(2, status);
                update.setLong(3, order);
                update.executeUpdate();
            }
            logEvent(connection, "order_" + status);
        }

        private void signUp(Connection connection) throws SQLException {
            long customerId;
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO shop.customers (name, email, "
                    + "city, created_at) VALUES (?, ?, ?, NOW(6))", Statement.RETURN_GENERATED_KEYS)) {
                int n = random.nextInt(1_000_000);
                insert.setString(1, "Kunde Nr. " + n + (n % 3 == 0 ? " 😀" : ""));
                insert.setString(2, "k" + n + "@example.org");
                insert.setString(3, n % 2 == 0 ? "Malmö" : null);
                insert.executeUpdate();
                try (ResultSet keys = insert.getGeneratedKeys()) {
                    keys.next();
                    customerId = keys.getLong(1);
                }
            }
            placeOrder(connection, customerId);
        }

        private void purgeEvents(Connection connection) throws SQLException {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM shop.events WHERE id = ?")) {
                int count = Math.min(events.size(), 1 + random.nextInt(3));
                for (int i = 0; i < count; i++) {
                    // Removed before the commit: a rolled-back delete only leaves an event that is never purged.
                    delete.setBigDecimal(1, new BigDecimal(events.pollFirst()));
                    delete.executeUpdate();
                }
            }
        }

        private void cancelOrder(Connection connection) throws SQLException {
            if (orders.isEmpty()) {
                placeOrder(connection, 1 + random.nextInt(ShopSchema.SEED_CUSTOMERS));
                return;
            }
            long order = orders.pollFirst();
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM shop.orders WHERE id = ?")) {
                delete.setLong(1, order);
                delete.executeUpdate();
            }
            try (PreparedStatement touch = connection.prepareStatement("UPDATE shop.customers SET city = ? "
                    + "WHERE id = ?")) {
                touch.setString(1, random.nextBoolean() ? "Genève" : "Göteborg");
                touch.setLong(2, 1 + random.nextInt(ShopSchema.SEED_CUSTOMERS));
                touch.executeUpdate();
            }
            logEvent(connection, "order_cancelled");
        }

        private void logEvent(Connection connection, String kind) throws SQLException {
            // Half of the ids are above 2^63, where a signed BIGINT would go negative.
            BigInteger id = new BigInteger(Long.toUnsignedString(random.nextLong()));
            byte[] payload = new byte[16 + random.nextInt(240)];
            random.nextBytes(payload);
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO shop.events (id, kind, payload, "
                    + "happened_at) VALUES (?, ?, ?, NOW(6))")) {
                insert.setBigDecimal(1, new BigDecimal(id));
                insert.setString(2, kind);
                insert.setBytes(3, payload);
                insert.executeUpdate();
            }
            newEvents.add(id);
        }

        private long pick(Deque<Long> owned) {
            // Recent orders are the busy ones; the deque's tail holds the newest.
            int skip = random.nextInt(Math.min(owned.size(), 20));
            var newestFirst = owned.descendingIterator();
            for (int i = 0; i < skip; i++) {
                newestFirst.next();
            }
            return newestFirst.next();
        }
    }
}
