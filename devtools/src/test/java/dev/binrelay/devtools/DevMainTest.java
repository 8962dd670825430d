package dev.binrelay.devtools;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DevMainTest {
    @Test
    void helpListsTheDaemonCommandsAndTheDeveloperTools() {
        CommandResult result = CommandResult.run("--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("run", "verify", "demo", "bench", "fuzz", "Exit codes");
    }

    @Test
    void demoHasHelp() {
        CommandResult demo = CommandResult.run("demo", "--help");

        assertThat(demo.exitCode()).isZero();
        assertThat(demo.out()).contains("--seconds", "--threads", "default: 20", "default: 4");
    }

    @Test
    void demoRejectsNonsenseDurations() {
        CommandResult result = CommandResult.run("demo", "--seconds", "0");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--seconds must be at least 1");
    }

    @Test
    void noCommandNamesTheDeveloperToolsToo() {
        CommandResult result = CommandResult.run();

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("missing command (one of run, status, stop, start, wait, snapshot, skip, "
                + "verify, demo, bench, fuzz)");
    }
}
