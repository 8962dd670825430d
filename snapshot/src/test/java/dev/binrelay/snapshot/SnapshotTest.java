package dev.binrelay.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.binrelay.applier.JdbcApplier;
import dev.binrelay.applier.TargetSettings;
import dev.binrelay.checkpoint.CheckpointStore;
import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.engine.Replica;
import dev.binrelay.engine.ReplicaState;
import dev.binrelay.engine.ReplicationFilter;
import dev.binrelay.engine.SchedulerKind;
import dev.binrelay.engine.SourceSettings;
import dev.binrelay.testkit.EmbeddedMySql;
import dev.binrelay.testkit.SourceAndTarget;
import dev.binrelay.testkit.TableChecksum;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Snapshots of a running source with real servers: the copy, then the stream, leave the target equal to it. */
class SnapshotTest {
    @RegisterExtension
    static final SourceAndTarget servers = SourceAndTarget.create();

    /** Shapes of every kind of column the copy must carry exactly, keys of every kind chunks follow. */
    private static final String[] SCHEMA = {
        "CREATE DATABASE shop",
        "CREATE TABLE shop.items (id BIGINT UNSIGNED PRIMARY KEY, tiny TINYINT, price DECIMAL(20,6), "
                + "ratio DOUBLE, share FLOAT, name VARCHAR(100) CHARACTER SET utf8mb4, "
                + "note TEXT CHARACTER SET latin1, created DATETIME(6), touched TIMESTAMP(6) NULL, payload BLOB, "
                + "doc JSON, day DATE, span TIME(3), yr YEAR, flags BIT(10), state ENUM('new','done'), "
                + "tags SET('a','b','c'), place POINT, secret INT INVISIBLE, "
                + "name_length INT AS (CHAR_LENGTH(name)) VIRTUAL, id_mod INT AS (id % 1000) STORED)",
        "CREATE TABLE shop.orders (customer VARCHAR(20) COLLATE utf8mb4_0900_ai_ci NOT NULL, n INT NOT NULL, "
                + "amount INT, PRIMARY KEY (customer, n))",
        "CREATE TABLE shop.codes (code BINARY(4) NOT NULL, label VARCHAR(20), UNIQUE KEY (code))",
        "CREATE TABLE shop.log (at DATETIME, line VARCHAR(100))",
        "CREATE VIEW shop.big_orders AS SELECT customer, n FROM shop.orders WHERE amount > 50",
        "CREATE DATABASE other DEFAULT CHARACTER SET latin1",
        "CREATE TABLE other.kv (k VARCHAR(20) PRIMARY KEY, v INT)",
    };

    @Test
    void copyUnderConcurrentWritesThenStreamingLeavesTheTargetEqualToTheSource() throws Exception {
        servers.source().execute(SCHEMA);
        fill(6000);
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong writes = new AtomicLong();
        List<CompletableFuture<Void>> writers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            long seed = i;
            writers.add(CompletableFuture.runAsync(() -> write(seed, writing, writes)));
        }
        Snapshot snapshot = Snapshot.builder().source(sourceSettings()).target(targetSettings()).threads(3)
                .chunkRows(300).progressInterval(Duration.ofMillis(500)).build();
        SnapshotResult result;
        long writesBefore = writes.get();
        try {
            result = snapshot.run();
        } catch (RuntimeException e) {
            writing.set(false);
            throw e;
        }
        long writesDuring = writes.get() - writesBefore;

