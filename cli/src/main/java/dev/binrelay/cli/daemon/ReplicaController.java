package dev.binrelay.cli.daemon;

import dev.binrelay.cli.command.CheckpointSkip;
import dev.binrelay.cli.command.ControlRefusedException;
import dev.binrelay.checkpoint.Gtid;
import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.engine.ApplierState;
import dev.binrelay.engine.Replica;
import dev.binrelay.engine.ReplicaException;
import dev.binrelay.engine.ReplicaState;
import dev.binrelay.engine.ReplicaStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's owner of its {@link Replica}: pauses and resumes it, stops it to skip one transaction, and builds a
 * fresh one from the config when started again after a failure or a skip (a {@link Replica} runs once).
 *
 * <p>Thread-safe: control actions run one at a time; status reads and waits do not wait for them.
 */
public final class ReplicaController {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaController.class);
    /** How long one wait on a replica lasts before looking whether a start replaced it. */
    private static final Duration WAIT_SLICE = Duration.ofSeconds(1);
    /** How often a wait looks again while no replica runs. */
    private static final long ENDED_POLL_MILLIS = 50;

    private final String logPrefix;
    private final Supplier<Replica> replicas;
    private final Function<Gtid, String> skipper;
    private volatile Replica replica;
    private volatile ControllerStatus view = new ControllerStatus(ControllerStatus.Requested.RUNNING, 0, "", null, "");
    private volatile GtidSet skipped = GtidSet.empty();

    /**
     * @param replicas builds a new, unstarted replica from the config
     * @param skipper  records one GTID as applied in the checkpoint while no replica runs, returning what it did
     *                 (see {@link CheckpointSkip}); throws {@link CheckpointSkip.RefusedException} to refuse
     */
    public ReplicaController(Supplier<Replica> replicas, Function<Gtid, String> skipper) {
        this("", replicas, skipper);
    }

    /**
     * A controller whose log lines start with {@code logPrefix}, such as {@code [shard1] }, so that the lines of
     * several channels can be told apart.
     */
    public ReplicaController(String logPrefix, Supplier<Replica> replicas, Function<Gtid, String> skipper) {
        this.logPrefix = logPrefix;
        this.replicas = replicas;
        this.skipper = skipper;
        this.replica = replicas.get();
    }

    /**
     * Starts the first replica; returns once it is connected.
     *
     * @throws ReplicaException naming the cause when it cannot start
     */
    public synchronized void start() {
        view = new ControllerStatus(ControllerStatus.Requested.RUNNING, 1, "", null, "");
        replica.start();
    }

    /** The replica in charge now (replaced by a start after a failure or a skip). */
    public Replica replica() {
        return replica;
    }

    /** The current replica's status. */
    public ReplicaStatus replicaStatus() {
        return replica.status();
    }

    /** The daemon's view: what was asked, and what was done. */
    ControllerStatus status() {
        return view;
    }

    /**
     * Pauses the applier, like {@code STOP REPLICA SQL_THREAD}. Idempotent.
     *
     * @param who who asked, for the log, such as {@code POST /stop from 127.0.0.1}
     * @return what happened
     * @throws ControlRefusedException when the replica failed or is stopped
     */
    synchronized String pause(String who) {
        Replica current = replica;
        if (current.state() == ReplicaState.FAILED) {
            throw new ControlRefusedException("the replica has failed (" + failureOf(current) + "): nothing to "
                    + "pause; skip the failing transaction or start it again");
        }
        if (view.requested() == ControllerStatus.Requested.STOPPED) {
            return "the replica is already stopped (after a skip): start it to go on";
        }
        if (current.status().applier().state() == ApplierState.PAUSED) {
            return "the applier is already paused";
        }
        try {
            current.pause();
        } catch (IllegalStateException e) {
            throw new ControlRefusedException("cannot pause the applier: " + e.getMessage());
        }
        return record(ControllerStatus.Requested.PAUSED, "applier paused by " + who);
    }

    /**
     * Resumes a paused applier, like {@code START REPLICA SQL_THREAD}; after a failure or a skip, builds and starts a
     * new replica from the config, which resumes after the checkpoint. Idempotent.
     *
     * @return what happened
     * @throws ReplicaException when a new replica cannot start (it is then the failed one in charge)
     * @throws ControlRefusedException when the replica is starting or stopping
     */
    synchronized String resume(String who) {
        Replica current = replica;
        ReplicaState state = current.state();
        if (state.terminal()) {
            Replica fresh = replicas.get();
            replica = fresh;
            ControllerStatus before = view;
            view = new ControllerStatus(ControllerStatus.Requested.RUNNING, before.replicaStarts() + 1,
                    before.lastAction(), before.lastActionTime(), before.skippedGtids());
            LOG.info(logPrefix + "replica starting again (start {}), asked by {}", view.replicaStarts(), who);
            fresh.start();
            return record(ControllerStatus.Requested.RUNNING, "replica started by " + who);
        }
        if (state != ReplicaState.RUNNING) {
            throw new ControlRefusedException("the replica is " + state.name().toLowerCase(Locale.ROOT)
                    + ": try again in a moment");
        }
        if (current.status().applier().state() != ApplierState.PAUSED) {
            return "the applier is already running";
        }
        current.resume();
        return record(ControllerStatus.Requested.RUNNING, "applier resumed by " + who);
    }

    /**
     * Skips one transaction: only while the applier is paused or failed. Stops the replica, records {@code gtid} in
     * the checkpoint without applying it, and leaves the replica stopped until {@link #resume}.
     *
     * @return what happened
     * @throws ControlRefusedException       while the applier runs, or when the GTID is already applied
     * @throws CheckpointSkip.RefusedException when the checkpoint refuses it (already there, or not started yet)
     * @throws ReplicaException              when the target cannot be used
     */
    synchronized String skip(Gtid gtid, String who) {
        Replica current = replica;
        ApplierState applier = current.status().applier().state();
        boolean stoppable = current.state() == ReplicaState.FAILED || applier == ApplierState.PAUSED
                || applier == ApplierState.ERROR || view.requested() == ControllerStatus.Requested.STOPPED;
        if (!stoppable) {
            throw new ControlRefusedException("the applier is " + applier.name().toLowerCase(Locale.ROOT)
                    + ": stop it first (POST /stop, binrelay stop); a skip is only for a paused or failed applier");
        }
        if (current.appliedGtids().contains(gtid) || skipped.contains(gtid)) {
            throw new ControlRefusedException("GTID " + gtid + " is already applied: nothing to skip");
        }
        if (!current.state().terminal()) {
            LOG.info(logPrefix + "replica stopping for a skip of GTID {}, asked by {}", gtid, who);
            current.stop();
        }
        view = new ControllerStatus(ControllerStatus.Requested.STOPPED, view.replicaStarts(), view.lastAction(),
                view.lastActionTime(), view.skippedGtids());
        String done = skipper.apply(gtid);
        skipped = skipped.add(gtid);
        record(ControllerStatus.Requested.STOPPED, "GTID " + gtid + " skipped by " + who);
        return done + "; the replica stays stopped until started";
    }

    /**
     * Waits until the target has applied {@code gtids} (skipped ones count), across a start that replaces the
     * replica, like {@code WAIT_FOR_EXECUTED_GTID_SET}.
     *
     * @return true once applied, false when {@code timeout} passed first or the thread was interrupted
     */
    boolean awaitGtids(GtidSet gtids, Duration timeout) {
        GtidSet wanted = gtids.subtract(skipped);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Replica current = replica;
            long remaining = deadline - System.nanoTime();
            Duration slice = Duration.ofNanos(Math.max(0, Math.min(remaining, WAIT_SLICE.toNanos())));
            if (current.awaitGtids(wanted, slice)) {
                return true;
            }
            if (remaining <= 0 || Thread.currentThread().isInterrupted()) {
                return false;
            }
            if (current.state().terminal() && current == replica) {
                try {
                    TimeUnit.MILLISECONDS.sleep(ENDED_POLL_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
    }

    /** The GTIDs of {@code gtids} the target has not applied yet (skipped ones count as applied). */
    GtidSet missing(GtidSet gtids) {
        return gtids.subtract(skipped).subtract(replica.appliedGtids());
    }

    /**
     * Stops the replica in charge (for the daemon's shutdown); returns it. Not serialized with control actions: a
     * start hanging on an unreachable server must not hold up a SIGTERM.
     */
    public Replica shutDown() {
        Replica current = replica;
        current.stop();
        return current;
    }

    private String record(ControllerStatus.Requested requested, String action) {
        LOG.info(logPrefix + action);
        view = new ControllerStatus(requested, view.replicaStarts(), action, Instant.now(),
                skipped.isEmpty() ? "" : skipped.toString());
        return action;
    }

    private static String failureOf(Replica replica) {
        Throwable failure = replica.failure();
        return failure == null ? "unknown error" : String.valueOf(failure.getMessage());
    }
}
