package dev.binrelay.cli.command;

import dev.binrelay.cli.config.BinrelayConfig;
import dev.binrelay.cli.config.ConfigException;
import dev.binrelay.cli.daemon.ReplicaFactory;
import dev.binrelay.applier.JdbcApplier;
import dev.binrelay.applier.TargetSettings;
import dev.binrelay.checkpoint.Gtid;
import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.engine.ReplicaException;

/**
 * Records one source transaction as applied on the target without applying it, as injecting an empty transaction with
 * that GTID does on a MySQL replica. Used by {@code binrelay skip} on a stopped daemon and by {@code POST /skip} on a
 * live one (after it stopped its replica); no replica may be running on the checkpoint meanwhile.
 */
public final class CheckpointSkip {
    private CheckpointSkip() {
    }

    /** The skip was refused; the message says why and nothing was recorded. */
    public static final class RefusedException extends RuntimeException {
        RefusedException(String message) {
            super(message);
        }
    }

    /**
     * Records {@code gtid} in the checkpoint of {@code config}'s target.
     *
     * @return what was done, for the operator
     * @throws RefusedException when the GTID is already applied, or the checkpoint is still empty while
     *                          {@code source.startGtids} is set
     * @throws ConfigException  when the applier refuses a config value
     * @throws ReplicaException when the target cannot be used
     */
    static String skip(BinrelayConfig config, Gtid gtid) {
        TargetSettings target = ReplicaFactory.targetSettings(config);
        String checkpoint = target.checkpointSchema() + ".gtid_executed (channel " + target.channel()
                + ") on target " + target.displayUrl();
        try (JdbcApplier applier = new JdbcApplier(target)) {
            GtidSet applied = applier.openCheckpoint();
            if (applied.contains(gtid)) {
                throw new RefusedException("GTID " + gtid + " is already in the checkpoint " + checkpoint
                        + ": nothing to skip");
            }
            String startGtids = config.source().startGtids();
            if (applied.isEmpty() && !startGtids.isEmpty()) {
                // The checkpoint is empty only before the first run: it would then hold just this GTID, and
                // source.startGtids, used only while the checkpoint is empty, would be ignored.
                throw new RefusedException("the checkpoint " + checkpoint + " is empty: binrelay has not started on "
                        + "this target yet, and recording GTID " + gtid + " now would make the first run ignore "
                        + "source.startGtids ('" + startGtids + "'). Add the GTID to source.startGtids instead, or "
                        + "run binrelay first");
            }
            applier.markApplied(GtidSet.of(gtid));
        }
        return "skipped GTID " + gtid + ": recorded as applied in " + checkpoint + " without applying it";
    }
}
