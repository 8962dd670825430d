package dev.binrelay.devtools;

import dev.binrelay.cli.Main;
import picocli.CommandLine;

/**
 * The {@code binrelay} command with the developer tools: every command of the daemon's {@link Main} plus
 * {@code demo} (replication between two embedded servers), {@code bench} (binrelay against MySQL's native replica)
 * and {@code fuzz} (the differential tester). {@code ./binrelay} runs this jar for those three commands only.
 */
public final class DevMain {
    private DevMain() {
    }

    /** Runs binrelay with the developer tools and exits with the exit code. */
    public static void main(String[] args) {
        System.exit(Main.execute(DevMain::commandLine, args));
    }

    /** The daemon's command line with demo, bench and fuzz added, for {@link #main} and for tests. */
    public static CommandLine commandLine() {
        CommandLine commandLine = Main.commandLine();
        commandLine.addSubcommand(new DemoCommand());
        commandLine.addSubcommand(new BenchCommand());
        commandLine.addSubcommand(new FuzzCommand());
        return commandLine;
    }
}
