package dev.binrelay.cli.command;

import dev.binrelay.cli.ExitCodes;
import dev.binrelay.cli.VersionProvider;
import dev.binrelay.cli.config.ConfigException;
import dev.binrelay.cli.config.ConfigLoader;
import dev.binrelay.cli.daemon.ReplicaFactory;
import dev.binrelay.engine.ReplicaException;
import dev.binrelay.snapshot.SnapshotResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code binrelay snapshot --config FILE}: copies the source's schemas to the target at one consistent instant (or
 * finishes an interrupted copy) and records that instant's GTID set as the checkpoint, so that the next
 * {@code binrelay run} streams from there. Uses the config's {@code snapshot.*} keys; {@code snapshot.mode} does not
 * matter here.
 */
@Command(name = "snapshot", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Copy the source to the target at one consistent instant (or resume an interrupted copy),",
                "and record that instant as the checkpoint: a later 'binrelay run' streams from there."},
        footer = {"", "Config keys: as for 'binrelay run', with snapshot.schemas, snapshot.threads, snapshot.chunkRows.",
                "", "Exit codes: 0 copied (or already copied), 1 refused or failed, 2 bad configuration or usage."})
public final class SnapshotCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
            description = "The YAML configuration file of the replica.")
    private Path configFile;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        dev.binrelay.snapshot.Snapshot snapshot;
        try {
            snapshot = ReplicaFactory.snapshot(ConfigLoader.load(configFile));
        } catch (ConfigException e) {
            err.println("binrelay: " + e.getMessage());
            err.flush();
            return ExitCodes.BAD_CONFIG;
        }
        SnapshotResult result;
        try {
            result = snapshot.run();
        } catch (ReplicaException e) {
            err.println("binrelay: " + e.getMessage());
            err.flush();
            return ExitCodes.FAILED;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(String.format(Locale.ROOT, "binrelay: snapshot done: %d tables, %d rows copied in %.1f s "
                        + "(%.0f rows/s); streaming starts after %s%s", result.tables(), result.rows(),
                result.seconds(), result.rowsPerSecond(), result.gtids().isEmpty() ? "(nothing)" : result.gtids(),
                result.catchUpWindow().isEmpty() ? "" : "; " + result.catchUpWindow() + " will be applied "
                        + "idempotently"));
        out.flush();
        return ExitCodes.OK;
    }
}
