package dev.binrelay.cli.command;

import dev.binrelay.cli.CommandResult;
import dev.binrelay.cli.config.ConfigLoader;
import dev.binrelay.cli.daemon.ReplicaFactory;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.engine.Replica;
import dev.binrelay.engine.ReplicaState;
import dev.binrelay.testkit.SourceAndTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code binrelay verify} end to end: a replica configured from a file, then the command's output and exit code. */
class VerifyCommandTest {
    @RegisterExtension
    static final SourceAndTarget servers = SourceAndTarget.create().keepSchemasBetweenTests();

    @TempDir
    Path folder;

    @Test
    void identicalTablesPrintALinePerTableAndExitZero() throws Exception {
        Path config = configFile("br_same");
        Replica replica = startReplica(config);
        try {
            servers.source().execute("CREATE DATABASE same_a", "CREATE DATABASE same_b",
                    "CREATE TABLE same_a.items (id INT PRIMARY KEY, name VARCHAR(20))",
                    "CREATE TABLE same_b.notes (body TEXT)",
                    "INSERT INTO same_a.items VALUES (1, 'one'), (2, 'two'), (3, NULL)",
                    "INSERT INTO same_b.notes VALUES ('a'), ('a'), (NULL)");
            awaitCaughtUp(replica);

            CommandResult text = CommandResult.run("verify", "--config", config.toString(), "--tables",
                    "same_a.%,same_b.notes", "--chunk-rows", "2");
            CommandResult json = CommandResult.run("verify", "-c", config.toString(), "--tables", "same_%.%",
                    "--json");

            assertThat(text.exitCode()).as(text.err()).isZero();
            assertThat(text.out().lines().toList()).hasSize(3);
            assertThat(text.out()).containsPattern("same_a\\.items: 2 chunks, 3 rows, 0 differing rows, [0-9.]+ s: OK")
                    .containsPattern("same_b\\.notes: 1 chunk \\(no primary key: one chunk\\), 3 rows, 0 differing "
                            + "rows, [0-9.]+ s: OK")
                    .containsPattern("verdict: IDENTICAL — 2 tables, 6 rows, [0-9.]+ s, source and target hold the "
                            + "same rows");
            assertThat(json.exitCode()).as(json.err()).isZero();
            JsonNode report = new ObjectMapper().readTree(json.out());
            assertThat(report.get("identical").asBoolean()).isTrue();
            assertThat(report.get("tables")).hasSize(2);
            assertThat(report.get("tables").get(0).get("table").asText()).isEqualTo("items");
            assertThat(report.get("rows").asLong()).isEqualTo(6);
        } finally {
            replica.stop();
        }
    }

    @Test
    void aDifferencePlantedOnTheTargetIsNamedAndExitsOne() throws Exception {
        Path config = configFile("br_planted");
        Replica replica = startReplica(config);
        try {
            servers.source().execute("CREATE DATABASE planted",
                    "CREATE TABLE planted.items (id INT PRIMARY KEY, name VARCHAR(20))",
                    "CREATE TABLE planted.other (id INT PRIMARY KEY)",
                    "INSERT INTO planted.items VALUES (1, 'one'), (2, 'two'), (3, 'three')",
                    "INSERT INTO planted.other VALUES (1)");
            awaitCaughtUp(replica);
            servers.target().execute("UPDATE planted.items SET name = 'TWO' WHERE id = 2");

            CommandResult result = CommandResult.run("verify", "--config", config.toString(), "--tables",
                    "planted.%");
            CommandResult json = CommandResult.run("verify", "--config", config.toString(), "--tables",
                    "planted.items", "--json");

            assertThat(result.exitCode()).as(result.err()).isEqualTo(1);
            assertThat(result.out().lines().toList()).hasSize(4);
            assertThat(result.out()).containsPattern("planted\\.items: 1 chunk, 3 rows, 1 differing rows, [0-9.]+ s: "
                            + "DIFFERENT\n  different: id=2\n")
                    .containsPattern("planted\\.other: 1 chunk, 1 rows, 0 differing rows, [0-9.]+ s: OK")
                    .contains("verdict: DIFFERENT — 1 of 2 tables differ (1 differing rows); 2 tables, 4 rows");
            assertThat(json.exitCode()).isEqualTo(1);
            JsonNode difference = new ObjectMapper().readTree(json.out()).get("tables").get(0).get("differences")
                    .get(0);
            assertThat(difference.get("kind").asText()).isEqualTo("different");
            assertThat(difference.get("row").get("id").asText()).isEqualTo("2");
        } finally {
            replica.stop();
        }
    }

