package dev.binrelay.applier;

import dev.binrelay.engine.apply.TransientErrors;
import dev.binrelay.engine.event.RowChange;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code applier.skipErrors} for one worker: decides whether a target error on one row change is skipped (as MySQL's
 * {@code replica_skip_errors} skips the failing event and goes on with the rest of the transaction), logs every skip
 * at WARN, and counts the skips whose transaction committed. Nothing is skipped silently.
 *
 * <p>A skip counts only once its target transaction commits: a batch rolled back and applied again (a lock conflict)
 * logs its skip again but counts it once.
 *
 * <p>The worker's thread calls everything; {@link #skipped} may be read from any thread.
 */
final class RowErrorSkipper {
    /**
     * ER_KEY_NOT_FOUND, the code MySQL's replica stops with when an UPDATE or DELETE finds no row matching the
     * before image; binrelay finds that itself (the statement matched no row) and treats it as this code.
     */
    static final int ROW_NOT_FOUND = 1032;
    private static final Logger LOG = LoggerFactory.getLogger(RowErrorSkipper.class);

    private final int worker;
    private final Set<Integer> skippable;
    /** Skips in the open target transaction. */
    private long uncommitted;
    private volatile long committed;

    RowErrorSkipper(int worker, Set<Integer> skippable) {
        this.worker = worker;
        this.skippable = Set.copyOf(skippable);
    }

    /**
     * Whether {@code applier.skipErrors} may skip this error now: not in a speculative run if the error may come from
     * a dependency the scheduler missed; the engine applies the transaction again after its predecessors, and skips it
     * then if it persists. Skipping it now would lose a row the source has.
     */
    static boolean maySkip(int errorCode, boolean speculative) {
        return !speculative || !TransientErrors.isMissedDependency(errorCode);
    }

    /** Whether any error may be skipped; if so, each row change must be its own statement (see RowWriter). */
    boolean active() {
        return !skippable.isEmpty();
    }

    /**
     * Skips the failed row change if its error is listed: logs it and returns true; otherwise returns false and the
     * caller fails the transaction.
     */
    boolean skip(String gtid, RowChange row, int errorCode, String error) {
        if (!skippable.contains(errorCode)) {
            return false;
        }
        uncommitted++;
        LOG.warn("worker {}: GTID {}: {} on {} skipped (applier.skipErrors): target error {}: {}", worker, gtid,
                row.kind(), row.table(), errorCode, error);
        return true;
    }

    /** The open target transaction committed, with its skips. */
    void committed() {
        committed += uncommitted; // written by the worker's thread only
        uncommitted = 0;
    }

    /** The open target transaction was rolled back: its skips did not happen. */
    void rolledBack() {
        uncommitted = 0;
    }

    /** Row changes skipped in committed transactions. */
    long skipped() {
        return committed;
    }
}
