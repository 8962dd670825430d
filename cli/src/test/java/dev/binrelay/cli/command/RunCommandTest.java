package dev.binrelay.cli.command;

import dev.binrelay.cli.CommandResult;
import dev.binrelay.cli.ForkedDaemon;
import dev.binrelay.cli.Main;
import static org.assertj.core.api.Assertions.assertThat;

import dev.binrelay.testkit.EmbeddedMySql;
import dev.binrelay.testkit.SourceAndTarget;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code binrelay run} against real embedded servers: replicating, stopping on SIGTERM, and every way to fail. */
class RunCommandTest {
    private static final String REPL_PASSWORD = "Repl-Pa55-word";

    @RegisterExtension
    static final SourceAndTarget servers = SourceAndTarget.create().keepSchemasBetweenTests();
    private static EmbeddedMySql source;
    private static EmbeddedMySql target;

    @TempDir
    Path folder;

    @BeforeAll
    static void createReplicationUser() {
        source = servers.source();
        target = servers.target();
        // A least-privilege replication user, as an operator would create one.
        source.execute("CREATE USER 'repl'@'%' IDENTIFIED BY '" + REPL_PASSWORD + "'",
                "GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'repl'@'%'");
    }

    @Test
    void replicatesUntilSigtermThenExitsZero() throws Exception {
        String startAfter = source.gtidExecuted();
        Path config = writeConfig("""
                source:
                  host: 127.0.0.1
                  port: %d
                  user: repl
                  password: ${BINRELAY_TEST_SOURCE_PW}
                  serverId: 5001
                  startGtids: "%s"
                target:
                  url: %s
                  user: root
                  password: ""
                checkpoint:
                  schema: br_sigterm
                progress:
                  intervalSeconds: 1
                """.formatted(source.port(), startAfter, target.jdbcUrl()));
        Path log = folder.resolve("binrelay.log");
        ProcessBuilder builder = new ProcessBuilder(javaExecutable(), "-cp", ForkedDaemon.classPath(),
                Main.class.getName(), "run", "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("BINRELAY_TEST_SOURCE_PW", REPL_PASSWORD);
        Process binrelay = builder.start();
        try {
            source.execute("CREATE DATABASE sigterm_test",
                    "CREATE TABLE sigterm_test.items (id INT PRIMARY KEY, name VARCHAR(50) NOT NULL)",
                    "INSERT INTO sigterm_test.items VALUES (1, 'one'), (2, 'two ✓')",
                    "INSERT INTO sigterm_test.items VALUES (3, 'three')");

            awaitTrue(() -> "3".equals(countOnTarget("sigterm_test.items")), 90, binrelay, log);
            awaitTrue(() -> read(log).contains("applied "), 30, binrelay, log);

            binrelay.destroy(); // SIGTERM
            assertThat(binrelay.waitFor(60, TimeUnit.SECONDS)).as("binrelay exits after SIGTERM").isTrue();
            String output = read(log);
            assertThat(binrelay.exitValue()).as(output).isZero();
            assertThat(output).contains("replica stopped", "lag ", "source binlog").doesNotContain(REPL_PASSWORD);
            assertThat(target.queryString("SELECT name FROM sigterm_test.items WHERE id = 2")).isEqualTo("two ✓");
        } finally {
            binrelay.destroyForcibly();
        }
    }

    @Test
    void replicaFailingOnItsOwnExitsOneNamingTheCause() throws Exception {
        // Created before the start position, so the target never gets the table and applying the insert fails.
        source.execute("CREATE DATABASE fail_test", "CREATE TABLE fail_test.items (id INT PRIMARY KEY)");
        Path config = writeConfig(config(source.port(), "", target.jdbcUrl(), "br_fail"));

        CompletableFuture<CommandResult> run = CompletableFuture.supplyAsync(() -> CommandResult.run("run",
                "--config", config.toString()));
        // Once 'current' is recorded as the checkpoint, the start position is fixed and the insert comes after it.
        awaitTrue(() -> checkpointRecorded("br_fail") || run.isDone(), 60, null, null);
        source.execute("INSERT INTO fail_test.items VALUES (1)");
        CommandResult result = run.get(60, TimeUnit.SECONDS);

        assertThat(result.exitCode()).as(result.err()).isEqualTo(1);
        assertThat(result.err()).startsWith("binrelay: replica failed: ")
                .contains("fail_test", "does not exist on the target");
    }

    @Test
    void unreachableSourceExitsOne() throws Exception {
        int closed = closedPort();
        CommandResult result = CommandResult.run("run", "--config",
                writeConfig(config(closed, "", target.jdbcUrl(), "br_nosource")).toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("binrelay: cannot reach source 127.0.0.1:" + closed);
    }

    @Test
    void wrongSourcePasswordExitsOneWithoutPrintingIt() throws Exception {
        CommandResult result = CommandResult.run("run", "--config",
                writeConfig(config(source.port(), "Wrong-Pa55", target.jdbcUrl(), "br_badpw")).toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("refused user 'root'", "source.password").doesNotContain("Wrong-Pa55");
    }

    @Test
    void unreachableTargetExitsOne() throws Exception {
        int closed = closedPort();
        CommandResult result = CommandResult.run("run", "--config",
                writeConfig(config(source.port(), "", "jdbc:mysql://127.0.0.1:" + closed + "/", "br_notarget"))
                        .toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("binrelay: cannot connect to target jdbc:mysql://127.0.0.1:" + closed);
    }

    @Test
    void configErrorExitsTwoNamingTheFileAndKey() throws Exception {
        Path config = writeConfig(config(source.port(), "", target.jdbcUrl(), "br_config")
                + "applier:\n  workers: 0\n");

        CommandResult result = CommandResult.run("run", "--config", config.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("binrelay: " + config + ": applier.workers");
    }

    @Test
    void unknownKeyExitsTwo() throws Exception {
        Path config = writeConfig(config(source.port(), "", target.jdbcUrl(), "br_config").replace("port:", "prot:"));

        CommandResult result = CommandResult.run("run", "--config", config.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("unknown key 'source.prot' (did you mean 'source.port'?)");
    }

    private static String config(int sourcePort, String sourcePassword, String targetUrl, String checkpointSchema) {
        return """
                source:
                  host: 127.0.0.1
                  port: %d
                  user: root
                  password: "%s"
                  serverId: 5002
                  startGtids: current
                target:
                  url: %s
                  user: root
                checkpoint:
                  schema: %s
                """.formatted(sourcePort, sourcePassword, targetUrl, checkpointSchema);
    }

    private Path writeConfig(String yaml) throws IOException {
        Path file = Files.createTempFile(folder, "binrelay-", ".yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private static String countOnTarget(String table) {
        try {
            return target.queryString("SELECT COUNT(*) FROM " + table);
        } catch (IllegalStateException notYetCreated) {
            return null;
        }
    }

    private static boolean checkpointRecorded(String schema) {
        String rows = countOnTarget(schema + ".gtid_executed");
        return rows != null && !rows.equals("0");
    }

    /** Waits for {@code condition}, failing early with the child's output if the child died. */
    private static void awaitTrue(BooleanSupplier condition, int seconds, Process child, Path log)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (child != null && !child.isAlive()) {
                throw new AssertionError("binrelay exited " + child.exitValue() + ":\n" + read(log));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not done after " + seconds + " s" + (log == null ? "" : ":\n" + read(log)));
            }
            Thread.sleep(100);
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
