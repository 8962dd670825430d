package dev.binrelay.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A TPC-C-like workload, as an OLTP user's schema looks: nine tables in schema {@code tpcc} joined by foreign keys
 * (district to warehouse, customer to district, orders to customer, order_line to orders and to stock, stock to item),
 * secondary indexes, and {@code history} without any key. Transactions follow TPC-C's write mix: new-order (45%:
 * the district's next order id, an order, its new_order row and 5 to 15 order lines with their stock), payment (45%:
 * warehouse, district and customer totals, a history row) and delivery (10%: the district's oldest new order
 * delivered, its customer credited). Not the benchmark itself: no think times, no reads-only transactions, sizes
 * scaled down ({@code warehouses} warehouses of 10 districts, {@code customersPerDistrict} customers each, {@code
 * items} items stocked in every warehouse).
 */
final class TpccLike implements Workload {
    static final String NAME = "tpcc_like";
    private static final String SCHEMA = "tpcc";
    private static final int DISTRICTS = 10;
    private static final int FILL_ROWS_PER_STATEMENT = 1000;
    private static final List<String> TABLES = List.of(
            "CREATE TABLE tpcc.warehouse (w_id INT PRIMARY KEY, w_name VARCHAR(10) NOT NULL, "
                    + "w_ytd DECIMAL(12,2) NOT NULL)",
            "CREATE TABLE tpcc.district (d_w_id INT NOT NULL, d_id INT NOT NULL, d_ytd DECIMAL(12,2) NOT NULL, "
                    + "d_next_o_id INT NOT NULL, PRIMARY KEY (d_w_id, d_id), "
                    + "FOREIGN KEY (d_w_id) REFERENCES tpcc.warehouse (w_id))",
            "CREATE TABLE tpcc.customer (c_w_id INT NOT NULL, c_d_id INT NOT NULL, c_id INT NOT NULL, "
                    + "c_last VARCHAR(16) NOT NULL, c_balance DECIMAL(12,2) NOT NULL, c_payment_cnt INT NOT NULL, "
                    + "c_delivery_cnt INT NOT NULL, PRIMARY KEY (c_w_id, c_d_id, c_id), "
                    + "KEY idx_customer (c_w_id, c_d_id, c_last), "
                    + "FOREIGN KEY (c_w_id, c_d_id) REFERENCES tpcc.district (d_w_id, d_id))",
            "CREATE TABLE tpcc.history (h_c_id INT NOT NULL, h_c_d_id INT NOT NULL, h_c_w_id INT NOT NULL, "
                    + "h_d_id INT NOT NULL, h_w_id INT NOT NULL, h_amount DECIMAL(6,2) NOT NULL, "
                    + "h_data VARCHAR(24) NOT NULL, "
                    + "FOREIGN KEY (h_c_w_id, h_c_d_id, h_c_id) REFERENCES tpcc.customer (c_w_id, c_d_id, c_id), "
                    + "FOREIGN KEY (h_w_id, h_d_id) REFERENCES tpcc.district (d_w_id, d_id))",
            "CREATE TABLE tpcc.item (i_id INT PRIMARY KEY, i_name VARCHAR(24) NOT NULL, i_price DECIMAL(5,2) NOT NULL)",
            "CREATE TABLE tpcc.stock (s_w_id INT NOT NULL, s_i_id INT NOT NULL, s_quantity INT NOT NULL, "
                    + "s_ytd INT NOT NULL, s_order_cnt INT NOT NULL, PRIMARY KEY (s_w_id, s_i_id), "
                    + "FOREIGN KEY (s_w_id) REFERENCES tpcc.warehouse (w_id), "
                    + "FOREIGN KEY (s_i_id) REFERENCES tpcc.item (i_id))",
            "CREATE TABLE tpcc.orders (o_w_id INT NOT NULL, o_d_id INT NOT NULL, o_id INT NOT NULL, "
                    + "o_c_id INT NOT NULL, o_carrier_id INT NULL, o_ol_cnt INT NOT NULL, "
                    + "PRIMARY KEY (o_w_id, o_d_id, o_id), KEY idx_orders (o_w_id, o_d_id, o_c_id, o_id), "
                    + "FOREIGN KEY (o_w_id, o_d_id, o_c_id) REFERENCES tpcc.customer (c_w_id, c_d_id, c_id))",
            "CREATE TABLE tpcc.new_order (no_w_id INT NOT NULL, no_d_id INT NOT NULL, no_o_id INT NOT NULL, "
                    + "PRIMARY KEY (no_w_id, no_d_id, no_o_id), "
                    + "FOREIGN KEY (no_w_id, no_d_id, no_o_id) REFERENCES tpcc.orders (o_w_id, o_d_id, o_id))",
            "CREATE TABLE tpcc.order_line (ol_w_id INT NOT NULL, ol_d_id INT NOT NULL, ol_o_id INT NOT NULL, "
                    + "ol_number INT NOT NULL, ol_i_id INT NOT NULL, ol_supply_w_id INT NOT NULL, "
                    + "ol_quantity INT NOT NULL, ol_amount DECIMAL(6,2) NOT NULL, "
                    + "PRIMARY KEY (ol_w_id, ol_d_id, ol_o_id, ol_number), "
                    + "FOREIGN KEY (ol_w_id, ol_d_id, ol_o_id) REFERENCES tpcc.orders (o_w_id, o_d_id, o_id), "
                    + "FOREIGN KEY (ol_supply_w_id, ol_i_id) REFERENCES tpcc.stock (s_w_id, s_i_id))");

