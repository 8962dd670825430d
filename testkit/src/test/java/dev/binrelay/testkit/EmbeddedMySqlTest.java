package dev.binrelay.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EmbeddedMySqlTest {

    @Test
    void sourceHasGtidsAndRowBinlogAndKeepsDataAcrossKillAndRestart() {
        try (EmbeddedMySql source = EmbeddedMySql.startSource()) {
            assertThat(source.queryString("SELECT @@version")).isEqualTo("8.0.31");
            assertThat(source.queryString("SELECT @@gtid_mode")).isEqualTo("ON");
            assertThat(source.queryString("SELECT @@binlog_format")).isEqualTo("ROW");
            assertThat(source.queryString("SELECT @@log_bin")).isEqualTo("1");
            source.execute("CREATE DATABASE kit", "CREATE TABLE kit.t (id INT PRIMARY KEY)", "INSERT INTO kit.t VALUES (1)");
            assertThat(source.gtidExecuted()).startsWith(source.serverUuid() + ":1-3");

            source.kill();
            source.start();

            assertThat(source.queryString("SELECT COUNT(*) FROM kit.t")).isEqualTo("1");
            source.dropUserSchemas();
            assertThat(source.queryString("SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = 'kit'"))
                    .isEqualTo("0");
        }
    }

    @Test
    void twoServersGetDistinctUuidsAndTargetHasNoBinlog() {
        try (EmbeddedMySql a = EmbeddedMySql.startTarget(); EmbeddedMySql b = EmbeddedMySql.startTarget()) {
            assertThat(a.serverUuid()).isNotEqualTo(b.serverUuid());
            assertThat(a.port()).isNotEqualTo(b.port());
            assertThat(a.queryString("SELECT @@log_bin")).isEqualTo("0");
            assertThat(a.queryString("SELECT @@server_id")).isNotEqualTo(b.queryString("SELECT @@server_id"));
        }
    }

    @Test
    void mysqldDiesWithAJvmKilledBySigkill() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), StartAndWait.class.getName())
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String line;
        long mysqldPid = -1;
        Path childFolder = null;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("DIR ")) {
                childFolder = Path.of(line.substring(4).trim());
            }
            if (line.startsWith("PID ")) {
                mysqldPid = Long.parseLong(line.substring(4).trim());
                break;
            }
        }
        assertThat(mysqldPid).as("child JVM reported its mysqld pid").isPositive();
        assertThat(ProcessHandle.of(mysqldPid)).isPresent();

        child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (ProcessHandle.of(mysqldPid).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(ProcessHandle.of(mysqldPid).map(ProcessHandle::isAlive).orElse(false))
                .as("mysqld %d outlived its JVM", mysqldPid).isFalse();
        MySqlDistribution.deleteRecursively(childFolder); // the killed JVM could not clean up after itself
    }

    /** Runs in a child JVM: starts a server, prints mysqld's pid, and waits to be killed. */
    public static final class StartAndWait {
        public static void main(String[] args) throws Exception {
            EmbeddedMySql server = EmbeddedMySql.startTarget();
            List<String> pid = java.nio.file.Files.readAllLines(server.directory().resolve("mysqld.pid"));
            System.out.println("DIR " + server.directory());
            System.out.println("PID " + pid.get(0));
            System.out.flush();
            Thread.sleep(TimeUnit.MINUTES.toMillis(5));
        }
    }
}
