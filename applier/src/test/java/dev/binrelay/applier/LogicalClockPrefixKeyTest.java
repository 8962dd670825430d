package dev.binrelay.applier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.binrelay.engine.Replica;
import dev.binrelay.engine.SchedulerKind;
import dev.binrelay.testkit.EmbeddedMySql;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The source's logical clock misses a dependency on a prefix unique key: with
 * {@code binlog_transaction_dependency_tracking=WRITESET}, MySQL hashes a key part's whole value, not the indexed
 * prefix. T1 (large) takes {@code 'alice@one'} under {@code UNIQUE (email(5))}, T2 frees it, T3 (small) takes
 * {@code 'alice@two'}: on the clock T3 depends on neither. With relaxed commit order T3 commits while T1 still applies
 * its filler rows, and T1 then fails on the duplicate prefix with nothing before it uncommitted: no retry cures that.
 * Found by the differential tester's soak (seed 431862).
 */
class LogicalClockPrefixKeyTest {
    @RegisterExtension
    static final ReplicaFixture fixture = new ReplicaFixture();

    @Test
    void aPrefixKeyTakenAfterItWasFreedWaitsForTheTransactionsThatHeldIt() throws Exception {
        String tracking = fixture.source().queryString("SELECT @@global.binlog_transaction_dependency_tracking");
        fixture.source().execute("SET GLOBAL binlog_transaction_dependency_tracking = 'WRITESET'");
        try {
            for (EmbeddedMySql server : List.of(fixture.source(), fixture.target())) {
                server.execute("CREATE DATABASE shop",
                        "CREATE TABLE shop.t (id INT PRIMARY KEY, email VARCHAR(40), UNIQUE KEY uk (email(5)))",
                        "CREATE TABLE shop.filler (id INT PRIMARY KEY, pad VARCHAR(200))");
            }
            fixture.fixStartPositionNow();
            Replica replica = fixture.startReplica(builder -> builder.scheduler(SchedulerKind.LOGICAL_CLOCK)
                    .workers(2).batchSize(1).preserveCommitOrder(false));
            for (int round = 0; round < 5; round++) {
                List<String> statements = new ArrayList<>();
                statements.add("BEGIN");
                for (int i = 0; i < 40; i++) {
                    StringBuilder insert = new StringBuilder("INSERT INTO shop.filler VALUES ");
                    for (int j = 0; j < 100; j++) {
                        int id = round * 10_000 + i * 100 + j;
                        insert.append(j == 0 ? "" : ", ").append("(").append(id).append(", REPEAT('p', 200))");
                    }
                    statements.add(insert.toString());
                }
                statements.add("INSERT INTO shop.t VALUES (" + (2 * round + 1) + ", 'alice@one.example')");
                statements.add("COMMIT");
                statements.add("DELETE FROM shop.t WHERE id = " + (2 * round + 1));
                statements.add("INSERT INTO shop.t VALUES (" + (2 * round + 2) + ", 'alice@two.example')");
                statements.add("DELETE FROM shop.t WHERE id = " + (2 * round + 2));
                fixture.source().execute(statements.toArray(String[]::new));
            }
            fixture.awaitCaughtUp(replica);
            fixture.assertTablesMatch("shop");
            assertThat(fixture.target().queryString("SELECT COUNT(*) FROM shop.filler")).isEqualTo("20000");
            // binrelay's own prefix keys ordered T3 after T2: nothing ran early and had to be applied again.
            assertThat(replica.status().scheduler().dependencyMisses().total()).as("dependency misses").isZero();
            replica.stop();
        } finally {
            fixture.source().execute("SET GLOBAL binlog_transaction_dependency_tracking = '" + tracking + "'");
        }
    }
}
