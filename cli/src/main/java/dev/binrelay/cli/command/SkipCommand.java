package dev.binrelay.cli.command;

import dev.binrelay.cli.ExitCodes;
import dev.binrelay.cli.VersionProvider;
import dev.binrelay.cli.config.BinrelayConfig;
import dev.binrelay.cli.config.ConfigException;
import dev.binrelay.cli.config.ConfigLoader;
import dev.binrelay.cli.daemon.ReplicaFactory;
import dev.binrelay.checkpoint.Gtid;
import dev.binrelay.engine.ReplicaException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code binrelay skip --config FILE --gtid UUID:N}: records one source transaction as applied on the target without
 * applying it, as injecting an empty transaction with that GTID does on a MySQL replica. The next {@code run} goes on
 * with the transaction after it. Meant for a transaction the replica stopped on and that the operator decided the
 * target must not get.
 *
 * <p>When the config has {@code http.port} and the daemon answers there, the skip goes through it
 * ({@code POST /skip}: the daemon stops its paused or failed replica first, as it holds its own view of the checkpoint
 * while it runs); otherwise it is recorded on the target directly.
 */
@Command(name = "skip", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Record one source transaction (GTID) as applied on the target without applying it.",
                "Through the running daemon when the config has http.port and it answers (its applier must be",
                "paused or failed; 'binrelay start' goes on), else directly while 'binrelay run' is stopped."},
        footer = {"", "Exit codes: 0 recorded, 1 refused (already applied, or the target cannot be used), "
                + "2 bad configuration or usage."})
public final class SkipCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
            description = "The YAML configuration file of the replica.")
    private Path configFile;

    @Option(names = "--gtid", required = true, paramLabel = "UUID:N",
            description = "The one transaction to skip, such as 3e11fa47-71ca-11e1-9e33-c80aa9429562:23.")
    private String gtidText;

    @Option(names = "--channel", paramLabel = "NAME",
            description = "The channel, for a config with several (channels:).")
    private String channel;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        BinrelayConfig config;
        Gtid gtid;
        try {
            // The daemon needs only http.*; the target's password is read only if no daemon answers.
            config = ConfigLoader.loadForClient(configFile);
            gtid = parseGtid(gtidText);
        } catch (ConfigException e) {
            return fail(err, e.getMessage(), ExitCodes.BAD_CONFIG);
        }
        if (config.http().enabled()) {
            DaemonClient daemon = new DaemonClient(config.http().localUrl(), tokenFor(config));
            try {
                return DaemonCall.report(daemon.post("/skip?gtid=" + DaemonClient.encode(gtid.toString())
                        + (channel == null ? "" : "&channel=" + DaemonClient.encode(channel.strip()))), out, err);
            } catch (DaemonClient.UnreachableException e) {
                // No daemon runs on this config: nobody holds the checkpoint, so the skip can go to the target itself.
                out.println("binrelay: no daemon answers at " + daemon.baseUrl() + ": recording the skip on the "
                        + "target directly");
            }
        }
        try {
            config = channelConfig(ConfigLoader.load(configFile));
            ReplicaFactory.targetSettings(config);
        } catch (ConfigException e) {
            return fail(err, e.getMessage(), ExitCodes.BAD_CONFIG);
        }
        try {
            out.println("binrelay: " + CheckpointSkip.skip(config, gtid));
        } catch (CheckpointSkip.RefusedException | ReplicaException e) {
            return fail(err, e.getMessage(), ExitCodes.FAILED);
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** The config of the channel {@code --channel} names; required when the config has several. */
    private BinrelayConfig channelConfig(BinrelayConfig config) {
        List<BinrelayConfig.Channel> channels = config.effectiveChannels();
        if (channel == null && channels.size() == 1) {
            return config;
        }
        List<String> names = channels.stream().map(BinrelayConfig.Channel::name).toList();
        if (channel == null) {
            throw new ConfigException("the config has several channels: name one with --channel, one of "
                    + String.join(", ", names));
        }
        return channels.stream().filter(c -> c.name().equals(channel.strip())).findFirst()
                .map(BinrelayConfig.Channel::config).orElseThrow(() -> new ConfigException("no channel '"
                        + channel.strip() + "' in the config: the channels are " + String.join(", ", names)));
    }

    private static String tokenFor(BinrelayConfig config) {
        String fromEnvironment = System.getenv(DaemonOptions.TOKEN_VARIABLE);
        return fromEnvironment != null ? fromEnvironment : config.http().token();
    }

    private static Gtid parseGtid(String text) {
        try {
            return Gtid.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--gtid takes one GTID, <uuid>:<transaction number>: " + e.getMessage());
        }
    }

    private static int fail(PrintWriter err, String message, int exitCode) {
        err.println("binrelay: " + message);
        err.flush();
        return exitCode;
    }
}
