package dev.binrelay.applier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.engine.Replica;
import dev.binrelay.engine.SchedulerKind;
import dev.binrelay.engine.SchedulerStatus;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A TPC-C-like schema under concurrent clients, applied by the writeset scheduler with 4 workers: foreign keys three
 * levels deep with CASCADE and SET NULL (which the target runs and the binlog does not show), RESTRICT on a text key
 * under a case-insensitive collation, a self-referencing tree, and a table without any key that holds identical rows.
 * The target must end identical to the source, and transactions on these tables must run in parallel (before, every
 * one of them was a barrier).
 */
class ForeignKeyWritesetTest {
    private static final String CI = "CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_ai_ci";
    private static final List<String> SCHEMA = List.of(
            "CREATE DATABASE fk",
            "CREATE TABLE fk.warehouse (id INT PRIMARY KEY, name VARCHAR(20))",
            "CREATE TABLE fk.district (w_id INT NOT NULL, d_id INT NOT NULL, ytd BIGINT NOT NULL, "
                    + "PRIMARY KEY (w_id, d_id), FOREIGN KEY (w_id) REFERENCES fk.warehouse (id) ON DELETE CASCADE)",
            "CREATE TABLE fk.customer (id INT PRIMARY KEY, w_id INT NOT NULL, d_id INT NOT NULL, code VARCHAR(20) " + CI
                    + ", balance BIGINT NOT NULL, UNIQUE KEY (code), KEY (w_id, d_id), FOREIGN KEY (w_id, d_id) "
                    + "REFERENCES fk.district (w_id, d_id) ON DELETE CASCADE ON UPDATE CASCADE)",
            "CREATE TABLE fk.orders (id BIGINT PRIMARY KEY, c_id INT NULL, amount INT NOT NULL, "
                    + "FOREIGN KEY (c_id) REFERENCES fk.customer (id) ON DELETE SET NULL)",
            "CREATE TABLE fk.history (c_id INT NOT NULL, amount INT NOT NULL, note VARCHAR(10) " + CI + ", "
                    + "FOREIGN KEY (c_id) REFERENCES fk.customer (id) ON DELETE CASCADE)",
            "CREATE TABLE fk.tag (label VARCHAR(20) " + CI + " PRIMARY KEY)",
            "CREATE TABLE fk.item_tag (item BIGINT PRIMARY KEY, label VARCHAR(20) " + CI + " NOT NULL, "
                    + "FOREIGN KEY (label) REFERENCES fk.tag (label))",
            "CREATE TABLE fk.node (id INT PRIMARY KEY, parent INT NULL, FOREIGN KEY (parent) REFERENCES fk.node (id))",
            "CREATE TABLE fk.loose (a INT, b VARCHAR(10) " + CI + ")");
    private static final String[] TAGS = {"cafe", "CAFE", "Caf\u00e9", "tea", "TEA"};

    @RegisterExtension
    static final ReplicaFixture fixture = new ReplicaFixture();

    @Test
    void relatedTablesRunInParallelAndTheTargetEndsIdentical() throws Exception {
        createSchema();
        Replica replica = fixture.startReplica(builder -> builder.scheduler(SchedulerKind.WRITESET).workers(4)
                .batchSize(4));
        try {
            AtomicLong nextId = new AtomicLong(1);
            SourceClients.run(fixture.source(), 8, 150, 20261204, () -> true,
                    (statement, random, client, i) -> oneTransaction(statement, random, nextId));
            fixture.awaitCaughtUp(replica);
            fixture.assertTablesMatch("fk");
            assertThat(fixture.targetCheckpoint()).isEqualTo(GtidSet.parse(fixture.source().gtidExecuted()));
            SchedulerStatus status = replica.status().scheduler();
            // Every transaction here touches a table with a foreign key: all of them were barriers before.
            assertThat(status.independent()).as("transactions on tables with foreign keys or no key, run in parallel "
                    + "(%s)", status).isGreaterThan(status.scheduled() / 4);
            assertThat(status.barriers()).as("the cascades run alone (%s)", status).isPositive();
            assertThat(status.dependencyMisses().byTable()).as("dependencies the scheduler missed (the safety net "
                    + "applied them again)").isEmpty();
        } finally {
            replica.stop();
        }
    }

