package dev.binrelay.applier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.binrelay.engine.Replica;
import dev.binrelay.engine.ReplicationFilter;
import dev.binrelay.testkit.EmbeddedMySql;
import dev.binrelay.testkit.NativeReplica;
import dev.binrelay.testkit.SourceAndTarget;
import dev.binrelay.testkit.TableChecksum;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * binrelay's filters against MySQL's own: for each configuration, a native MySQL 8.0.31 replica and binrelay take
 * the same row-based workload from one source with the same rules, and must end with the same databases, tables and
 * rows; each configuration must also drop some of the workload and keep some, so a filter that does nothing fails.
 *
 * <p>The schema is created before either replica starts and seeded identically on both targets: MySQL filters DDL by
 * the default database and binrelay by the tables it names (a documented difference), so DDL stays out of the
 * compared workload except where the two agree.
 */
class FilterDifferentialTest {
    /** The second target is MySQL's own replica of the source. */
    @RegisterExtension
    static final ReplicaFixture fixture = new ReplicaFixture(SourceAndTarget.create().withSecondTarget(
            () -> EmbeddedMySql.builder().name("native-replica").gtid(true).option("--skip-replica-start=ON")
                    .option("--relay-log=relay").start()));

    /** The workload's tables by database; names chosen for the wildcards (tmp_1 vs tmpx, t_a vs tXa, case). */
    private static final Map<String, List<String>> SCHEMA = schema();
    private static final int ROUNDS = 8;
    private static final Set<String> BINRELAY_SCHEMAS = Set.of("binrelay");


