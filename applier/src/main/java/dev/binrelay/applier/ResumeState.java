package dev.binrelay.applier;

import dev.binrelay.checkpoint.Gtid;
import dev.binrelay.checkpoint.GtidSet;

/**
 * What {@link JdbcApplier} learns before the replica starts and its workers read while applying: the DDL a previous
 * run started and did not checkpoint (read from the {@link DdlMarker} at open), and the idempotent window of a resumed
 * snapshot.
 *
 * <p>Thread-safe: the applier writes, any worker reads.
 */
final class ResumeState {
    private volatile String pendingDdlGtid;
    private volatile GtidSet idempotentWindow = GtidSet.empty();

    /** Notes the DDL a previous run started and did not checkpoint ({@code gtid}), or none (null). */
    void pendingDdl(String gtid) {
        pendingDdlGtid = gtid;
    }

    /** The pending DDL was recorded as applied without running (skipped): it no longer runs again. */
    void forgetPendingDdl() {
        pendingDdlGtid = null;
    }

    /** Whether {@code gtid} is the DDL a previous run started and did not checkpoint; consumes the answer. */
    boolean takePendingDdl(String gtid) {
        if (gtid.equals(pendingDdlGtid)) {
            pendingDdlGtid = null;
            return true;
        }
        return false;
    }

    /** Sets the GTIDs to apply idempotently; empty for none. */
    void idempotentWindow(GtidSet window) {
        idempotentWindow = window;
    }

    /** Whether {@code gtid} is in the idempotent window. */
    boolean appliesIdempotently(Gtid gtid) {
        GtidSet window = idempotentWindow;
        return !window.isEmpty() && window.contains(gtid);
    }
}
