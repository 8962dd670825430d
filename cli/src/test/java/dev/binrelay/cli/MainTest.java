package dev.binrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MainTest {
    @Test
    void versionPrintsTheProjectVersion() {
        CommandResult result = CommandResult.run("--version");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).startsWith("binrelay 0.1.0-SNAPSHOT");
    }

    @Test
    void helpListsTheCommands() {
        CommandResult result = CommandResult.run("--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("run", "demo", "bench", "Exit codes");
    }

    @Test
    void eachCommandHasHelp() {
        CommandResult run = CommandResult.run("run", "--help");
        CommandResult demo = CommandResult.run("demo", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("--config", "source:", "${ENV_VAR}");
        assertThat(demo.exitCode()).isZero();
        assertThat(demo.out()).contains("--seconds", "--threads", "default: 20", "default: 4");
    }

    @Test
    void noCommandIsAUsageError() {
        CommandResult result = CommandResult.run();

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("missing command");
    }

    @Test
    void unknownOptionIsAUsageError() {
        assertThat(CommandResult.run("run", "--confg", "x.yaml").exitCode()).isEqualTo(2);
        assertThat(CommandResult.run("launch").exitCode()).isEqualTo(2);
    }

    @Test
    void runWithoutConfigIsAUsageError() {
        CommandResult result = CommandResult.run("run");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--config");
    }

    @Test
    void demoRejectsNonsenseDurations() {
        CommandResult result = CommandResult.run("demo", "--seconds", "0");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--seconds must be at least 1");
    }
}
