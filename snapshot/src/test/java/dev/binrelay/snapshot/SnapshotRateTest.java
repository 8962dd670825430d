package dev.binrelay.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.binrelay.applier.TargetSettings;
import dev.binrelay.engine.SourceSettings;
import dev.binrelay.testkit.EmbeddedMySql;
import dev.binrelay.testkit.TableChecksum;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The copy rate for a million rows in four tables (about 100 bytes a row), with the default threads and chunk size.
 * Manual, not in CI (minutes on 2 cores):
 * {@code mvn -o -pl snapshot -am test -Dtest=SnapshotRateTest -DexcludedGroups=none -Dsurefire.failIfNoSpecifiedTests=false}
 * ({@code -Dbinrelay.rate.rows=N} for another size). The rate is printed and asserted to be positive.
 */
@Tag("manual")
class SnapshotRateTest {
    private static final int ROWS = Integer.getInteger("binrelay.rate.rows", 1_000_000);
    private static final int TABLES = 4;

    @Test
    void copiesAMillionRows() throws Exception {
        CompletableFuture<EmbeddedMySql> startingTarget = CompletableFuture.supplyAsync(EmbeddedMySql::startTarget);
        try (EmbeddedMySql source = EmbeddedMySql.startSource(); EmbeddedMySql target = startingTarget.join()) {
            List<String> statements = new ArrayList<>(List.of("CREATE DATABASE rate",
                    "SET SESSION cte_max_recursion_depth = 10000000"));
            for (int t = 0; t < TABLES; t++) {
                statements.add("CREATE TABLE rate.t" + t + " (id INT PRIMARY KEY, account BIGINT NOT NULL, "
                        + "name VARCHAR(40) NOT NULL, amount DECIMAL(12,2), created DATETIME(6), note VARCHAR(40), "
                        + "KEY (account))");
                statements.add("INSERT INTO rate.t" + t + " WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 "
                        + "FROM n WHERE i < " + ROWS / TABLES + ") SELECT i, i * 7919, CONCAT('name ', i), i / 100, "
                        + "'2024-01-01 00:00:00.123456' + INTERVAL i SECOND, REPEAT('x', 30) FROM n");
            }
            try (Connection connection = source.connect(); var statement = connection.createStatement()) {
                for (String sql : statements) {
                    statement.execute(sql);
                }
            }
            Snapshot snapshot = Snapshot.builder()
                    .source(new SourceSettings(source.host(), source.port(), source.user(), source.password(), 4244,
                            "", Duration.ofSeconds(1), Duration.ofSeconds(10)))
                    .target(new TargetSettings(target.jdbcUrl(), target.user(), target.password(), "binrelay",
                            "default"))
                    .progressInterval(Duration.ofSeconds(5)).build();

            SnapshotResult result = snapshot.run();

            System.out.println(String.format(Locale.ROOT, "SnapshotRateTest: %d rows in %d tables copied in %.1f s: "
                    + "%.0f rows/s", result.rows(), result.tables(), result.seconds(), result.rowsPerSecond()));
            assertThat(result.rows()).isEqualTo(ROWS / TABLES * TABLES);
            try (Connection from = source.connect(); Connection to = target.connect()) {
                assertThat(TableChecksum.of(to, "rate", "t0")).isEqualTo(TableChecksum.of(from, "rate", "t0"));
            }
        }
    }
}
