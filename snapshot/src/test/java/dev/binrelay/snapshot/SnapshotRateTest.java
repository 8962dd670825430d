package dev.binrelay.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.binrelay.applier.TargetSettings;
import dev.binrelay.engine.SourceSettings;
import dev.binrelay.testkit.EmbeddedMySql;
import dev.binrelay.testkit.SourceAndTarget;
import dev.binrelay.testkit.TableChecksum;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The copy rate for a million rows in four tables (about 100 bytes a row), with the default threads and chunk size.
 * Manual, not in CI (minutes on 2 cores):
 * {@code mvn -o -pl snapshot -am test -Dtest=SnapshotRateTest -DexcludedGroups=none -Dsurefire.failIfNoSpecifiedTests=false}
 * ({@code -Dbinrelay.rate.rows=N} for another size). The rate is printed and asserted to be positive.
 */
@Tag("manual")
class SnapshotRateTest {
    @RegisterExtension
    static final SourceAndTarget servers = SourceAndTarget.create();

    private static final int ROWS = Integer.getInteger("binrelay.rate.rows", 1_000_000);
    private static final int TABLES = 4;

    @Test
    void copiesAMillionRows() throws Exception {
        EmbeddedMySql source = servers.source();
        EmbeddedMySql target = servers.target();
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
                .source(SourceSettings.builder(source.host(), source.port()).user(source.user())
                        .password(source.password()).serverId(4244).startGtids("")
                        .heartbeat(Duration.ofSeconds(1)).connectTimeout(Duration.ofSeconds(10)).build())
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
        dumpAndReload(source, target);
    }

    /** The same data through {@code mysqldump | mysql} (Debian's mariadb-client), when those are installed. */
    private static void dumpAndReload(EmbeddedMySql source, EmbeddedMySql target) throws Exception {
        if (!new java.io.File("/usr/bin/mysqldump").canExecute() || !new java.io.File("/usr/bin/mysql").canExecute()) {
            System.out.println("SnapshotRateTest: no /usr/bin/mysqldump and mysql: reload not measured");
            return;
        }
        target.execute("DROP DATABASE rate");
        String command = "mysqldump -h " + source.host() + " -P " + source.port() + " -u root --single-transaction "
                + "--skip-ssl --databases rate | mysql -h " + target.host() + " -P " + target.port()
                + " -u root --skip-ssl";
        long start = System.nanoTime();
        Process reload = new ProcessBuilder("bash", "-o", "pipefail", "-c", command).redirectErrorStream(true)
                .start();
        String output = new String(reload.getInputStream().readAllBytes());
        assertThat(reload.waitFor()).as(output).isZero();
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.println(String.format(Locale.ROOT, "SnapshotRateTest: mysqldump | mysql reloaded %d rows in "
                + "%.1f s: %.0f rows/s", ROWS / TABLES * TABLES, seconds, ROWS / TABLES * TABLES / seconds));
        try (Connection from = source.connect(); Connection to = target.connect()) {
            assertThat(TableChecksum.of(to, "rate", "t3")).isEqualTo(TableChecksum.of(from, "rate", "t3"));
        }
    }
}