    static Stream<Arguments> configurations() {
        return Stream.of(
                Arguments.of(FilterRules.named("doDb alone").doDb("shop", "crm"),
                        // DDL on which both agree, as the default database is the table's: newt kept, newx not.
                        List.of("USE shop", "CREATE TABLE newt (id INT PRIMARY KEY, v INT)",
                                "INSERT INTO newt VALUES (1, 1), (2, 2)", "UPDATE newt SET v = 5 WHERE id = 2",
                                "USE scratch", "CREATE TABLE newx (id INT PRIMARY KEY, v INT)",
                                "INSERT INTO newx VALUES (1, 1)")),
                Arguments.of(FilterRules.named("ignoreDb alone").ignoreDb("scratch", "prod"), List.of()),
                Arguments.of(FilterRules.named("doDb + ignoreDb: ignoreDb not consulted").doDb("shop")
                        .ignoreDb("shop", "crm"), List.of()),
                Arguments.of(FilterRules.named("doTable alone").doTable("shop.orders", "crm.users", "Shop.Orders"),
                        List.of()),
                Arguments.of(FilterRules.named("ignoreTable alone").ignoreTable("shop.orders", "prod.audit"),
                        List.of()),
                Arguments.of(FilterRules.named("wildDoTable with % and _").wildDoTable("%.t_a", "scr%.%",
                        "sho_.tmp%"), List.of()),
                Arguments.of(FilterRules.named("wildIgnoreTable with escaped \\_").wildIgnoreTable("%.tmp\\_%"),
                        List.of()),
                Arguments.of(FilterRules.named("doTable + wildIgnoreTable").doTable("shop.tmp_1")
                        .wildIgnoreTable("shop.tmp\\_%", "crm.%"), List.of()),
                Arguments.of(FilterRules.named("ignoreTable is tested before wildDoTable").ignoreTable("shop.t_a")
                        .wildDoTable("shop.%"), List.of()),
                Arguments.of(FilterRules.named("ignoreDb + wildDoTable").ignoreDb("crm").wildDoTable("%.t_a"),
                        List.of()),
                Arguments.of(FilterRules.named("doDb + doTable on another database").doDb("shop")
                        .doTable("shop.orders", "crm.users"), List.of()),
                Arguments.of(FilterRules.named("rewriteDb + ignoreTable naming the target database")
                        .rewriteDb("prod", "staging").ignoreTable("staging.audit", "prod.orders"), List.of()),
                // doDb prod names a source database that only exists rewritten: it keeps nothing.
                Arguments.of(FilterRules.named("rewriteDb + doDb naming the target database")
                        .rewriteDb("prod", "staging").doDb("staging", "scratch", "prod"), List.of()),
                // One step: scratch goes to prod and stays there (chained, its log table would have nowhere to go).
                Arguments.of(FilterRules.named("rewriteDb is one step").rewriteDb("scratch", "prod")
                        .rewriteDb("prod", "staging").ignoreDb("shop"), List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configurations")
    void nativeReplicaAndBinrelayKeepTheSameTablesAndRows(FilterRules rules, List<String> moreWorkload)
            throws Exception {
        ReplicationFilter filter = rules.toFilter();
        EmbeddedMySql nativeServer = fixture.secondTarget();
        NativeReplica nativeReplica = new NativeReplica(nativeServer, fixture.source());
        nativeReplica.remove();
        nativeServer.dropUserSchemas();
        List<String> ddl = createSchema(db -> db);
        fixture.source().execute(ddl.toArray(String[]::new));
        List<String> seed = createSchema(filter::targetDatabase);
        nativeServer.execute(seed.toArray(String[]::new));
        fixture.target().execute(seed.toArray(String[]::new));

        // A new channel that takes what follows the schema, with the configuration's rules (set while the channel's
        // applier thread is stopped: it has not started yet).
        nativeReplica.replaceGtidHistory(fixture.source().gtidExecuted());
        nativeReplica.configure();
        nativeServer.execute(rules.changeReplicationFilter());
        nativeReplica.start();
        Replica binrelay = fixture.startReplica(builder -> builder.filter(filter).workers(4));
        try {
            runWorkload();
            fixture.source().execute(moreWorkload.toArray(String[]::new));

            assertThat(nativeReplica.awaitApplied(fixture.source().gtidExecuted(), Duration.ofSeconds(60)))
                    .as("MySQL's replica caught up within 60 s").isTrue();
            fixture.awaitCaughtUp(binrelay);
        } finally {
            binrelay.stop();
            nativeReplica.remove();
        }

        Map<String, TableChecksum> mysql = contents(nativeServer);
        Map<String, TableChecksum> ours = contents(fixture.target());
        assertThat(ours).as("binrelay's target against MySQL's replica, %s", filter).isEqualTo(mysql);
        assertFiltersSomethingAndKeepsSomething(filter, mysql);
    }

    /**
     * Every source table must have arrived whole or not at all (empty or absent), and both kinds must occur: a
     * configuration that keeps everything or nothing would let a broken filter pass.
     */
    private static void assertFiltersSomethingAndKeepsSomething(ReplicationFilter filter,
                                                                Map<String, TableChecksum> target)
            throws SQLException {
        Set<String> kept = new TreeSet<>();
        Set<String> dropped = new TreeSet<>();
        Map<String, TableChecksum> source = contents(fixture.source());
        source.forEach((table, checksum) -> {
            if (table.endsWith(".")) {
                return; // a database, not a table
            }
            int dot = table.indexOf('.');
            TableChecksum arrived = target.get(filter.targetDatabase(table.substring(0, dot))
                    + table.substring(dot));
            if (checksum.equals(arrived)) {
                kept.add(table);
            } else {
                assertThat(arrived == null || arrived.rows() == 0).as("%s arrived whole or not at all: %s",
                        table, arrived).isTrue();
                dropped.add(table);
            }
        });
        assertThat(kept).as("kept (dropped: %s)", dropped).isNotEmpty();
        assertThat(dropped).as("dropped (kept: %s)", kept).isNotEmpty();
    }

    /**
     * Round by round: one transaction writing every table (kept and filtered rows together), one per database,
     * a transaction and a single statement (multi-table UPDATE) across databases, and deletes.
     */
    private static void runWorkload() throws SQLException {
        List<String> all = new ArrayList<>();
        SCHEMA.forEach((db, tables) -> tables.forEach(table -> all.add(db + ".`" + table + "`")));
        try (Connection connection = fixture.source().connect(); Statement statement = connection.createStatement()) {
            for (int i = 0; i < ROUNDS; i++) {
                statement.execute("BEGIN");
                for (String table : all) {
                    statement.execute("INSERT INTO " + table + " VALUES (" + i + ", " + i + "), (" + (i + 100)
                            + ", " + i + ")");
                }
                statement.execute("COMMIT");
                for (Map.Entry<String, List<String>> db : SCHEMA.entrySet()) {
                    statement.execute("BEGIN");
                    for (String table : db.getValue()) {
                        statement.execute("UPDATE " + db.getKey() + ".`" + table + "` SET v = v + 1 WHERE id = "
                                + i);
                    }
                    statement.execute("COMMIT");
                }
                statement.execute("BEGIN");
                statement.execute("UPDATE Shop.Orders SET v = v * 3 WHERE id = " + i);
                statement.execute("UPDATE shop.orders SET v = v * 2 WHERE id = " + i);
                statement.execute("DELETE FROM crm.users WHERE id = " + (i + 100));
                statement.execute("INSERT INTO scratch.log VALUES (" + (i + 200) + ", " + i + ")");
                statement.execute("UPDATE prod.audit SET v = v + 3 WHERE id <= " + i);
                statement.execute("COMMIT");
                statement.execute("UPDATE shop.orders o JOIN crm.users u ON o.id = u.id JOIN prod.tmp_1 p"
                        + " ON p.id = o.id SET o.v = o.v + 10, u.v = u.v + 10, p.v = p.v + 10 WHERE o.id = " + i);
                if (i % 2 == 1) {
                    for (String table : all) {
                        statement.execute("DELETE FROM " + table + " WHERE id = " + (i + 99));
                    }
                }
            }
        }
    }

    private interface DatabaseNames {
        String map(String database);
    }

    private static List<String> createSchema(DatabaseNames names) {
        List<String> statements = new ArrayList<>();
        SCHEMA.forEach((db, tables) -> {
            String target = names.map(db);
            statements.add("CREATE DATABASE " + target);
            tables.forEach(table -> statements.add("CREATE TABLE " + target + ".`" + table
                    + "` (id INT PRIMARY KEY, v INT)"));
        });
        return statements;
    }

    /** Every user table's checksum by {@code db.table}, without binrelay's checkpoint schema. */
    private static Map<String, TableChecksum> contents(EmbeddedMySql server) throws SQLException {
        Map<String, TableChecksum> contents = new TreeMap<>();
        try (Connection connection = server.connect()) {
            for (String schema : userSchemas(connection)) {
                for (String table : TableChecksum.tables(connection, schema)) {
                    contents.put(schema + "." + table, TableChecksum.of(connection, schema, table));
                }
                // An empty database counts too: both sides must have the same databases.
                contents.putIfAbsent(schema + ".", new TableChecksum(0, ""));
            }
        }
        return contents;
    }

    private static List<String> userSchemas(Connection connection) throws SQLException {
        List<String> schemas = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT schema_name FROM information_schema.schemata"
                     + " WHERE schema_name NOT IN ('mysql', 'sys', 'information_schema', 'performance_schema')")) {
            while (rows.next()) {
                if (!BINRELAY_SCHEMAS.contains(rows.getString(1))) {
                    schemas.add(rows.getString(1));
                }
            }
        }
        return schemas;
    }

    private static Map<String, List<String>> schema() {
        Map<String, List<String>> schema = new LinkedHashMap<>();
        schema.put("shop", List.of("orders", "tmp_1", "tmpx", "t_a", "tXa", "TMP_2"));
        schema.put("crm", List.of("users", "t_a", "audit"));
        schema.put("scratch", List.of("tmp_1", "log"));
        schema.put("prod", List.of("orders", "audit", "tmp_1"));
        // Names differ from shop's only in case: MySQL on Linux compares them case-sensitively.
        schema.put("Shop", List.of("orders", "Orders"));
        return schema;
    }
}
