package dev.binrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.testkit.SourceAndTarget;
import dev.binrelay.testkit.TableChecksum;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Source transactions far larger than the daemon's heap (one of many rows, one of large BLOBs, and a compressed
 * one updating a quarter of the rows) replicate
 * through the daemon in its own JVM with a capped heap and {@code -XX:+ExitOnOutOfMemoryError}: they can only
 * succeed if they are streamed, not held whole.
 *
 * <p>CI runs a small size. The full size (1,000,000 rows, 1 GiB of BLOBs, {@code -Xmx256m}):
 * {@code mvn -q -B install -DskipTests}, then {@code mvn -B -pl cli test -Phuge}. Sizes:
 * {@code -Dbinrelay.huge.rows}, {@code -Dbinrelay.huge.blobMiB}, {@code -Dbinrelay.huge.heap}.
 */
class HugeTransactionTest {
    private static final int ROWS = Integer.getInteger("binrelay.huge.rows", 200_000);
    private static final int BLOB_MIB = Integer.getInteger("binrelay.huge.blobMiB", 160);
    private static final String HEAP = System.getProperty("binrelay.huge.heap", "96m");
    private static final int MIB = 1 << 20;
    @RegisterExtension
    static final SourceAndTarget servers = SourceAndTarget.create().keepSchemasBetweenTests();

    @TempDir
    Path folder;

    @Test
    void transactionsLargerThanTheHeapReplicateExactly() throws Exception {
        servers.source().execute("CREATE DATABASE huge",
                "CREATE TABLE huge.sbtest (id INT PRIMARY KEY, k INT NOT NULL, c CHAR(120) NOT NULL, "
                        + "pad CHAR(60) NOT NULL, KEY k (k))",
                "CREATE TABLE huge.blobs (id INT PRIMARY KEY, body LONGBLOB NOT NULL)");
        Process daemon = startDaemon();
        try {
            long started = System.nanoTime();
            try (Connection connection = servers.source().connect();
                 Statement statement = connection.createStatement()) {
                statement.execute("SET SESSION cte_max_recursion_depth = " + (ROWS + 1));
                statement.execute("INSERT INTO huge.sbtest WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL "
                        + "SELECT i + 1 FROM n WHERE i < " + ROWS + ") SELECT i, i % 1000, "
                        + "LPAD(CONCAT(i, '-', MD5(i)), 120, 'c'), LPAD(MD5(i * 7), 60, 'p') FROM n");
                connection.setAutoCommit(false);
                writeBlobs(connection);
                connection.commit();
                // A compressed transaction arrives as one TRANSACTION_PAYLOAD event: decoded event by event.
                statement.execute("SET SESSION binlog_transaction_compression = ON");
                statement.execute("UPDATE huge.sbtest SET k = k + 1, c = REVERSE(c) WHERE id % 4 = 0");
                connection.commit();
            }
            long written = System.nanoTime();
            System.out.printf("HugeTransactionTest: source wrote %,d rows in one transaction, %,d MiB of BLOBs in "
                    + "another and updated %,d rows in a compressed one in %.1f s; daemon heap -Xmx%s%n", ROWS,
                    BLOB_MIB, ROWS / 4, seconds(written - started), HEAP);

            GtidSet wanted = GtidSet.parse(servers.source().gtidExecuted());
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
            while (!ForkedDaemon.checkpoint(servers.target()).containsAll(wanted)) {
                assertThat(daemon.isAlive()).as("daemon alive (no OutOfMemoryError); log:%n%s", log()).isTrue();
                assertThat(System.nanoTime()).as("caught up within 30 minutes").isLessThan(deadline);
                Thread.sleep(200);
            }
            System.out.printf("HugeTransactionTest: target caught up %.1f s after the source finished writing%n",
                    seconds(System.nanoTime() - written));
            assertThat(log()).contains("streaming it");
            try (Connection s = servers.source().connect(); Connection t = servers.target().connect()) {
                for (String table : List.of("sbtest", "blobs")) {
                    assertThat(TableChecksum.of(t, "huge", table)).as(table)
                            .isEqualTo(TableChecksum.of(s, "huge", table));
                }
                assertThat(count(t, "SELECT COUNT(*) FROM huge.sbtest")).isEqualTo(ROWS);
                assertThat(count(t, "SELECT SUM(LENGTH(body)) FROM huge.blobs")).isEqualTo((long) BLOB_MIB * MIB);
            }
            daemon.destroy(); // SIGTERM: a clean stop
            assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(daemon.exitValue()).as("exit code; log:%n%s", log()).isZero();
        } finally {
            daemon.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** One MiB per row, each different, in the open transaction. */
    private static void writeBlobs(Connection connection) throws SQLException {
        Random random = new Random(42);
        byte[] body = new byte[MIB];
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO huge.blobs VALUES (?, ?)")) {
            for (int id = 1; id <= BLOB_MIB; id++) {
                random.nextBytes(body);
                body[body.length - 1] = 0; // a trailing 0x00 must survive
                insert.setInt(1, id);
                insert.setBytes(2, body);
                insert.executeUpdate();
            }
        }
    }

    private Process startDaemon() throws Exception {
        Path config = folder.resolve("binrelay.yaml");
        Files.writeString(config, String.join("\n",
                "source:",
                "  host: 127.0.0.1",
                "  port: " + servers.source().port(),
                "  user: root",
                "  password: ''",
                "  serverId: 4545",
                "target:",
                "  url: " + servers.target().jdbcUrl(),
                "  user: root",
                "  password: ''",
                "applier:",
                "  scheduler: writeset",
                "  workers: 2",
                "  queueBytes: 16777216",
                "progress:",
                "  intervalSeconds: 5",
                ""));
        return ForkedDaemon.start(config, folder.resolve("daemon.log"), "-Xmx" + HEAP, "-XX:+ExitOnOutOfMemoryError");
    }

    private String log() throws Exception {
        return ForkedDaemon.output(folder.resolve("daemon.log"));
    }

    private static long count(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
