package dev.binrelay.cli;

import dev.binrelay.cli.daemon.LogFormat;
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
        assertThat(result.out()).contains("run", "snapshot", "verify", "Exit codes");
        // The developer tools live in devtools' jar, not the daemon's.
        assertThat(result.out()).doesNotContain("demo", "bench", "fuzz");
    }

    @Test
    void eachCommandHasHelp() {
        CommandResult run = CommandResult.run("run", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("--config", "source:", "${ENV_VAR}", "http:", "maxLagSeconds (30",
                "--log-format");
    }

    @Test
    void noCommandIsAUsageError() {
        CommandResult result = CommandResult.run();

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("missing command (one of run, status, stop, start, wait, snapshot, skip, "
                + "verify)");
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
    void daemonCommandsNeedToBeToldWhereTheDaemonIs() {
        for (String command : new String[] {"status", "stop", "start"}) {
            CommandResult result = CommandResult.run(command);

            assertThat(result.exitCode()).as(command).isEqualTo(2);
            assertThat(result.err()).as(command).isEqualTo("binrelay: say where the daemon is: --config FILE (its "
                    + "http.* keys) or --url URL" + System.lineSeparator());
        }
    }

    @Test
    void waitNeedsAGtidSet() {
        assertThat(CommandResult.run("wait", "--url", "http://127.0.0.1:1").exitCode()).isEqualTo(2);
        CommandResult notASet = CommandResult.run("wait", "--url", "http://127.0.0.1:1", "--gtids", "latest");

        assertThat(notASet.exitCode()).isEqualTo(2);
        assertThat(notASet.err()).startsWith("binrelay: --gtids takes a GTID set: ");
    }

    @Test
    void anUnreachableDaemonIsAFailureNamingTheAddress() throws Exception {
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }

        CommandResult result = CommandResult.run("status", "--url", "http://127.0.0.1:" + closed);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("binrelay: cannot reach the binrelay daemon at http://127.0.0.1:" + closed);
    }

    @Test
    void logFormatIsTakenFromTheRawArgumentsBeforeLogging() {
        assertThat(LogFormat.requested(java.util.List.of("run", "--config", "x", "--log-format", "json")))
                .isEqualTo(LogFormat.JSON);
        assertThat(LogFormat.requested(java.util.List.of("run", "--log-format=JSON"))).isEqualTo(LogFormat.JSON);
        assertThat(LogFormat.requested(java.util.List.of("run", "--log-format", "text"))).isEqualTo(LogFormat.TEXT);
        assertThat(LogFormat.requested(java.util.List.of("run", "--config", "x"))).isEqualTo(LogFormat.TEXT);
        assertThat(CommandResult.run("run", "--config", "x.yaml", "--log-format", "xml").exitCode()).isEqualTo(2);
    }
}
