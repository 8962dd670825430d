package dev.binrelay.cli;

import dev.binrelay.cli.command.RunCommand;
import dev.binrelay.cli.command.SkipCommand;
import dev.binrelay.cli.command.SnapshotCommand;
import dev.binrelay.cli.command.StartCommand;
import dev.binrelay.cli.command.StatusCommand;
import dev.binrelay.cli.command.StopCommand;
import dev.binrelay.cli.command.VerifyCommand;
import dev.binrelay.cli.command.WaitCommand;
import dev.binrelay.cli.daemon.LogFormat;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code binrelay} command: {@code run} replicates; {@code status}, {@code stop}, {@code start} and {@code wait}
 * talk to a running daemon's HTTP API; {@code snapshot} copies the source to a new replica; {@code skip} records one
 * transaction as applied without applying it; {@code verify} compares source and target. The developer tools
 * ({@code demo}, {@code bench}, {@code fuzz}) are added by the devtools module's {@code DevMain}, so that this jar
 * carries no embedded MySQL.
 *
 * <p>Exit codes: 0 success, 1 replica failed or verify or the demo found a difference, 2 bad configuration or usage.
 */
@Command(name = "binrelay", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "A MySQL replica: reads a source's binary log and applies it to a target.",
        subcommands = {RunCommand.class, StatusCommand.class, StopCommand.class, StartCommand.class,
                WaitCommand.class, SnapshotCommand.class, SkipCommand.class,
                VerifyCommand.class},
        footer = {"", "Exit codes: 0 ok, 1 replica failed, request refused or timed out, or verification mismatch,",
                "2 bad configuration or usage.",
                "Run 'binrelay COMMAND --help' for a command's options."})
public final class Main implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    /** Runs binrelay with the command-line {@code args} and exits with its exit code. */
    public static void main(String[] args) {
        System.exit(execute(Main::commandLine, args));
    }

    /**
     * Chooses the log format from {@code args}, then builds the command line (this command, perhaps with more
     * subcommands added) and runs it; returns its exit code. The command line is built only after the choice: building
     * it loads the commands, and their loggers would start logback in the default format.
     */
    public static int execute(Supplier<CommandLine> commandLine, String[] args) {
        LogFormat.chooseBeforeLogging(args);
        // The binlog client logs through java.util.logging; send it to logback with everything else.
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        return commandLine.get().execute(args);
    }

    /** The configured picocli command line, for {@link #main} and for tests that capture its output. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setExecutionExceptionHandler(new UnexpectedErrorHandler());
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        return commandLine;
    }

    /** {@code binrelay} without a command: usage on stderr, exit 2. */
    @Override
    public Integer call() {
        spec.commandLine().getErr().println("binrelay: missing command (one of "
                + String.join(", ", spec.subcommands().keySet()) + ")");
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.BAD_CONFIG;
    }
}