    @Test
    void theConfigsFiltersLeaveOutIgnoredTablesAndCompareARewrittenDatabaseUnderItsTargetName() throws Exception {
        Path config = configFile("br_filtered");
        Files.writeString(config, Files.readString(config) + """
                filters:
                  rewriteDb: ["vprod -> vstaging"]
                  ignoreTable: [vstaging.secret]
                """);
        Replica replica = startReplica(config);
        try {
            servers.source().execute("CREATE DATABASE vprod",
                    "CREATE TABLE vprod.items (id INT PRIMARY KEY, name VARCHAR(20))",
                    "CREATE TABLE vprod.secret (id INT PRIMARY KEY)",
                    "INSERT INTO vprod.items VALUES (1, 'one'), (2, 'two'), (3, 'three')",
                    "INSERT INTO vprod.secret VALUES (1)");
            awaitCaughtUp(replica);

            CommandResult clean = CommandResult.run("verify", "--config", config.toString(), "--tables", "vprod.%");
            servers.target().execute("UPDATE vstaging.items SET name = 'TWO' WHERE id = 2");
            CommandResult drifted = CommandResult.run("verify", "--config", config.toString(), "--tables",
                    "vprod.%");

            assertThat(clean.exitCode()).as(clean.err() + clean.out()).isZero();
            assertThat(clean.out()).containsPattern("vprod\\.items: 1 chunk, 3 rows, 0 differing rows, [0-9.]+ s: OK")
                    .doesNotContain("secret").contains("verdict: IDENTICAL — 1 tables");
            assertThat(drifted.exitCode()).as(drifted.err()).isEqualTo(1);
            assertThat(drifted.out()).containsPattern("vprod\\.items: 1 chunk, 3 rows, 1 differing rows, [0-9.]+ s: "
                    + "DIFFERENT\n  different: id=2\n");
        } finally {
            replica.stop();
        }
    }

    @Test
    void aStoppedReplicaLeavesChunksNotVerifiedAndExitsOne() throws Exception {
        Path config = configFile("br_lagging");
        Replica replica = startReplica(config);
        try {
            servers.source().execute("CREATE DATABASE lagging", "CREATE TABLE lagging.t (id INT PRIMARY KEY)",
                    "INSERT INTO lagging.t VALUES (1)");
            awaitCaughtUp(replica);
        } finally {
            replica.stop();
        }
        servers.source().execute("INSERT INTO lagging.t VALUES (2)");

        CommandResult result = CommandResult.run("verify", "--config", config.toString(), "--tables", "lagging.t",
                "--max-wait-seconds", "1");

        assertThat(result.exitCode()).as(result.err()).isEqualTo(1);
        assertThat(result.out()).contains("lagging.t: 0 chunks", ": NOT VERIFIED\n",
                "  not verified: table: target lagging: its checkpoint still lacked 1 source transactions after 1 s",
                "verdict: NOT VERIFIED — 1 chunks not verified");
    }

    @Test
    void usageAndConfigurationErrorsExitTwo() throws Exception {
        Path config = configFile("br_usage");

        CommandResult noMatch = CommandResult.run("verify", "--config", config.toString(), "--tables", "nosuch.%");
        CommandResult badPattern = CommandResult.run("verify", "--config", config.toString(), "--tables", "orders");
        CommandResult badChunk = CommandResult.run("verify", "--config", config.toString(), "--chunk-rows", "0");
        CommandResult noConfig = CommandResult.run("verify", "--config", folder.resolve("none.yaml").toString());
        CommandResult help = CommandResult.run("verify", "--help");

        assertThat(noMatch.exitCode()).isEqualTo(2);
        assertThat(noMatch.err()).contains("table pattern 'nosuch.%' matches no base table on the source");
        assertThat(badPattern.exitCode()).isEqualTo(2);
        assertThat(badPattern.err()).contains("table pattern 'orders' must be schema.table");
        assertThat(badChunk.exitCode()).isEqualTo(2);
        assertThat(badChunk.err()).contains("--chunk-rows must be at least 1, not 0");
        assertThat(noConfig.exitCode()).isEqualTo(2);
        assertThat(noConfig.err()).contains("does not exist");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("--tables", "--chunk-rows", "--max-wait-seconds", "--json", "Exit codes");
    }

    @Test
    void aTargetWithoutCheckpointExitsOneNamingIt() throws Exception {
        servers.source().execute("CREATE DATABASE IF NOT EXISTS nocheckpoint",
                "CREATE TABLE IF NOT EXISTS nocheckpoint.t (id INT PRIMARY KEY)");

        CommandResult result = CommandResult.run("verify", "--config", configFile("br_never_ran").toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("cannot read the checkpoint br_never_ran.gtid_executed on target");
    }

    /** A config replicating from now on, recording its checkpoint in {@code checkpointSchema}. */
    private Path configFile(String checkpointSchema) throws Exception {
        Path file = folder.resolve(checkpointSchema + ".yaml");
        Files.writeString(file, """
                source:
                  host: 127.0.0.1
                  port: %d
                  user: root
                  serverId: 5101
                  startGtids: "%s"
                target:
                  url: %s
                  user: root
                checkpoint:
                  schema: %s
                """.formatted(servers.source().port(), servers.source().gtidExecuted(), servers.target().jdbcUrl(),
                checkpointSchema));
        return file;
    }

    private static Replica startReplica(Path config) {
        Replica replica = ReplicaFactory.create(ConfigLoader.load(config));
        replica.start();
        return replica;
    }

    private static void awaitCaughtUp(Replica replica) throws InterruptedException {
        GtidSet wanted = GtidSet.parse(servers.source().gtidExecuted());
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!replica.appliedGtids().containsAll(wanted)) {
            assertThat(replica.state()).as("replica: %s", replica.failure()).isEqualTo(ReplicaState.RUNNING);
            assertThat(System.nanoTime()).as("caught up within 60 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
