package dev.binrelay.cli;

import dev.binrelay.cli.config.ConfigException;
import dev.binrelay.engine.ReplicaException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns an exception no command handled into one {@code binrelay: ...} line and an exit code, instead of picocli's
 * stack trace: 2 for a configuration problem, 1 for anything else. The stack trace is printed only for exceptions
 * that are not binrelay's own, where it is the only clue.
 */
final class UnexpectedErrorHandler implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception exception, CommandLine commandLine, ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        err.println("binrelay: " + exception.getMessage());
        if (!(exception instanceof ConfigException) && !(exception instanceof ReplicaException)) {
            exception.printStackTrace(err);
        }
        err.flush();
        return exception instanceof ConfigException ? ExitCodes.BAD_CONFIG : ExitCodes.FAILED;
    }
}