    private static void oneTransaction(Statement statement, Random random, AtomicLong nextId) throws SQLException {
        int warehouse = 1 + random.nextInt(2);
        int district = 1 + random.nextInt(4);
        int customer = 1 + random.nextInt(40);
        switch (random.nextInt(10)) {
            case 0, 1 -> { // new order: a row in orders and one in the keyless history
                statement.executeUpdate("INSERT INTO fk.orders VALUES (" + nextId.getAndIncrement() + ", " + customer
                        + ", " + random.nextInt(5) + ")");
                statement.executeUpdate("UPDATE fk.customer SET balance = balance - 1 WHERE id = " + customer);
                statement.executeUpdate("INSERT INTO fk.history VALUES (" + customer + ", " + random.nextInt(3)
                        + ", 'new')");
            }
            case 2 -> { // payment: the district and the customer
                statement.executeUpdate("UPDATE fk.district SET ytd = ytd + 5 WHERE w_id = " + warehouse
                        + " AND d_id = " + district);
                statement.executeUpdate("UPDATE fk.customer SET balance = balance + 5 WHERE id = " + customer);
                statement.executeUpdate("INSERT INTO fk.history VALUES (" + customer + ", 5, 'pay')");
            }
            case 3 -> { // identical history rows: change or delete exactly one
                if (random.nextBoolean()) {
                    statement.executeUpdate("UPDATE fk.history SET note = 'SEEN' WHERE c_id = " + customer
                            + " AND note = 'new' LIMIT 1");
                } else {
                    statement.executeUpdate("DELETE FROM fk.history WHERE c_id = " + customer + " LIMIT 1");
                }
            }
            case 4 -> { // a customer moves to another district (its FK checked), or an order changes hands
                statement.executeUpdate("UPDATE fk.customer SET w_id = " + warehouse + ", d_id = " + district
                        + " WHERE id = " + customer);
                statement.executeUpdate("UPDATE fk.orders SET c_id = " + customer + " WHERE id = "
                        + (1 + random.nextInt((int) Math.max(1, nextId.get()))));
            }
            case 5 -> { // tags under a case-insensitive collation: RESTRICT on text
                String tag = TAGS[random.nextInt(TAGS.length)];
                if (random.nextInt(3) == 0) {
                    statement.executeUpdate("DELETE FROM fk.item_tag WHERE label = '" + tag + "'");
                    statement.executeUpdate("DELETE FROM fk.tag WHERE label = '" + tag + "'");
                } else {
                    statement.executeUpdate("INSERT IGNORE INTO fk.tag VALUES ('" + tag + "')");
                    statement.executeUpdate("INSERT INTO fk.item_tag VALUES (" + nextId.getAndIncrement() + ", '"
                            + tag + "')");
                }
            }
            case 6 -> { // a self-referencing tree: a node (re)hung under another, or removed (fails if it has children)
                int node = 31 + random.nextInt(30);
                int parent = 1 + random.nextInt(60);
                if (random.nextBoolean()) {
                    statement.executeUpdate("INSERT INTO fk.node VALUES (" + node + ", " + (parent == node ? 1 : parent)
                            + ") ON DUPLICATE KEY UPDATE parent = " + (parent == node ? 1 : parent));
                } else {
                    statement.executeUpdate("DELETE FROM fk.node WHERE id = " + node);
                }
            }
            case 7 -> { // a keyless table without foreign keys, identical rows included
                int a = random.nextInt(3);
                switch (random.nextInt(3)) {
                    case 0 -> statement.executeUpdate("INSERT INTO fk.loose VALUES (" + a + ", 'x')");
                    case 1 -> statement.executeUpdate("UPDATE fk.loose SET b = 'X' WHERE a = " + a + " LIMIT 1");
                    default -> statement.executeUpdate("DELETE FROM fk.loose WHERE a = " + a + " AND b = 'x' LIMIT 1");
                }
            }
            case 8 -> { // cascades the binlog does not show: a customer (orders SET NULL, history CASCADE), rarely
                if (random.nextInt(4) == 0) {   // a whole district (customers, then their orders and history)
                    statement.executeUpdate("DELETE FROM fk.district WHERE w_id = " + warehouse + " AND d_id = "
                            + district);
                    statement.executeUpdate("INSERT INTO fk.district VALUES (" + warehouse + ", " + district
                            + ", 0)");
                } else {
                    statement.executeUpdate("DELETE FROM fk.customer WHERE id = " + customer);
                }
                insertMissingCustomers(statement, warehouse, district);
            }
            default -> { // ON UPDATE CASCADE: a district renumbered, its customers follow
                int other = district + 10;
                statement.executeUpdate("UPDATE fk.district SET d_id = " + other + " WHERE w_id = " + warehouse
                        + " AND d_id = " + district);
                statement.executeUpdate("UPDATE fk.district SET d_id = " + district + " WHERE w_id = " + warehouse
                        + " AND d_id = " + other);
            }
        }
    }

    /** Customers deleted by a cascade come back, in the district given, so the workload keeps its rows. */
    private static void insertMissingCustomers(Statement statement, int warehouse, int district) throws SQLException {
        statement.executeUpdate("INSERT IGNORE INTO fk.district VALUES (" + warehouse + ", " + district + ", 0)");
        for (int id = 1; id <= 40; id++) {
            statement.executeUpdate("INSERT IGNORE INTO fk.customer VALUES (" + id + ", " + warehouse + ", "
                    + district + ", 'C" + id + "', 100)");
        }
    }

    private static void createSchema() {
        fixture.source().execute(SCHEMA.toArray(String[]::new));
        fixture.target().execute(SCHEMA.toArray(String[]::new));
        StringBuilder rows = new StringBuilder();
        List<String> seed = new ArrayList<>(List.of("INSERT INTO fk.warehouse VALUES (1, 'w1'), (2, 'w2')",
                "INSERT INTO fk.district SELECT w.id, d.n, 0 FROM fk.warehouse w, (SELECT 1 n UNION SELECT 2 "
                        + "UNION SELECT 3 UNION SELECT 4) d"));
        for (int id = 1; id <= 40; id++) {
            rows.append(id > 1 ? "," : "").append("(").append(id).append(", ").append(1 + id % 2).append(", ")
                    .append(1 + id % 4).append(", 'C").append(id).append("', 100)");
        }
        seed.add("INSERT INTO fk.customer VALUES " + rows);
        StringBuilder nodes = new StringBuilder();
        for (int id = 1; id <= 30; id++) {
            nodes.append(id > 1 ? "," : "").append("(").append(id).append(", ").append(id > 1 ? "1" : "NULL")
                    .append(")");
        }
        seed.add("INSERT INTO fk.node VALUES " + nodes);
        for (var server : List.of(fixture.source(), fixture.target())) {
            server.execute(seed.toArray(String[]::new));
        }
        fixture.fixStartPositionNow();
    }
}
