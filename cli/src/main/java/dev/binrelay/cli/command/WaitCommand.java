package dev.binrelay.cli.command;

import dev.binrelay.cli.ExitCodes;
import dev.binrelay.cli.VersionProvider;
import dev.binrelay.cli.daemon.HttpApi;
import dev.binrelay.checkpoint.GtidSet;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code binrelay wait --gtids SET}: returns once the target has applied SET ({@code GET /wait}), like
 * {@code WAIT_FOR_EXECUTED_GTID_SET}, so that a script can read its own writes from the replica.
 */
@Command(name = "wait", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Wait until the target has applied a GTID set (GET /wait), like WAIT_FOR_EXECUTED_GTID_SET."},
        footer = {"", "Exit codes: 0 applied, 1 timed out or daemon unreachable, 2 usage."})
public final class WaitCommand implements Callable<Integer> {
    /** Beyond the wait itself, for the request and the answer. */
    private static final Duration REQUEST_SLACK = Duration.ofSeconds(10);

    @Spec
    private CommandSpec spec;

    @Mixin
    private DaemonOptions daemon;

    @Option(names = "--gtids", required = true, paramLabel = "SET",
            description = "The GTID set to wait for, such as 3e11fa47-71ca-11e1-9e33-c80aa9429562:1-23.")
    private String gtids;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "" + HttpApi.DEFAULT_WAIT_SECONDS,
            description = "How long to wait (0-" + HttpApi.MAX_WAIT_SECONDS + ", default: ${DEFAULT-VALUE}).")
    private long timeoutSeconds;

    @Override
    public Integer call() {
        if (timeoutSeconds < 0 || timeoutSeconds > HttpApi.MAX_WAIT_SECONDS) {
            return DaemonCall.print(spec.commandLine().getErr(), "--timeout must be 0-" + HttpApi.MAX_WAIT_SECONDS
                    + " seconds, not " + timeoutSeconds, ExitCodes.BAD_CONFIG);
        }
        try {
            GtidSet.parse(gtids.strip());
        } catch (IllegalArgumentException e) {
            return DaemonCall.print(spec.commandLine().getErr(), "--gtids takes a GTID set: " + e.getMessage(),
                    ExitCodes.BAD_CONFIG);
        }
        return DaemonCall.run(spec, daemon, client -> client.get("/wait?gtids=" + DaemonClient.encode(gtids.strip()) + daemon.channelParameter('&')
                + "&timeout=" + timeoutSeconds, Duration.ofSeconds(timeoutSeconds).plus(REQUEST_SLACK)));
    }
}
