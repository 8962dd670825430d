package dev.binrelay.applier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.binrelay.engine.Replica;
import dev.binrelay.engine.SchedulerKind;
import dev.binrelay.testkit.EmbeddedMySql;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Rows whose keys the writeset scheduler must see as equal although their images differ: a large transaction T1 frees
 * a unique value at its very end and a small T2 right after takes it. Writeset, two workers, batches of one: unless
 * T2 depends on T1, T2 runs beside T1 and reaches the target before the value is free. Also the table whose only
 * unique key has a functional part: that key is no row identity.
 */
class WritesetConflictTest {
    @RegisterExtension
    static final ReplicaFixture fixture = new ReplicaFixture();

    @Test
    void functionalKeyPartIsNoRowKeyAndADeleteRemovesOnlyItsRow() throws Exception {
        functionalKeyDelete(builder -> { });
    }

    @Test
    void functionalKeyPartIsNoRowKeyEvenWhenSkipping1032() throws Exception {
        functionalKeyDelete(builder -> { }, 1032);
    }

    @Test
    void minimalImageFreesUniqueValue() throws Exception {
        freeThenTake("CREATE TABLE shop.t (id INT PRIMARY KEY, u VARCHAR(20), UNIQUE KEY uk (u))",
                "INSERT INTO shop.t VALUES (1, 'a')", "DELETE FROM shop.t WHERE id = 1",
                "INSERT INTO shop.t VALUES (2, 'a')", true, true);
    }

    @Test
    void minimalImageFreesUniqueValueUnderRelaxedCommitOrderSkipping1062() throws Exception {
        freeThenTake("CREATE TABLE shop.t (id INT PRIMARY KEY, u VARCHAR(20), UNIQUE KEY uk (u))",
                "INSERT INTO shop.t VALUES (1, 'a')", "DELETE FROM shop.t WHERE id = 1",
                "INSERT INTO shop.t VALUES (2, 'a')", true, false, 1062);
    }

    @Test
    void keylessTableRowWithNullKeyHasNoIdentity() throws Exception {
        freeThenTake("CREATE TABLE shop.t (a INT, u VARCHAR(20), UNIQUE KEY uk (u))",
                "INSERT INTO shop.t VALUES (1, NULL)", "UPDATE shop.t SET a = 5 WHERE a = 1",
                "UPDATE shop.t SET a = 6 WHERE a = 5", false, true);
    }

    @Test
    void prefixKeyConflictsOnThePrefixOnly() throws Exception {
        freeThenTake("CREATE TABLE shop.t (id INT PRIMARY KEY, email VARCHAR(40), UNIQUE KEY uk (email(5)))",
                "INSERT INTO shop.t VALUES (1, 'alice@one.example')", "DELETE FROM shop.t WHERE id = 1",
                "INSERT INTO shop.t VALUES (2, 'alice@two.example')", false, true);
    }

    @Test
    void accentInsensitiveCollationConflictsOnEqualText() throws Exception {
        freeThenTake("CREATE TABLE shop.t (id INT PRIMARY KEY, u VARCHAR(20) COLLATE utf8mb4_0900_ai_ci, "
                        + "UNIQUE KEY uk (u))",
                "INSERT INTO shop.t VALUES (1, 'strasse')", "DELETE FROM shop.t WHERE id = 1",
                "INSERT INTO shop.t VALUES (2, 'straße')", false, true);
    }

    @Test
    void generalCiCollationConflictsOnSharpSAndS() throws Exception {
        freeThenTake("CREATE TABLE shop.t (id INT PRIMARY KEY, u VARCHAR(20) COLLATE utf8mb4_general_ci, "
                        + "UNIQUE KEY uk (u))",
                "INSERT INTO shop.t VALUES (1, 'stra')", "DELETE FROM shop.t WHERE id = 1",
                "INSERT INTO shop.t VALUES (2, 'ßtra')", false, true);
    }

    @Test
    void oneByteCollationConflictsOnAnExpansion() throws Exception {
        freeThenTake("CREATE TABLE shop.t (id INT PRIMARY KEY, u VARCHAR(20) CHARACTER SET latin1 "
                        + "COLLATE latin1_german2_ci, UNIQUE KEY uk (u))",
                "INSERT INTO shop.t VALUES (1, 'strae')", "DELETE FROM shop.t WHERE id = 1",
                "INSERT INTO shop.t VALUES (2, 'strä')", false, true);
    }

    private static void functionalKeyDelete(Consumer<Replica.Builder> options, Integer... skip) throws Exception {
        createOnBoth("CREATE TABLE shop.t (a INT NOT NULL, b VARCHAR(10), UNIQUE KEY uk (a, (LOWER(b))))");
        fixture.fixStartPositionNow();
        Replica replica = start(options, skip);
        fixture.source().execute("INSERT INTO shop.t VALUES (1, 'x'), (1, 'y')", "DELETE FROM shop.t WHERE b = 'x'");
        fixture.awaitCaughtUp(replica);
        fixture.assertTablesMatch("shop");
        // The scheduler saw the conflict itself: the safety net (which would also have made the tables match) had
        // nothing to run again.
        assertThat(replica.status().scheduler().dependencyMisses().total()).as("dependency misses").isZero();
        replica.stop();
    }

    /**
     * Prepares the row with {@code setup}; then T1 (many filler rows, then {@code free}) and T2 ({@code take}), with
     * the source logging MINIMAL images if asked; the target must end as the source.
     */
    private static void freeThenTake(String create, String setup, String free, String take, boolean minimal,
                                     boolean preserveCommitOrder, Integer... skip) throws Exception {
        createOnBoth(create, "CREATE TABLE shop.filler (id INT PRIMARY KEY, pad VARCHAR(200))");
        fixture.source().execute(setup);
        fixture.target().execute(setup);
        fixture.fixStartPositionNow();
        Replica replica = start(builder -> builder.scheduler(SchedulerKind.WRITESET).workers(2).batchSize(1)
                .preserveCommitOrder(preserveCommitOrder), skip);
        List<String> statements = new ArrayList<>();
        statements.add("SET SESSION binlog_row_image = '" + (minimal ? "MINIMAL" : "FULL") + "'");
        statements.add("BEGIN");
        for (int i = 0; i < 40; i++) {
            StringBuilder insert = new StringBuilder("INSERT INTO shop.filler VALUES ");
            for (int j = 0; j < 100; j++) {
                int id = i * 100 + j;
                insert.append(j == 0 ? "" : ", ").append("(").append(id).append(", REPEAT('p', 200))");
            }
            statements.add(insert.toString());
        }
        statements.add(free);
        statements.add("COMMIT");
        statements.add(take);
        fixture.source().execute(statements.toArray(String[]::new));
        fixture.awaitCaughtUp(replica);
        fixture.assertTablesMatch("shop");
        // The scheduler saw the conflict itself: the safety net (which would also have made the tables match) had
        // nothing to run again.
        assertThat(replica.status().scheduler().dependencyMisses().total()).as("dependency misses").isZero();
        replica.stop();
    }

    private static void createOnBoth(String... statements) {
        for (EmbeddedMySql server : List.of(fixture.source(), fixture.target())) {
            server.execute("CREATE DATABASE shop");
            server.execute(statements);
        }
    }

    private static Replica start(Consumer<Replica.Builder> options, Integer... skip) {
        TargetSettings plain = fixture.targetSettings();
        return fixture.startReplica(new JdbcApplier(new TargetSettings(plain.url(), plain.user(), plain.password(),
                plain.checkpointSchema(), plain.channel(), Set.of(skip))), options);
    }
}
