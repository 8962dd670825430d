package dev.binrelay.cli.command;

import dev.binrelay.cli.VersionProvider;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code binrelay start}: resumes the daemon's paused applier, or starts a new replica after a failure or a skip
 * ({@code POST /start}).
 */
@Command(name = "start", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Resume the running daemon's applier (POST /start), like START REPLICA SQL_THREAD;",
                "after a failure or a skip, start a new replica from the checkpoint."},
        footer = {"", "Exit codes: 0 running, 1 refused, failed to start or daemon unreachable, 2 usage."})
public final class StartCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private DaemonOptions daemon;

    @Override
    public Integer call() {
        return DaemonCall.run(spec, daemon, client -> client.post("/start" + daemon.channelParameter('?')));
    }
}
