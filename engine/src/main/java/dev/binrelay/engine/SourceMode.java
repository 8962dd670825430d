package dev.binrelay.engine;

import dev.binrelay.checkpoint.BinlogPosition;
import java.util.Locale;

/**
 * How the replica follows the source (config {@code source.mode}): by the source's GTIDs, or by binary log file and
 * position for a source without GTIDs.
 */
public enum SourceMode {
    /** By position when the source's {@code gtid_mode} is not ON, else by GTID. */
    AUTO,
    /** By the source's GTIDs: needs {@code gtid_mode=ON}. */
    GTID,
    /**
     * By file and position, with synthetic GTIDs in the checkpoint and position anchors (see
     * {@link dev.binrelay.checkpoint.PositionAnchors}); works whatever the source's {@code gtid_mode}.
     */
    POSITION;

    /** The config spelling, {@code auto}, {@code gtid} or {@code position}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Whether to read by position from a source with this {@code gtid_mode}.
     *
     * @param startPosition {@code source.startFile} and {@code source.startPosition}, or null
     * @throws ReplicaException when the mode does not fit the source or the start position
     */
    boolean byPosition(String gtidMode, BinlogPosition startPosition, String address) {
        boolean gtidsOn = "ON".equalsIgnoreCase(gtidMode);
        return switch (this) {
            case POSITION -> true;
            case GTID -> {
                if (!gtidsOn) {
                    throw new ReplicaException("source " + address + " has gtid_mode=" + gtidMode + ": source.mode "
                            + "gtid needs gtid_mode=ON and enforce_gtid_consistency=ON on the source; to replicate "
                            + "by binary log position instead, set source.mode: position (or auto)");
                }
                if (startPosition != null) {
                    throw new ReplicaException("source.startFile is for position mode, but source.mode is gtid: use "
                            + "source.startGtids, or set source.mode: position");
                }
                yield false;
            }
            case AUTO -> {
                if (gtidsOn && startPosition != null) {
                    throw new ReplicaException("source.startFile is set but source " + address + " has "
                            + "gtid_mode=ON, so source.mode auto replicates by GTID: set source.mode: position to "
                            + "replicate by binary log position, or use source.startGtids");
                }
                yield !gtidsOn;
            }
        };
    }
}
