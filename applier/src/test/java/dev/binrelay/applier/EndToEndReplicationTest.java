package dev.binrelay.applier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.engine.Replica;
import dev.binrelay.engine.ReplicaState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Real source, real target, binrelay between them: the target ends identical to the source. */
class EndToEndReplicationTest {
    @RegisterExtension
    static final ReplicaFixture fixture = new ReplicaFixture();

    @Test
    void insertsUpdatesDeletesAndMultiStatementTransactionsOfCommonTypesReplicateExactly() throws Exception {
        Replica replica = fixture.startReplica();
        try {
            fixture.source().execute(
                    "CREATE DATABASE app",
                    "CREATE TABLE app.items (id BIGINT UNSIGNED PRIMARY KEY, tiny TINYINT UNSIGNED, small SMALLINT, "
                            + "medium MEDIUMINT UNSIGNED, regular INT UNSIGNED, signed_big BIGINT, "
                            + "price DECIMAL(20,6), ratio DOUBLE, name VARCHAR(100) CHARACTER SET utf8mb4, "
                            + "note TEXT, created DATETIME(6), touched TIMESTAMP(6) NULL, payload BLOB, doc JSON, "
                            + "day DATE, span TIME(3), yr YEAR, flags BIT(10), state ENUM('new','done'), "
                            + "tags SET('a','b','c'))",
                    "INSERT INTO app.items VALUES (18446744073709551615, 255, -32768, 16777215, 4294967295, "
                            + "-9223372036854775808, -12345678901234.123456, 1.5e300, 'caf\u00e9 \uD83D\uDE80 \u4e2d\u6587', "
                            + "'long text', '2024-02-29 23:59:59.999999', '2038-01-19 03:14:07.000001', "
                            + "X'00FF0000', '{\"a\": [1, 2.5, \"x\"], \"b\": null, \"big\": 18446744073709551615}', "
                            + "'1000-01-01', '-838:59:59.000', 2155, b'1010101010', 'done', 'a,c')",
                    "INSERT INTO app.items (id) VALUES (0), (1)",
                    "BEGIN",
                    "INSERT INTO app.items (id, name, price) VALUES (2, 'two', 2.000002)",
                    "UPDATE app.items SET name = 'zero', note = NULL, doc = '[]' WHERE id = 0",
                    "DELETE FROM app.items WHERE id = 1",
                    "COMMIT",
                    "UPDATE app.items SET id = 3 WHERE id = 2",
                    "CREATE DATABASE other",
                    "CREATE TABLE other.kv (k VARCHAR(20) PRIMARY KEY, v INT) DEFAULT CHARSET=latin1",
                    "INSERT INTO other.kv VALUES ('a', 1), ('b', 2), ('c', 3)",
                    "UPDATE other.kv SET v = v * 10",
                    "DELETE FROM other.kv WHERE k = 'b'");

            fixture.awaitCaughtUp(replica);

            fixture.assertTablesMatch("app", "other");
            assertThat(fixture.target().queryString("SELECT name FROM app.items WHERE id = 18446744073709551615"))
                    .isEqualTo("caf\u00e9 \uD83D\uDE80 \u4e2d\u6587");
            assertThat(fixture.target().queryString("SELECT CONCAT(tiny, '|', medium, '|', regular, '|', span, '|', "
                    + "yr, '|', HEX(payload), '|', created) FROM app.items WHERE id = 18446744073709551615"))
                    .isEqualTo("255|16777215|4294967295|-838:59:59.000|2155|00FF0000|2024-02-29 23:59:59.999999");
        } finally {
            replica.stop();
        }
    }

