package dev.binrelay.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EmbeddedMariaDbTest {

    @BeforeAll
    static void needsMariaDb() {
        assumeTrue(EmbeddedMariaDb.availability().isEmpty(), () -> EmbeddedMariaDb.availability().orElse(""));
    }

    @Test
    void sourceLogsFullRowsWithMetadataAndKeepsDataAcrossKillAndRestart() {
        try (EmbeddedMySql source = EmbeddedMariaDb.startSource()) {
            assertThat(source.queryString("SELECT VERSION()")).contains("MariaDB");
            assertThat(source.queryString("SELECT @@log_bin")).isEqualTo("1");
            assertThat(source.queryString("SELECT @@binlog_format")).isEqualTo("ROW");
            assertThat(source.queryString("SELECT @@binlog_row_image")).isEqualTo("FULL");
            assertThat(source.queryString("SELECT @@binlog_row_metadata")).isEqualTo("FULL");
            source.execute("CREATE DATABASE kit", "CREATE TABLE kit.t (id INT PRIMARY KEY)", "INSERT INTO kit.t VALUES (1)");
            String serverId = source.queryString("SELECT @@server_id");
            assertThat(source.queryString("SELECT @@gtid_binlog_pos")).isEqualTo("0-" + serverId + "-3");

            source.kill();
            source.start();

            assertThat(source.queryString("SELECT COUNT(*) FROM kit.t")).isEqualTo("1");
            source.dropUserSchemas();
            assertThat(source.queryString("SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = 'kit'"))
                    .isEqualTo("0");
        }
    }

    @Test
    void targetHasNoBinlog() {
        try (EmbeddedMySql target = EmbeddedMariaDb.startTarget()) {
            assertThat(target.queryString("SELECT @@log_bin")).isEqualTo("0");
        }
    }
}
