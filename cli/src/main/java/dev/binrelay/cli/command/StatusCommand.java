package dev.binrelay.cli.command;

import dev.binrelay.cli.ExitCodes;
import dev.binrelay.cli.VersionProvider;
import dev.binrelay.cli.config.ConfigException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code binrelay status}: the running daemon's status ({@code GET /status}) as a report in the spirit of
 * {@code SHOW REPLICA STATUS\G} with a per-worker table, or as the JSON document itself.
 */
@Command(name = "status", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Show the running daemon's status (GET /status), like SHOW REPLICA STATUS\\G,",
                "with a row per worker."},
        footer = {"", "Exit codes: 0 shown, 1 daemon unreachable or refused, 2 usage."})
public final class StatusCommand implements Callable<Integer> {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Spec
    private CommandSpec spec;

    @Mixin
    private DaemonOptions daemon;

    @Option(names = "--json", description = "Print the JSON document of GET /status instead of the report.")
    private boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DaemonClient.Response response;
        try {
            response = daemon.client().get("/status" + daemon.channelParameter('?'), TIMEOUT);
        } catch (ConfigException e) {
            return DaemonCall.print(err, e.getMessage(), ExitCodes.BAD_CONFIG);
        } catch (DaemonClient.UnreachableException e) {
            return DaemonCall.print(err, e.getMessage(), ExitCodes.FAILED);
        }
        if (!response.ok()) {
            return DaemonCall.report(response, out, err);
        }
        out.print(json ? response.body() : StatusReport.render(response.json()));
        out.flush();
        return ExitCodes.OK;
    }
}
