package dev.binrelay.cli.command;

import dev.binrelay.cli.VersionProvider;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code binrelay stop}: pauses the running daemon's applier ({@code POST /stop}), like {@code STOP REPLICA SQL_THREAD}. */
@Command(name = "stop", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Pause the running daemon's applier (POST /stop), like STOP REPLICA SQL_THREAD.",
                "The reader goes on until the ring is full; 'binrelay start' resumes."},
        footer = {"", "Exit codes: 0 paused, 1 refused or daemon unreachable, 2 usage."})
public final class StopCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private DaemonOptions daemon;

    @Override
    public Integer call() {
        return DaemonCall.run(spec, daemon, client -> client.post("/stop" + daemon.channelParameter('?')));
    }
}
