package dev.binrelay.applier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.engine.Replica;
import dev.binrelay.engine.ReplicaState;
import dev.binrelay.engine.SourceSettings;
import dev.binrelay.testkit.EmbeddedMySql;
import dev.binrelay.testkit.SourceAndTarget;
import dev.binrelay.testkit.TableChecksum;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A chain A -> binrelay -> B (binary log on) -> binrelay -> C: B logs binrelay's checkpoint rows and DDL marker with
 * the rows it applies, and the second binrelay must not copy them into C, whose own applier keeps its own checkpoint
 * in the same schema.
 */
class ChainReplicationTest {
    /** A (the source), B (the target, with binary log and GTIDs) and C (the second target, none). */
    @RegisterExtension
    static final SourceAndTarget servers = SourceAndTarget.create().withTarget(EmbeddedMySql::startSource)
            .withSecondTarget(EmbeddedMySql::startTarget).keepSchemasBetweenTests();

    @Test
    void theMiddleServersCheckpointIsNotCopiedDownTheChainWhileTheUserTablesAre() throws Exception {
        EmbeddedMySql a = servers.source();
        EmbeddedMySql b = servers.target();
        EmbeddedMySql c = servers.secondTarget();
        // B -> C first, so that the checkpoint schema B's applier creates on B (its DDL) goes through it too.
        Replica bToC = replica(b, c, 7201, "from_b");
        Replica aToB = replica(a, b, 7202, "from_a");
        try {
            a.execute("CREATE DATABASE shop",
                    "CREATE TABLE shop.orders (id INT PRIMARY KEY, qty INT NOT NULL)",
                    "INSERT INTO shop.orders VALUES (1, 1), (2, 2), (3, 3)",
                    "ALTER TABLE shop.orders ADD COLUMN note VARCHAR(20) NULL",
                    "UPDATE shop.orders SET qty = qty + 10, note = 'x' WHERE id <= 2",
                    "DELETE FROM shop.orders WHERE id = 3",
                    "CREATE TABLE shop.lines (order_id INT, n INT, PRIMARY KEY (order_id, n))",
                    "INSERT INTO shop.lines VALUES (1, 1), (1, 2), (2, 1)");
            awaitCaughtUp(aToB, a, bToC, b);

            try (Connection onA = a.connect(); Connection onC = c.connect()) {
                assertThat(TableChecksum.tables(onC, "shop")).containsExactlyInAnyOrder("orders", "lines");
                for (String table : List.of("orders", "lines")) {
                    assertThat(TableChecksum.of(onC, "shop", table)).as(table)
                            .isEqualTo(TableChecksum.of(onA, "shop", table));
                }
            }
            // B holds A->B's checkpoint (channel from_a, A's GTIDs): there was something to copy.
            assertThat(b.queryString("SELECT GROUP_CONCAT(DISTINCT CONCAT(channel, ' ', source_uuid)) "
                    + "FROM binrelay.gtid_executed")).isEqualTo("from_a " + a.serverUuid());
            // C holds only its own channel's rows, for B's GTIDs, and no DDL note of B's.
            assertThat(c.queryString("SELECT GROUP_CONCAT(DISTINCT CONCAT(channel, ' ', source_uuid)) "
                    + "FROM binrelay.gtid_executed")).isEqualTo("from_b " + b.serverUuid());
            assertThat(c.queryString("SELECT COUNT(*) FROM binrelay.ddl_in_progress WHERE channel <> 'from_b'"))
                    .isEqualTo("0");
            assertThat(c.queryString("SELECT GROUP_CONCAT(TABLE_NAME ORDER BY TABLE_NAME) "
                    + "FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'binrelay'"))
                    .isEqualTo("ddl_in_progress,gtid_executed");
        } finally {
            aToB.stop();
            bToC.stop();
        }
    }

    private static Replica replica(EmbeddedMySql from, EmbeddedMySql to, long clientServerId, String channel) {
        SourceSettings source = SourceSettings.builder(from.host(), from.port()).user(from.user())
                .password(from.password()).serverId(clientServerId).startGtids("current")
                .heartbeat(Duration.ofSeconds(1)).connectTimeout(Duration.ofSeconds(10)).build();
        Replica replica = Replica.builder().source(source).applier(new JdbcApplier(new TargetSettings(to.jdbcUrl(),
                to.user(), to.password(), "binrelay", channel))).build();
        replica.start();
        return replica;
    }

    /** Waits until {@code first} applied all {@code firstSource} executed, then {@code second} likewise. */
    private static void awaitCaughtUp(Replica first, EmbeddedMySql firstSource, Replica second,
                                      EmbeddedMySql secondSource) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!(first.appliedGtids().containsAll(GtidSet.parse(firstSource.gtidExecuted()))
                && second.appliedGtids().containsAll(GtidSet.parse(secondSource.gtidExecuted())))) {
            assertThat(first.state()).as("first: %s", first.failure()).isEqualTo(ReplicaState.RUNNING);
            assertThat(second.state()).as("second: %s", second.failure()).isEqualTo(ReplicaState.RUNNING);
            assertThat(System.nanoTime()).as("caught up within 90 s").isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