    @Test
    void unsignedColumnsAfterTextYearAndDecimalColumnsKeepTheirValues() throws Exception {
        Replica replica = fixture.startReplica();
        try {
            fixture.source().execute(
                    "CREATE DATABASE mixed",
                    "CREATE TABLE mixed.t (id INT PRIMARY KEY, label VARCHAR(10), a INT UNSIGNED, y YEAR, "
                            + "b BIGINT UNSIGNED, d DECIMAL(5,2), c SMALLINT UNSIGNED, s TINYINT, e TINYINT UNSIGNED)",
                    "INSERT INTO mixed.t VALUES (1, 'x', 4294967295, 2024, 18446744073709551615, -1.5, 65535, -128, "
                            + "255)",
                    "INSERT INTO mixed.t VALUES (2, NULL, 0, 1901, 9223372036854775808, 0, 32768, 127, 128)",
                    "UPDATE mixed.t SET a = a - 1, b = b - 1, c = c - 1, e = e - 1 WHERE id = 1");

            fixture.awaitCaughtUp(replica);

            fixture.assertTablesMatch("mixed");
            assertThat(fixture.target()
                    .queryString("SELECT CONCAT_WS('|', a, y, b, c, s, e) FROM mixed.t WHERE id = 1"))
                    .isEqualTo("4294967294|2024|18446744073709551614|65534|-128|254");
        } finally {
            replica.stop();
        }
    }

    @Test
    void compressedTransactionsReplicateIdentically() throws Exception {
        Replica replica = fixture.startReplica();
        try {
            StringBuilder rows = new StringBuilder("INSERT INTO zstd.t VALUES ");
            for (int id = 1; id <= 500; id++) {
                rows.append(id > 1 ? "," : "").append('(').append(id).append(", REPEAT('compress me ', 20), ")
                        .append(id * 1.5).append(')');
            }
            // One session with compression on: its transactions arrive as single TRANSACTION_PAYLOAD events.
            fixture.source().execute(
                    "SET SESSION binlog_transaction_compression = ON",
                    "CREATE DATABASE zstd",
                    "CREATE TABLE zstd.t (id INT PRIMARY KEY, body TEXT, amount DECIMAL(10,2))",
                    rows.toString(),
                    "BEGIN",
                    "UPDATE zstd.t SET amount = amount * 2 WHERE id <= 250",
                    "DELETE FROM zstd.t WHERE id > 450",
                    "COMMIT");

            fixture.awaitCaughtUp(replica);

            fixture.assertTablesMatch("zstd");
            assertThat(fixture.target().queryString("SELECT COUNT(*) FROM zstd.t")).isEqualTo("450");
            // DDL is never compressed; the two DML transactions are.
            assertThat(payloadEvents()).as("Transaction_payload events in the source's binlog")
                    .isGreaterThanOrEqualTo(2);
        } finally {
            replica.stop();
        }
    }

    @Test
    void ddlCreateAlterAddColumnThenRowsUsingItThenDropReplicates() throws Exception {
        Replica replica = fixture.startReplica();
        try {
            fixture.source().execute(
                    "CREATE DATABASE ddl",
                    "CREATE TABLE ddl.t (id INT PRIMARY KEY, a VARCHAR(10))",
                    "INSERT INTO ddl.t VALUES (1, 'one'), (2, 'two')",
                    "ALTER TABLE ddl.t ADD COLUMN b INT NOT NULL DEFAULT 7, ADD INDEX idx_a (a)",
                    "INSERT INTO ddl.t VALUES (3, 'three', 33)",
                    "UPDATE ddl.t SET b = b + id",
                    "CREATE TABLE ddl.gone (id INT PRIMARY KEY)",
                    "INSERT INTO ddl.gone VALUES (1)",
                    "DROP TABLE ddl.gone",
                    "RENAME TABLE ddl.t TO ddl.renamed",
                    "ALTER TABLE ddl.renamed DROP COLUMN a",
                    "INSERT INTO ddl.renamed VALUES (4, 44)");

            fixture.awaitCaughtUp(replica);

            fixture.assertTablesMatch("ddl");
            assertThat(fixture.target().queryString("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema "
                    + "= 'ddl' AND table_name = 'gone'")).isEqualTo("0");
            assertThat(fixture.target().queryString("SELECT GROUP_CONCAT(id, ':', b ORDER BY id) FROM ddl.renamed"))
                    .isEqualTo("1:8,2:9,3:36,4:44");
        } finally {
            replica.stop();
        }
    }