        JdbcApplier applier = new JdbcApplier(targetSettings());
        applier.applyIdempotently(Snapshot.catchUpWindow(targetSettings()));
        Replica replica = Replica.builder().source(sourceSettings()).applier(applier)
                .scheduler(SchedulerKind.WRITESET).workers(4).build();
        replica.start();
        try {
            Thread.sleep(500); // the stream applies while the writers still write
            writing.set(false);
            CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).join();
            awaitCaughtUp(replica);
        } finally {
            replica.stop();
        }

        assertThat(writesDuring).as("source writes during the copy").isGreaterThan(10);
        assertThat(result.tables()).isEqualTo(5);
        assertThat(result.rows()).isGreaterThanOrEqualTo(6000 + 600 + 64 + 50 + 26);
        assertThat(result.catchUpWindow().isEmpty()).isTrue();
        assertThat(snapshot.progress()).hasSize(5).allMatch(TableProgress::done);
        assertTablesMatch("shop", "other");
        assertThat(servers.target().queryString("SELECT COUNT(*) FROM shop.big_orders"))
                .isEqualTo(servers.source().queryString("SELECT COUNT(*) FROM shop.big_orders"));
        assertThat(servers.target().queryString("SELECT SUM(secret) FROM shop.items"))
                .isEqualTo(servers.source().queryString("SELECT SUM(secret) FROM shop.items"));
        assertThat(checkpoint()).isEqualTo(GtidSet.parse(servers.source().gtidExecuted()));
    }

    @Test
    void filtersCopyOnlyKeptTablesUnderTheRewrittenDatabaseThenTheStreamContinuesThere() throws Exception {
        servers.source().execute("CREATE DATABASE prod DEFAULT CHARACTER SET latin1",
                "CREATE TABLE prod.orders (id INT PRIMARY KEY, amount INT, note VARCHAR(20))",
                "CREATE TABLE prod.audit (id INT PRIMARY KEY, line VARCHAR(20))",
                "CREATE TABLE prod.events (at DATETIME, what VARCHAR(20))",
                "CREATE VIEW prod.big_orders AS SELECT id, amount FROM prod.orders WHERE amount > 50",
                "CREATE VIEW prod.audit_lines AS SELECT line FROM prod.audit",
                "CREATE DATABASE scratch", "CREATE TABLE scratch.tmp (id INT PRIMARY KEY)",
                "INSERT INTO scratch.tmp VALUES (1)",
                "CREATE DATABASE other", "CREATE TABLE other.kv (k VARCHAR(20) PRIMARY KEY, v INT)",
                "INSERT INTO other.kv VALUES ('a', 1), ('b', 2)",
                "INSERT INTO prod.audit VALUES (1, 'x'), (2, 'y')",
                "INSERT INTO prod.events VALUES ('2024-01-01 00:00:00', 'start'), ('2024-01-01 00:00:00', 'start')");
        StringBuilder orders = new StringBuilder("INSERT INTO prod.orders VALUES ");
        for (int i = 1; i <= 700; i++) {
            orders.append(i > 1 ? ", " : "").append("(").append(i).append(", ").append(i % 100).append(", 'caf\u00e9 ")
                    .append(i).append("')");
        }
        servers.source().execute(orders.toString());
        // Rules name the target database: rewrite first, as MySQL does.
        ReplicationFilter filter = ReplicationFilter.builder().rewriteDb("prod", "staging")
                .ignoreTable("staging.audit").wildIgnoreTable("staging.audit%").ignoreDb("scratch").build();
        TargetSettings settings = targetSettings("filtered");

        SnapshotResult result = Snapshot.builder().source(sourceSettings()).target(settings).filter(filter)
                .threads(2).chunkRows(100).progressInterval(Duration.ZERO).build().run();

        assertThat(result.tables()).as("prod.orders, prod.events, other.kv").isEqualTo(3);
        assertThat(servers.target().queryString("SELECT GROUP_CONCAT(SCHEMA_NAME ORDER BY SCHEMA_NAME) FROM "
                + "information_schema.SCHEMATA WHERE SCHEMA_NAME IN ('prod', 'staging', 'scratch', 'other')"))
                .isEqualTo("other,staging");
        assertThat(servers.target().queryString("SELECT GROUP_CONCAT(TABLE_NAME ORDER BY TABLE_NAME) FROM "
                + "information_schema.TABLES WHERE TABLE_SCHEMA = 'staging'")).isEqualTo("big_orders,events,orders");
        assertThat(servers.target().queryString("SELECT DEFAULT_CHARACTER_SET_NAME FROM information_schema.SCHEMATA "
                + "WHERE SCHEMA_NAME = 'staging'")).isEqualTo("latin1");
        assertThat(servers.target().queryString("SELECT COUNT(*) FROM staging.big_orders"))
                .isEqualTo(servers.source().queryString("SELECT COUNT(*) FROM prod.big_orders")).isNotEqualTo("0");
        assertRewrittenTablesMatch();

        Replica replica = Replica.builder().source(sourceSettings()).applier(new JdbcApplier(settings))
                .filter(filter).workers(2).build();
        replica.start();
        try {
            servers.source().execute("UPDATE prod.orders SET amount = amount + 1 WHERE id % 3 = 0",
                    "DELETE FROM prod.orders WHERE id > 650", "INSERT INTO prod.orders VALUES (1000, 99, 'new')",
                    "INSERT INTO prod.audit VALUES (3, 'z')", "INSERT INTO prod.events VALUES (NOW(), 'more')",
                    "INSERT INTO scratch.tmp VALUES (2)", "UPDATE other.kv SET v = v + 10");
            awaitCaughtUp(replica);
        } finally {
            replica.stop();
        }
        assertRewrittenTablesMatch();
        assertThat(servers.target().queryString("SELECT COUNT(*) FROM information_schema.TABLES "
                + "WHERE TABLE_NAME = 'audit' OR TABLE_SCHEMA IN ('prod', 'scratch')")).isEqualTo("0");
    }

    /** The kept tables: prod's under staging on the target, other's as they are. */
    private static void assertRewrittenTablesMatch() throws SQLException {
        try (Connection sourceConnection = servers.source().connect();
             Connection targetConnection = servers.target().connect()) {
            for (String table : List.of("orders", "events")) {
                assertThat(TableChecksum.of(targetConnection, "staging", table)).as("staging.%s", table)
                        .isEqualTo(TableChecksum.of(sourceConnection, "prod", table));
            }
            assertThat(TableChecksum.of(targetConnection, "other", "kv")).as("other.kv")
                    .isEqualTo(TableChecksum.of(sourceConnection, "other", "kv"));
        }
    }

    @Test
    void aTargetTableThatAlreadyHoldsRowsIsRefusedByName() {
        servers.source().execute("CREATE DATABASE shop", "CREATE TABLE shop.t (id INT PRIMARY KEY)",
                "INSERT INTO shop.t VALUES (1)");
        servers.target().execute("CREATE DATABASE shop", "CREATE TABLE shop.t (id INT PRIMARY KEY)",
                "INSERT INTO shop.t VALUES (7)");
        Snapshot snapshot = Snapshot.builder().source(sourceSettings()).target(targetSettings("refused")).build();

        assertThatThrownBy(snapshot::run).isInstanceOf(SnapshotException.class)
                .hasMessageContaining("target table shop.t already exists and holds rows");
        assertThat(servers.target().queryString("SELECT GROUP_CONCAT(id) FROM shop.t")).isEqualTo("7");
    }

    @Test
    void aSourceUserWithoutReloadIsToldWhichPrivilegeIsMissing() {
        servers.source().execute("CREATE DATABASE shop", "CREATE TABLE shop.t (id INT PRIMARY KEY)",
                "CREATE USER IF NOT EXISTS 'noreload'@'%' IDENTIFIED BY 'Pw-noreload1'",
                "GRANT SELECT, REPLICATION CLIENT, REPLICATION SLAVE ON *.* TO 'noreload'@'%'");
        SourceSettings limited = SourceSettings.builder(servers.source().host(), servers.source().port())
                .user("noreload")
                .password("Pw-noreload1").serverId(4243).startGtids("").heartbeat(Duration.ofSeconds(1))
                .connectTimeout(Duration.ofSeconds(10)).build();
        Snapshot snapshot = Snapshot.builder().source(limited).target(targetSettings("noreload")).build();

        assertThatThrownBy(snapshot::run).isInstanceOf(SnapshotException.class)
                .hasMessageContaining("lacks the RELOAD privilege");
    }

    private static void fill(int items) throws SQLException {
        try (Connection connection = servers.source().connect()) {
            connection.createStatement().execute("SET SESSION sql_mode = ''"); // zero dates, as old data has them
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO shop.items (id, tiny, price, "
                    + "ratio, share, name, note, created, touched, payload, doc, day, span, yr, flags, state, tags, "
                    + "place, secret) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, b'1010101010', ?, ?, "
                    + "ST_GeomFromText(?), ?)")) {
                for (int i = 1; i <= items; i++) {
                    long id = i == items ? Long.parseUnsignedLong("18446744073709551615") : i;
                    insert.setString(1, Long.toUnsignedString(id));
                    insert.setInt(2, i % 256 - 128);
                    insert.setString(3, (i % 7 == 0 ? "-" : "") + i + ".123456");
                    insert.setDouble(4, i == 1 ? -0.0 : i / 3.0);
                    insert.setFloat(5, i / 7.0f);
                    insert.setString(6, i % 5 == 0 ? null : "caf\u00e9 \uD83D\uDE80 " + i);
                    insert.setString(7, "latin1 \u00e9t\u00e9 " + i);
                    insert.setString(8, i % 11 == 0 ? "0000-00-00 00:00:00" : "2024-02-29 23:59:59.999999");
                    insert.setString(9, "2038-01-19 03:14:07.000001");
                    insert.setBytes(10, new byte[] {0, (byte) 0xFF, (byte) i, 0});
                    insert.setString(11, "{\"a\": [1, 2.5, \"x\"], \"n\": " + i + ", \"big\": 18446744073709551615}");
                    insert.setString(12, "1000-01-01");
                    insert.setString(13, "-838:59:59.000");
                    insert.setInt(14, 1901 + i % 255);
                    insert.setString(15, i % 2 == 0 ? "new" : "done");
                    insert.setString(16, i % 3 == 0 ? "a,c" : "");
                    insert.setString(17, "POINT(" + i + " 2)");
                    insert.setInt(18, i);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            connection.commit();
        }
        List<String> statements = new ArrayList<>();
        StringBuilder orders = new StringBuilder("INSERT INTO shop.orders VALUES ");
        for (int i = 0; i < 600; i++) {
            orders.append(i > 0 ? ", " : "").append("('").append(i % 2 == 0 ? "Cust" : "cust\u00e9").append(i / 20)
                    .append("', ").append(i % 20).append(", ").append(i % 100).append(")");
        }
        statements.add(orders.toString());
        StringBuilder codes = new StringBuilder("INSERT INTO shop.codes VALUES ");
        for (int i = 0; i < 64; i++) {
            codes.append(i > 0 ? ", " : "").append("(UNHEX('").append(String.format("%02X", i * 4)).append("'), 'c")
                    .append(i).append("')");
        }
        statements.add(codes.toString());
        StringBuilder log = new StringBuilder("INSERT INTO shop.log VALUES ");
        for (int i = 0; i < 50; i++) {
            log.append(i > 0 ? ", " : "").append("('2024-01-01 00:00:00', 'same line')");
        }
        statements.add(log.toString());
        StringBuilder kv = new StringBuilder("INSERT INTO other.kv VALUES ");
        for (char c = 'a'; c <= 'z'; c++) {
            kv.append(c > 'a' ? ", " : "").append("('").append(c).append("', ").append((int) c).append(")");
        }
        statements.add(kv.toString());
        servers.source().execute(statements.toArray(String[]::new));
    }

    /** A client writing inserts, updates (also of keys) and deletes until told to stop. */
    private static void write(long seed, AtomicBoolean writing, AtomicLong writes) {
        Random random = new Random(seed);
        try (Connection connection = servers.source().connect(); var statement = connection.createStatement()) {
            while (writing.get()) {
                int id = 1 + random.nextInt(6500);
                switch (random.nextInt(7)) {
                    case 0 -> statement.execute("INSERT IGNORE INTO shop.items (id, name, doc, secret) VALUES ("
                            + (6000 + seed * 100_000 + writes.get()) + ", 'new', '{\"w\": 1}', 5)");
                    case 1 -> statement.execute("UPDATE shop.items SET name = CONCAT('w', " + id + "), ratio = ratio "
                            + "+ 1, secret = secret + 1 WHERE id = " + id);
                    case 2 -> statement.execute("DELETE FROM shop.items WHERE id = " + id);
                    case 3 -> statement.execute("UPDATE shop.orders SET amount = amount + 1 WHERE n = "
                            + random.nextInt(20) + " LIMIT 3");
                    case 4 -> statement.execute("INSERT INTO shop.log VALUES (NOW(), 'writer " + seed + "')");
                    case 5 -> statement.execute("UPDATE IGNORE shop.items SET id = id + 100000 WHERE id = " + id);
                    default -> statement.execute("UPDATE other.kv SET v = v + 1 WHERE k = '"
                            + (char) ('a' + random.nextInt(26)) + "'");
                }
                writes.incrementAndGet();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitCaughtUp(Replica replica) throws InterruptedException {
        GtidSet wanted = GtidSet.parse(servers.source().gtidExecuted());
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!replica.appliedGtids().containsAll(wanted)) {
            assertThat(replica.state()).as("replica state, failure: %s", replica.failure())
                    .isEqualTo(ReplicaState.RUNNING);
            assertThat(System.nanoTime()).as("caught up within 60 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static void assertTablesMatch(String... schemas) throws SQLException {
        try (Connection sourceConnection = servers.source().connect();
             Connection targetConnection = servers.target().connect()) {
            for (String schema : schemas) {
                List<String> tables = TableChecksum.tables(sourceConnection, schema);
                assertThat(TableChecksum.tables(targetConnection, schema)).as("tables of %s", schema)
                        .isEqualTo(tables);
                for (String table : tables) {
                    assertThat(TableChecksum.of(targetConnection, schema, table)).as("%s.%s", schema, table)
                            .isEqualTo(TableChecksum.of(sourceConnection, schema, table));
                }
            }
        }
    }

    private static GtidSet checkpoint() throws SQLException {
        try (Connection connection = servers.target().connect()) {
            return new CheckpointStore("binrelay", "default").load(connection);
        }
    }

    private static SourceSettings sourceSettings() {
        EmbeddedMySql source = servers.source();
        return SourceSettings.builder(source.host(), source.port()).user(source.user()).password(source.password())
                .serverId(4242).startGtids("").heartbeat(Duration.ofSeconds(1)).connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    private static TargetSettings targetSettings() {
        return targetSettings("default");
    }

    private static TargetSettings targetSettings(String channel) {
        EmbeddedMySql target = servers.target();
        return new TargetSettings(target.jdbcUrl(), target.user(), target.password(), "binrelay", channel);
    }
}
