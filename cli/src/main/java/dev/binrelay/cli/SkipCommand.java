package dev.binrelay.cli;

import dev.binrelay.applier.JdbcApplier;
import dev.binrelay.applier.TargetSettings;
import dev.binrelay.checkpoint.Gtid;
import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.engine.ReplicaException;
import java.io.PrintWriter;
import java.nio.file.Path;
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
 * <p>The daemon must be stopped: it holds its own view of the checkpoint while it runs.
 */
@Command(name = "skip", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Record one source transaction (GTID) as applied on the target without applying it.",
                "Run it while 'binrelay run' is stopped; the next run goes on after that transaction."},
        footer = {"", "Exit codes: 0 recorded, 1 refused (already applied, or the target cannot be used), "
                + "2 bad configuration or usage."})
final class SkipCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
            description = "The YAML configuration file of the replica.")
    private Path configFile;

    @Option(names = "--gtid", required = true, paramLabel = "UUID:N",
            description = "The one transaction to skip, such as 3e11fa47-71ca-11e1-9e33-c80aa9429562:23.")
    private String gtidText;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        BinrelayConfig config;
        TargetSettings target;
        Gtid gtid;
        try {
            config = ConfigLoader.load(configFile);
            target = ReplicaFactory.targetSettings(config);
            gtid = parseGtid(gtidText);
        } catch (ConfigException e) {
            return fail(err, e.getMessage(), ExitCodes.BAD_CONFIG);
        }
        String checkpoint = target.checkpointSchema() + ".gtid_executed (channel " + target.channel()
                + ") on target " + target.displayUrl();
        try (JdbcApplier applier = new JdbcApplier(target)) {
            GtidSet applied = applier.openCheckpoint();
            if (applied.contains(gtid)) {
                return fail(err, "GTID " + gtid + " is already in the checkpoint " + checkpoint + ": nothing to skip",
                        ExitCodes.FAILED);
            }
            String startGtids = config.source().startGtids();
            if (applied.isEmpty() && !startGtids.isEmpty()) {
                // The checkpoint is empty only before the first run: it would then hold just this GTID, and
                // source.startGtids, used only while the checkpoint is empty, would be ignored.
                return fail(err, "the checkpoint " + checkpoint + " is empty: binrelay has not started on this "
                        + "target yet, and recording GTID " + gtid + " now would make the first run ignore "
                        + "source.startGtids ('" + startGtids + "'). Add the GTID to source.startGtids instead, or "
                        + "run binrelay first", ExitCodes.FAILED);
            }
            applier.markApplied(GtidSet.of(gtid));
        } catch (ReplicaException e) {
            return fail(err, e.getMessage(), ExitCodes.FAILED);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("binrelay: skipped GTID " + gtid + ": recorded as applied in " + checkpoint
                + " without applying it");
        out.flush();
        return ExitCodes.OK;
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