    @Test
    void concurrentClientsOnSeveralSchemasEndIdenticalWithExactCheckpoint() throws Exception {
        createWorkloadSchemas();
        Replica replica = fixture.startReplica();
        try {
            runWorkload(6, 4_000, new AtomicBoolean(true));
            fixture.awaitCaughtUp(replica);
            fixture.assertTablesMatch("w1", "w2");
            assertThat(fixture.targetCheckpoint()).isEqualTo(GtidSet.parse(fixture.source().gtidExecuted()));
        } finally {
            replica.stop();
        }
    }

    @Test
    void gracefulStopAndRestartWhileTheSourceKeepsWritingLosesAndRepeatsNothing() throws Exception {
        createWorkloadSchemas();
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writers = new Thread(() -> runWorkload(4, Integer.MAX_VALUE, writing));
        writers.start();
        try {
            for (int round = 0; round < 3; round++) {
                Replica replica = fixture.startReplica();
                Thread.sleep(1500);
                assertThat(replica.state()).isEqualTo(ReplicaState.RUNNING);
                replica.stop();
                assertThat(replica.state()).isEqualTo(ReplicaState.STOPPED);
                Thread.sleep(500); // the source goes on writing while the replica is down
            }
        } finally {
            writing.set(false);
            writers.join();
        }
        Replica replica = fixture.startReplica();
        try {
            fixture.awaitCaughtUp(replica);
            fixture.assertTablesMatch("w1", "w2");
            assertThat(fixture.targetCheckpoint()).isEqualTo(GtidSet.parse(fixture.source().gtidExecuted()));
        } finally {
            replica.stop();
        }
    }

    @Test
    void failureBetweenATransactionsStatementsAndItsCommitLeavesNothingAndRestartResumesExactly() throws Exception {
        createWorkloadSchemas();
        String uuid = fixture.source().serverUuid();
        long next = GtidSet.parse(fixture.source().gtidExecuted()).intervals(java.util.UUID.fromString(uuid))
                .get(0).end() + 1;
        long doomed = next + 40;
        // The checkpoint row is the last statement before COMMIT: failing it fails the transaction after its rows ran.
        Replica first = fixture.startReplica();
        fixture.target().execute("CREATE TRIGGER binrelay.crash_before_commit BEFORE INSERT ON binrelay.gtid_executed "
                + "FOR EACH ROW BEGIN IF NEW.gno_start = " + doomed + " THEN SIGNAL SQLSTATE '45000' "
                + "SET MESSAGE_TEXT = 'injected failure before commit'; END IF; END");
        runWorkload(4, 800, new AtomicBoolean(true));
        assertThat(first.awaitTermination(java.time.Duration.ofSeconds(60))).isTrue();
        assertThat(first.state()).isEqualTo(ReplicaState.FAILED);
        assertThat(first.failure()).hasMessageContaining("GTID " + uuid + ":" + doomed)
                .hasMessageContaining("injected failure before commit");
        GtidSet checkpoint = fixture.targetCheckpoint();
        assertThat(checkpoint.contains(new dev.binrelay.checkpoint.Gtid(java.util.UUID.fromString(uuid), doomed)))
                .isFalse();
        // Transactions that shared the failed commit are rolled back with it: nothing at or after it is recorded.
        var recorded = checkpoint.intervals(java.util.UUID.fromString(uuid));
        assertThat(recorded.get(recorded.size() - 1).end()).isLessThan(doomed);

        fixture.target().execute("DROP TRIGGER binrelay.crash_before_commit");
        Replica second = fixture.startReplica();
        try {
            fixture.awaitCaughtUp(second);
            fixture.assertTablesMatch("w1", "w2");
            assertThat(fixture.targetCheckpoint()).isEqualTo(GtidSet.parse(fixture.source().gtidExecuted()));
        } finally {
            second.stop();
        }
    }

    /** How many compressed transactions the source's binary logs hold. */
    private static int payloadEvents() throws SQLException {
        int payloads = 0;
        try (Connection connection = fixture.source().connect(); Statement statement = connection.createStatement()) {
            List<String> logs = new java.util.ArrayList<>();
            try (java.sql.ResultSet rows = statement.executeQuery("SHOW BINARY LOGS")) {
                while (rows.next()) {
                    logs.add(rows.getString(1));
                }
            }
            for (String log : logs) {
                try (java.sql.ResultSet events = statement.executeQuery("SHOW BINLOG EVENTS IN '" + log + "'")) {
                    while (events.next()) {
                        if ("Transaction_payload".equals(events.getString("Event_type"))) {
                            payloads++;
                        }
                    }
                }
            }
        }
        return payloads;
    }

