package dev.binrelay.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * What one in-process run of the {@code binrelay} command printed and returned.
 *
 * @param exitCode the exit code {@code main} would exit with
 * @param out      standard output
 * @param err      standard error
 */
public record CommandResult(int exitCode, String out, String err) {

    /** Runs {@code binrelay args...} in this JVM, capturing picocli's output streams. */
    public static CommandResult run(String... args) {
        CommandLine commandLine = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new CommandResult(exitCode, out.toString(), err.toString());
    }
}