    private final int warehouses;
    private final int customersPerDistrict;
    private final int items;

    /** {@code --tables} warehouses; {@code --table-size} items, and one customer per district for every 100. */
    TpccLike(int warehouses, int tableSize) {
        this.warehouses = warehouses;
        this.items = tableSize;
        this.customersPerDistrict = Math.max(10, tableSize / 100);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> schemas() {
        return List.of(SCHEMA);
    }

    @Override
    public void create(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + SCHEMA);
            for (String table : TABLES) {
                statement.execute(table);
            }
            fill(statement, "tpcc.item", items, i -> i + ", 'item " + i + "', " + (1 + i % 100) + ".50");
            for (int w = 1; w <= warehouses; w++) {
                int warehouse = w;
                statement.execute("INSERT INTO tpcc.warehouse VALUES (" + w + ", 'w" + w + "', 0)");
                for (int d = 1; d <= DISTRICTS; d++) {
                    int district = d;
                    statement.execute("INSERT INTO tpcc.district VALUES (" + w + ", " + d + ", 0, 1)");
                    fill(statement, "tpcc.customer", customersPerDistrict, c -> warehouse + ", " + district + ", " + c
                            + ", 'last" + (c % 1000) + "', 0, 0, 0");
                }
                fill(statement, "tpcc.stock", items, i -> warehouse + ", " + i + ", 50, 0, 0");
            }
        }
    }

    @Override
    public boolean transaction(Connection connection, ThreadLocalRandom random) throws SQLException {
        int kind = random.nextInt(100);
        return Workloads.committed(connection, () -> {
            if (kind < 45) {
                newOrder(connection, random);
            } else if (kind < 90) {
                payment(connection, random);
            } else {
                delivery(connection, random);
            }
        });
    }

    private void newOrder(Connection connection, ThreadLocalRandom random) throws SQLException {
        int w = 1 + random.nextInt(warehouses);
        int d = 1 + random.nextInt(DISTRICTS);
        int c = 1 + random.nextInt(customersPerDistrict);
        int orderId;
        try (PreparedStatement next = connection.prepareStatement("SELECT d_next_o_id FROM tpcc.district "
                + "WHERE d_w_id = ? AND d_id = ? FOR UPDATE")) {
            next.setInt(1, w);
            next.setInt(2, d);
            try (ResultSet row = next.executeQuery()) {
                row.next();
                orderId = row.getInt(1);
            }
        }
        execute(connection, "UPDATE tpcc.district SET d_next_o_id = d_next_o_id + 1 WHERE d_w_id = ? AND d_id = ?",
                w, d);
        int lines = 5 + random.nextInt(11);
        execute(connection, "INSERT INTO tpcc.orders VALUES (?, ?, ?, ?, NULL, ?)", w, d, orderId, c, lines);
        execute(connection, "INSERT INTO tpcc.new_order VALUES (?, ?, ?)", w, d, orderId);
        try (PreparedStatement stock = connection.prepareStatement("UPDATE tpcc.stock SET s_quantity = "
                + "IF(s_quantity > ? + 10, s_quantity - ?, s_quantity - ? + 91), s_ytd = s_ytd + ?, "
                + "s_order_cnt = s_order_cnt + 1 WHERE s_w_id = ? AND s_i_id = ?");
             PreparedStatement line = connection.prepareStatement("INSERT INTO tpcc.order_line VALUES "
                     + "(?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (int number = 1; number <= lines; number++) {
                int item = 1 + random.nextInt(items);
                // 1% of lines come from another warehouse, as in TPC-C
                int supplier = warehouses > 1 && random.nextInt(100) == 0 ? 1 + random.nextInt(warehouses) : w;
                int quantity = 1 + random.nextInt(10);
                bind(stock, quantity, quantity, quantity, quantity, supplier, item).executeUpdate();
                bind(line, w, d, orderId, number, item, supplier, quantity, quantity * (1 + item % 100))
                        .executeUpdate();
            }
        }
    }

    private void payment(Connection connection, ThreadLocalRandom random) throws SQLException {
        int w = 1 + random.nextInt(warehouses);
        int d = 1 + random.nextInt(DISTRICTS);
        int c = 1 + random.nextInt(customersPerDistrict);
        int amount = 1 + random.nextInt(5000);
        execute(connection, "UPDATE tpcc.warehouse SET w_ytd = w_ytd + ? WHERE w_id = ?", amount, w);
        execute(connection, "UPDATE tpcc.district SET d_ytd = d_ytd + ? WHERE d_w_id = ? AND d_id = ?", amount, w, d);
        execute(connection, "UPDATE tpcc.customer SET c_balance = c_balance - ?, c_payment_cnt = c_payment_cnt + 1 "
                + "WHERE c_w_id = ? AND c_d_id = ? AND c_id = ?", amount, w, d, c);
        try (PreparedStatement history = connection.prepareStatement("INSERT INTO tpcc.history VALUES "
                + "(?, ?, ?, ?, ?, ?, ?)")) {
            bind(history, c, d, w, d, w, amount).setString(7, "w" + w + " d" + d);
            history.executeUpdate();
        }
    }

    /** The district's oldest undelivered order: delivered, its customer credited with its lines' amount. */
    private void delivery(Connection connection, ThreadLocalRandom random) throws SQLException {
        int w = 1 + random.nextInt(warehouses);
        int d = 1 + random.nextInt(DISTRICTS);
        int orderId;
        int customer;
        try (PreparedStatement oldest = connection.prepareStatement("SELECT n.no_o_id, o.o_c_id FROM tpcc.new_order n "
                + "JOIN tpcc.orders o ON o.o_w_id = n.no_w_id AND o.o_d_id = n.no_d_id AND o.o_id = n.no_o_id "
                + "WHERE n.no_w_id = ? AND n.no_d_id = ? ORDER BY n.no_o_id LIMIT 1 FOR UPDATE")) {
            bind(oldest, w, d);
            try (ResultSet row = oldest.executeQuery()) {
                if (!row.next()) {
                    return; // nothing to deliver in this district
                }
                orderId = row.getInt(1);
                customer = row.getInt(2);
            }
        }
        execute(connection, "DELETE FROM tpcc.new_order WHERE no_w_id = ? AND no_d_id = ? AND no_o_id = ?",
                w, d, orderId);
        execute(connection, "UPDATE tpcc.orders SET o_carrier_id = ? WHERE o_w_id = ? AND o_d_id = ? AND o_id = ?",
                1 + random.nextInt(10), w, d, orderId);
        execute(connection, "UPDATE tpcc.customer SET c_balance = c_balance + (SELECT SUM(ol_amount) FROM "
                + "tpcc.order_line WHERE ol_w_id = ? AND ol_d_id = ? AND ol_o_id = ?), "
                + "c_delivery_cnt = c_delivery_cnt + 1 WHERE c_w_id = ? AND c_d_id = ? AND c_id = ?",
                w, d, orderId, w, d, customer);
    }

    private static void execute(Connection connection, String sql, int... values) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, values).executeUpdate();
        }
    }

    private static PreparedStatement bind(PreparedStatement statement, int... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            statement.setInt(i + 1, values[i]);
        }
        return statement;
    }

    /** The values of row {@code n} (1-based) of a table, as SQL. */
    private interface RowValues {
        String of(int n);
    }

    private static void fill(Statement statement, String table, int rows, RowValues values) throws SQLException {
        for (int first = 1; first <= rows; first += FILL_ROWS_PER_STATEMENT) {
            int last = Math.min(rows, first + FILL_ROWS_PER_STATEMENT - 1);
            StringBuilder insert = new StringBuilder("INSERT INTO ").append(table).append(" VALUES ");
            for (int n = first; n <= last; n++) {
                insert.append(n > first ? "," : "").append('(').append(values.of(n)).append(')');
            }
            statement.execute(insert.toString());
        }
    }
}