    /** Two schemas of accounts and a ledger, on both sides, with the same 200 accounts; replicas start after. */
    private static void createWorkloadSchemas() {
        for (String schema : List.of("w1", "w2")) {
            List<String> ddl = List.of("CREATE DATABASE " + schema,
                    "CREATE TABLE " + schema + ".accounts (id INT PRIMARY KEY, balance BIGINT NOT NULL, "
                            + "owner VARCHAR(40), updated DATETIME(6))",
                    "CREATE TABLE " + schema + ".ledger (id BIGINT AUTO_INCREMENT PRIMARY KEY, account INT NOT NULL, "
                            + "amount DECIMAL(12,2) NOT NULL, memo JSON, KEY (account))");
            fixture.source().execute(ddl.toArray(String[]::new));
            fixture.target().execute(ddl.toArray(String[]::new));
            StringBuilder rows = new StringBuilder("INSERT INTO " + schema + ".accounts VALUES ");
            for (int id = 1; id <= 200; id++) {
                rows.append(id > 1 ? "," : "").append('(').append(id).append(", 1000, 'owner ").append(id)
                        .append("', NOW(6))");
            }
            fixture.source().execute(rows.toString());
            copyRows(schema, "accounts");
        }
        fixture.fixStartPositionNow();
    }

    private static void copyRows(String schema, String table) {
        try (Connection from = fixture.source().connect(); Connection to = fixture.target().connect();
             Statement read = from.createStatement();
             java.sql.ResultSet rows = read.executeQuery("SELECT * FROM " + schema + "." + table);
             PreparedStatement write = to.prepareStatement("INSERT INTO " + schema + "." + table
                     + " VALUES (?, ?, ?, ?)")) {
            while (rows.next()) {
                for (int i = 1; i <= 4; i++) {
                    write.setObject(i, rows.getObject(i));
                }
                write.addBatch();
            }
            write.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Several clients: transfers between hot and cold accounts, ledger inserts, deletes, re-inserts of a key. */
    private static void runWorkload(int threads, int transactionsPerThread, AtomicBoolean running) {
        SourceClients.run(fixture.source(), threads, transactionsPerThread, 0, running::get,
                (statement, random, client, i) -> {
                    String schema = random.nextBoolean() ? "w1" : "w2";
                    int from = random.nextInt(10) < 7 ? 1 + random.nextInt(5) : 1 + random.nextInt(200);
                    int to = 1 + random.nextInt(200);
                    int amount = 1 + random.nextInt(50);
                    statement.executeUpdate("UPDATE " + schema + ".accounts SET balance = balance - " + amount
                            + ", updated = NOW(6) WHERE id = " + from);
                    statement.executeUpdate("UPDATE " + schema + ".accounts SET balance = balance + " + amount
                            + ", updated = NOW(6) WHERE id = " + to);
                    statement.executeUpdate("INSERT INTO " + schema + ".ledger (account, amount, memo) VALUES ("
                            + from + ", " + amount + ".25, JSON_OBJECT('to', " + to + ", 'note', 'n\u00e4'))");
                    if (random.nextInt(10) == 0) {
                        statement.executeUpdate("DELETE FROM " + schema + ".ledger WHERE account = " + to
                                + " ORDER BY id LIMIT 1");
                    }
                    if (random.nextInt(20) == 0) {
                        int victim = 1 + random.nextInt(200);
                        statement.executeUpdate("DELETE FROM " + schema + ".accounts WHERE id = " + victim);
                        statement.executeUpdate("INSERT INTO " + schema + ".accounts VALUES (" + victim
                                + ", 1000, 'reborn', NOW(6)) ON DUPLICATE KEY UPDATE balance = 1000");
                    }
                });
    }
}
