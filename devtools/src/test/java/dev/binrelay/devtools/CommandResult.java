package dev.binrelay.devtools;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * What one in-process run of {@code binrelay} with the developer tools printed and returned.
 *
 * @param exitCode the exit code {@code main} would exit with
 * @param out      standard output
 * @param err      standard error
 */
record CommandResult(int exitCode, String out, String err) {

    /** Runs {@code binrelay args...} (with demo, bench and fuzz) in this JVM, capturing picocli's output streams. */
    static CommandResult run(String... args) {
        CommandLine commandLine = DevMain.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return new CommandResult(commandLine.execute(args), out.toString(), err.toString());
    }
}
