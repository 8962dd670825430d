package dev.binrelay.cli.command;

import dev.binrelay.cli.ExitCodes;
import dev.binrelay.cli.config.ConfigException;
import java.io.PrintWriter;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Runs one request of a command that talks to the daemon and turns the outcome into output and an exit code: 0 when
 * the daemon did it, 1 when it refused, timed out or could not be reached, 2 for bad options.
 */
final class DaemonCall {
    private DaemonCall() {
    }

    /** Sends {@code request} through {@code options}' client; prints the daemon's answer as one line. */
    static int run(CommandSpec spec, DaemonOptions options, Function<DaemonClient, DaemonClient.Response> request) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DaemonClient.Response response;
        try {
            response = request.apply(options.client());
        } catch (ConfigException e) {
            return print(err, e.getMessage(), ExitCodes.BAD_CONFIG);
        } catch (DaemonClient.UnreachableException e) {
            return print(err, e.getMessage(), ExitCodes.FAILED);
        }
        return report(response, out, err);
    }

    /** Prints {@code response}'s message: on standard output if it succeeded, else with its status on stderr. */
    static int report(DaemonClient.Response response, PrintWriter out, PrintWriter err) {
        if (response.ok()) {
            return print(out, response.message(), ExitCodes.OK);
        }
        return print(err, response.message() + " (HTTP " + response.status() + ")", ExitCodes.FAILED);
    }

    static int print(PrintWriter stream, String message, int exitCode) {
        stream.println("binrelay: " + message);
        stream.flush();
        return exitCode;
    }
}
