package dev.binrelay.engine;

import dev.binrelay.engine.apply.Applier;
import dev.binrelay.engine.apply.ApplyException;
import dev.binrelay.engine.assemble.LoopGuard;
import dev.binrelay.engine.assemble.TransactionAssembler;
import dev.binrelay.engine.pipeline.ApplyPipeline;
import dev.binrelay.engine.pipeline.ApplyProgress;
import dev.binrelay.engine.pipeline.Lag;
import dev.binrelay.engine.pipeline.PipelineSettings;
import dev.binrelay.engine.source.BinlogSource;
import dev.binrelay.engine.source.MariaDbGtids;
import dev.binrelay.engine.source.MariaDbSourceChecks;
import dev.binrelay.engine.source.PositionCounter;
import dev.binrelay.engine.source.PositionStart;
import dev.binrelay.engine.source.SourceChecks;
import dev.binrelay.checkpoint.BinlogPosition;
import dev.binrelay.checkpoint.GtidSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running replica: reads the source's binary log, assembles transactions and applies them through an
 * {@link Applier}, resuming from the applier's checkpoint.
 *
 * <pre>{@code
 * Replica replica = Replica.builder().source(settings).applier(applier).build();
 * replica.start();          // returns once connected; throws ReplicaException naming the cause
 * ...
 * replica.stop();           // finishes the transaction in flight, then stops
 * }</pre>
 *
 * <p>Thread-safe. Lifecycle: {@link ReplicaState}; a second {@link #start} fails. A fatal error on any thread moves
 * it to FAILED, stops it, and is available from {@link #failure()}.
 */
public final class Replica {
    private static final Logger LOG = LoggerFactory.getLogger(Replica.class);
    /** How long {@link #awaitGtids} waits before it looks at the replica's state again. */
    private static final Duration AWAIT_SLICE = Duration.ofMillis(100);

    private final SourceSettings source;
    private final Applier applier;
    private final int workers;
    private final PipelineSettings pipelineSettings;
    private final Duration stopTimeout;
    private final ReplicationFilter filter;
    /** Null: the target's own server_id. */
    private final Set<Long> ignoreServerIds;
    private final SourceMode mode;
    private final BinlogPosition startPosition;
    private final AtomicReference<ReplicaState> state = new AtomicReference<>(ReplicaState.NEW);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final ReplicaListeners listeners;
    private volatile BinlogSource reader;
    private volatile TransactionAssembler assembler;
    private volatile ApplyPipeline pipeline;
    private volatile ApplyProgress progress;
    private volatile String serverUuid = "";
    /** When the replica began running: the reader has heard from the source at least then. */
    private volatile long runningSinceMillis;
    /** The failure of a worker, for the status (a source failure leaves it null). */
    private volatile ApplyError applyError;
    /** {@link #mode} until the source check tells AUTO apart, then GTID or POSITION. */
    private volatile SourceMode modeInUse;

    private Replica(Builder builder) {
        this.source = builder.source;
        this.applier = builder.applier;
        this.workers = builder.workers;
        this.pipelineSettings = new PipelineSettings(builder.scheduler, builder.ringSize, builder.preserveCommitOrder,
                builder.batchSize, builder.writesetHistory, builder.largeTransactionBytes, builder.queueBytes, builder.retries);
        this.stopTimeout = builder.stopTimeout;
        this.filter = builder.filter;
        this.ignoreServerIds = builder.ignoreServerIds;
        this.mode = builder.mode;
        this.modeInUse = builder.mode;
        this.startPosition = builder.startPosition;
        this.listeners = new ReplicaListeners(builder.listeners);
    }

    /** A builder; {@code source} and {@code applier} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Checks the source, opens the target, and starts reading after the target's checkpoint. Returns once the binlog
     * connection is up.
     *
     * @throws ReplicaException naming the cause (unreachable server, refused user, source settings) after which the
     *                          replica is FAILED
     * @throws IllegalStateException if called twice
     */
    public void start() {
        if (!moveTo(ReplicaState.NEW, ReplicaState.STARTING)) {
            throw new IllegalStateException("replica already started (state " + state.get() + ")");
        }
        LOG.info("replica starting: source {}, scheduler {}, {} worker(s), commit order {}, batches of up to {}, "
                + "ring of {}", source.address(), pipelineSettings.scheduler().configName(), workers,
                pipelineSettings.preserveCommitOrder() ? "preserved" : "relaxed", pipelineSettings.batchSize(),
                pipelineSettings.ringSize());
        if (!filter.isNone()) {
            LOG.info("replica filters: {}", filter);
        }
        try {
            SourceInfo sourceInfo = SourceChecks.run(source);
            serverUuid = sourceInfo.serverUuid();
            MariaDbSourceChecks.checkScheduler(sourceInfo, pipelineSettings.scheduler());
            MariaDbSourceChecks.checkCommitOrder(sourceInfo, pipelineSettings.preserveCommitOrder());
            boolean byPosition = mode.byPosition(sourceInfo.gtidMode(), startPosition, source.address());
            GtidSet applied = applier.open(sourceInfo, workers);
            modeInUse = byPosition ? SourceMode.POSITION : SourceMode.GTID;
            PositionStart.Resumed resumed = byPosition
                    ? PositionStart.resolve(applier, source, sourceInfo, applied, startPosition) : null;
            PositionCounter positions = resumed == null ? null : resumed.counter();
            if (!byPosition && applied.isEmpty() && source.startGtids() != null && !source.startGtids().isBlank()) {
                applied = initialPosition();
                applier.markApplied(applied);
                LOG.info("checkpoint empty: starting after {}", applied.isEmpty() ? "(nothing)" : applied);
            }
            LOG.info("source {} (server_uuid {}, MySQL {}): resuming after {}", source.address(),
                    sourceInfo.serverUuid(), sourceInfo.version(), applied.isEmpty() ? "(nothing)" : applied);
            progress = new ApplyProgress(applied, resumed == null ? null : resumed.applied());
            pipeline = ApplyPipeline.of(pipelineSettings, applier, workers, progress, listeners, this::failApplying);
            pipeline.start();
            assembler = new TransactionAssembler(applied, pipeline, pipelineSettings.largeTransactionBytes(), filter, loopGuard(), positions);
            reader = new BinlogSource(source, assembler, positions, this::fail);
            runningSinceMillis = System.currentTimeMillis();
            reader.start(applied);
            if (!moveTo(ReplicaState.STARTING, ReplicaState.RUNNING)) {
                throw failureOr(new ReplicaException("replica stopped while starting"));
            }
            LOG.info("replica running");
        } catch (RuntimeException e) {
            fail(e);
            throw e instanceof ReplicaException ? e : new ReplicaException(e.getMessage(), e);
        }
    }

    /** Stops reading, lets the workers finish the transaction each is applying, and closes the target. */
    public void stop() {
        ReplicaState current = state.get();
        while (current == ReplicaState.RUNNING || current == ReplicaState.STARTING) {
            if (moveTo(current, ReplicaState.STOPPING)) {
                LOG.info("replica stopping");
                shutDown();
                state.set(ReplicaState.STOPPED);
                listeners.stateChanged(ReplicaState.STOPPED);
                LOG.info("replica stopped after applying {} transaction(s)", transactionsApplied());
                terminated.countDown();
                return;
            }
            current = state.get();
        }
        awaitTermination(stopTimeout.plusSeconds(5));
    }

    /** Waits until the replica has stopped or failed; returns whether it has. */
    public boolean awaitTermination(Duration timeout) {
        try {
            return terminated.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The current lifecycle state. */
    public ReplicaState state() {
        return state.get();
    }

    /** The error that stopped the replica, or null. */
    public Throwable failure() {
        return failure.get();
    }

    /** The GTID set applied on the target, as far as this replica knows (its checkpoint plus what it applied). */
    public GtidSet appliedGtids() {
        ApplyProgress current = progress;
        return current == null ? GtidSet.empty() : current.appliedGtids();
    }

    /**
     * Pauses the applier, like {@code STOP REPLICA SQL_THREAD}: each worker commits what it holds and takes nothing
     * new; the reader keeps receiving until the ring is full, so the lag keeps growing while paused. Returns once no
     * worker applies anything (or after the stop timeout, logged). Idempotent.
     *
     * @throws IllegalStateException unless the replica is running
     */
    public synchronized void pause() {
        ApplyPipeline running = runningPipeline("pause");
        if (running.paused()) {
            return;
        }
        if (running.pause(stopTimeout)) {
            LOG.info("applier paused after {} transaction(s); the reader goes on receiving", transactionsApplied());
        } else {
            LOG.warn("applier paused; a worker was still applying after {} ms and stops once it is done",
                    stopTimeout.toMillis());
        }
    }

    /**
     * Resumes a paused applier, like {@code START REPLICA SQL_THREAD}. Idempotent.
     *
     * @throws IllegalStateException unless the replica is running
     */
    public synchronized void resume() {
        ApplyPipeline running = runningPipeline("resume");
        if (!running.paused()) {
            return;
        }
        running.resume();
        LOG.info("applier resumed");
    }

    private ApplyPipeline runningPipeline(String action) {
        ApplyPipeline current = pipeline;
        if (state.get() != ReplicaState.RUNNING || current == null) {
            throw new IllegalStateException("cannot " + action + " the applier: replica is " + state.get());
        }
        return current;
    }

    /**
     * Waits until the target has applied every transaction of {@code gtids} (as {@code WAIT_FOR_EXECUTED_GTID_SET}
     * does), so that an application can read its own writes from the replica.
     *
     * @return true once applied; false when {@code timeout} passed first, the replica ended, or the thread was
     *         interrupted (its flag is set again)
     */
    public boolean awaitGtids(GtidSet gtids, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!appliedGtids().containsAll(gtids)) {
            long left = deadline - System.nanoTime();
            ApplyProgress current = progress;
            if (state.get().terminal() || left <= 0) {
                return appliedGtids().containsAll(gtids);
            }
            long slice = Math.min(AWAIT_SLICE.toNanos(), left);
            try {
                if (current == null) {
                    TimeUnit.NANOSECONDS.sleep(slice); // not started yet
                } else {
                    // Woken by each commit; the slice bounds how long an end of the replica goes unseen.
                    current.awaitApplied(gtids, Duration.ofNanos(slice));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /**
     * A snapshot for progress lines, status pages and metrics; each figure is read once, without stopping anything, so
     * figures of different parts may be a moment apart.
     */
    public ReplicaStatus status() {
        ApplyProgress current = progress;
        BinlogSource currentReader = reader;
        ApplyPipeline currentPipeline = pipeline;
        ReplicaState currentState = state.get();
        List<WorkerStatus> workerStatuses = currentPipeline == null ? List.of() : currentPipeline.workerStatuses();
        return new ReplicaStatus(currentState, sourceStatus(currentState, currentReader),
                applierStatus(currentState, current, currentPipeline, currentReader, workerStatuses),
                currentPipeline == null ? null : currentPipeline.schedulerStatus(), workerStatuses, modeInUse);
    }

    private SourceStatus sourceStatus(ReplicaState currentState, BinlogSource currentReader) {
        if (currentReader == null) {
            ReaderState readerState = currentState == ReplicaState.STARTING ? ReaderState.CONNECTING
                    : ReaderState.STOPPED;
            return new SourceStatus(readerState, source.address(), serverUuid, "", 0, "", null, "", null);
        }
        SourceStatus status = currentReader.status(serverUuid);
        if (currentState.terminal() && status.state() != ReaderState.ERROR) {
            // The replica stopped the reader, or failed on the applier's side.
            return new SourceStatus(ReaderState.STOPPED, status.address(), status.serverUuid(), status.binlogFile(),
                    status.binlogPosition(), status.receivedGtids(), status.lastEventTime(), status.lastError(),
                    status.lastErrorTime());
        }
        return status;
    }

    private ApplierStatus applierStatus(ReplicaState currentState, ApplyProgress current, ApplyPipeline currentPipeline,
                                        BinlogSource currentReader, List<WorkerStatus> workerStatuses) {
        ApplyError error = applyError;
        ApplierState applierState = error != null ? ApplierState.ERROR
                : currentState != ReplicaState.RUNNING || currentPipeline == null ? ApplierState.STOPPED
                : currentPipeline.paused() ? ApplierState.PAUSED : ApplierState.RUNNING;
        return new ApplierStatus(applierState,
                current == null ? "" : current.appliedGtids().toString(), current == null ? "" : current.lastGtid(),
                lagSeconds(currentState, currentPipeline, currentReader),
                current == null ? 0 : current.transactions(), current == null ? 0 : current.rows(),
                workerStatuses.stream().mapToLong(WorkerStatus::skippedErrors).sum(),
                current == null ? 0 : current.transactionsPerSecond(),
                currentPipeline == null ? 0 : currentPipeline.inFlight(), pipelineSettings.ringSize(),
                currentPipeline == null ? 0 : currentPipeline.heldBytes(), error,
                current == null ? null : current.appliedPosition());
    }

    /** See {@link Lag} and the README, "Lag". */
    private Double lagSeconds(ReplicaState currentState, ApplyPipeline currentPipeline, BinlogSource currentReader) {
        TransactionAssembler currentAssembler = assembler;
        if (currentState != ReplicaState.RUNNING || currentPipeline == null || currentReader == null
                || currentAssembler == null) {
            return null;
        }
        long inRing = currentPipeline.oldestPendingMicros();
        long receiving = currentAssembler.receivingMicros();
        long oldest = inRing == 0 ? receiving : receiving == 0 ? inRing : Math.min(inRing, receiving);
        long lastHeard = Math.max(currentReader.lastReceivedMillis(), runningSinceMillis);
        return Lag.seconds(true, oldest, currentReader.state() == ReaderState.CONNECTED, lastHeard,
                source.heartbeat().toMillis(), System.currentTimeMillis() * 1000);
    }

    private long transactionsApplied() {
        ApplyProgress current = progress;
        return current == null ? 0 : current.transactions();
    }

    private LoopGuard loopGuard() {
        Set<Long> ignored = ignoreServerIds;
        if (ignored == null) {
            long own = applier.targetServerId();
            ignored = own == 0 ? Set.of() : Set.of(own);
        }
        LoopGuard guard = new LoopGuard(applier.checkpointSchema(), ignored);
        LOG.info("loop prevention: skipping transactions that originated on server_id {}", guard.describe());
        return guard;
    }

    private GtidSet initialPosition() {
        String start = source.startGtids().trim();
        if (start.toLowerCase(Locale.ROOT).equals("current")) {
            return SourceChecks.gtidExecuted(source);
        }
        if (MariaDbGtids.isPosition(start)) {
            return MariaDbGtids.fromPosition(start);
        }
        try {
            return GtidSet.parse(start);
        } catch (IllegalArgumentException e) {
            throw new ReplicaException("source.startGtids: " + e.getMessage(), e);
        }
    }

    /** A worker failed: the applier's error for the status, then the replica's failure. */
    private void failApplying(Throwable error) {
        if (failure.get() == null) {
            applyError = error instanceof ApplyException apply
                    ? new ApplyError(apply.gtid(), apply.table(), apply.targetErrorCode(),
                            String.valueOf(apply.getMessage()), Instant.now())
                    : new ApplyError("", "", 0, String.valueOf(error.getMessage()), Instant.now());
        }
        fail(error);
    }

    private void fail(Throwable error) {
        // The error is stored before the state says FAILED, so whoever sees FAILED also sees why.
        if (!failure.compareAndSet(null, error)) {
            return;
        }
        ReplicaState current = state.get();
        while (!current.terminal()) {
            if (state.compareAndSet(current, ReplicaState.FAILED)) {
                LOG.error("replica failed: {}", error.getMessage());
                listeners.stateChanged(ReplicaState.FAILED);
                listeners.failed(error);
                // Stop from a thread of our own: the failing thread may be a worker or the reader we are stopping.
                Thread stopper = new Thread(() -> {
                    shutDown();
                    terminated.countDown();
                }, "binrelay-stop");
                stopper.start();
                return;
            }
            current = state.get();
        }
    }

    /** Moves from {@code expected} to {@code next} and tells the listeners; false if the state was not expected. */
    private boolean moveTo(ReplicaState expected, ReplicaState next) {
        if (!state.compareAndSet(expected, next)) {
            return false;
        }
        listeners.stateChanged(next);
        return true;
    }

    private RuntimeException failureOr(RuntimeException fallback) {
        Throwable error = failure.get();
        return error instanceof RuntimeException runtime ? runtime : fallback;
    }

    private void shutDown() {
        BinlogSource currentReader = reader;
        if (currentReader != null) {
            currentReader.stop();
        }
        ApplyPipeline currentPipeline = pipeline;
        if (currentPipeline != null) {
            currentPipeline.stop(stopTimeout);
        }
        try {
            applier.close();
        } catch (RuntimeException e) {
            LOG.warn("closing the target failed: {}", e.toString());
        }
    }

    /** Builds a {@link Replica}. */
    public static final class Builder {
        private SourceSettings source;
        private Applier applier;
        private int workers = ApplierSettings.WORKERS.defaultInt();
        private int ringSize = ApplierSettings.RING_SIZE.defaultInt();
        private SchedulerKind scheduler = ApplierSettings.SCHEDULER;
        private boolean preserveCommitOrder = ApplierSettings.PRESERVE_COMMIT_ORDER;
        private int batchSize = ApplierSettings.BATCH_SIZE.defaultInt();
        private int writesetHistory = ApplierSettings.WRITESET_HISTORY.defaultInt();
        private long largeTransactionBytes = ApplierSettings.LARGE_TRANSACTION_BYTES.defaultValue();
        private long queueBytes = ApplierSettings.QUEUE_BYTES.defaultValue();
        private int retries = ApplierSettings.RETRIES.defaultInt();
        private Duration stopTimeout = Duration.ofSeconds(ApplierSettings.STOP_TIMEOUT_SECONDS.defaultValue());
        private ReplicationFilter filter = ReplicationFilter.NONE;
        private Set<Long> ignoreServerIds;
        private SourceMode mode = SourceMode.AUTO;
        private BinlogPosition startPosition;
        private final List<ReplicaListener> listeners = new ArrayList<>();

        private Builder() {
        }

        /** Where to read from. Required. */
        public Builder source(SourceSettings source) {
            this.source = source;
            return this;
        }

        /** Where to apply. Required; the replica closes it when it stops. */
        public Builder applier(Applier applier) {
            this.applier = applier;
            return this;
        }

        /** Worker threads applying at once (config {@code applier.workers}), within {@link ApplierSettings#WORKERS}. */
        public Builder workers(int workers) {
            this.workers = ApplierSettings.WORKERS.checkInt(workers);
            return this;
        }

        /** The dependency policy (config {@code applier.scheduler}); serial by default. */
        public Builder scheduler(SchedulerKind scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "applier.scheduler");
            return this;
        }

        /**
         * Whether workers commit in source order (config {@code applier.preserveCommitOrder}, default true), so that
         * the target only shows states the source had. When false they commit as they finish; the checkpoint stays
         * exact either way.
         */
        public Builder preserveCommitOrder(boolean preserve) {
            this.preserveCommitOrder = preserve;
            return this;
        }

        /**
         * How many consecutive transactions of one worker may share a target commit (config
         * {@code applier.batchSize}, default 16); 1 commits each alone.
         */
        public Builder batchSize(int batchSize) {
            this.batchSize = ApplierSettings.BATCH_SIZE.checkInt(batchSize);
            return this;
        }

        /** Keys the writeset scheduler remembers (config {@code applier.writesetHistory}, default 25000). */
        public Builder writesetHistory(int keys) {
            this.writesetHistory = ApplierSettings.WRITESET_HISTORY.checkInt(keys);
            return this;
        }

        /** Ring slots between reader and workers (config {@code applier.ringSize}): a power of two. */
        public Builder ringSize(int ringSize) {
            if (Integer.bitCount(ApplierSettings.RING_SIZE.checkInt(ringSize)) != 1) {
                throw new IllegalArgumentException("applier.ringSize must be a power of two (such as 1024), not "
                        + ringSize);
            }
            this.ringSize = ringSize;
            return this;
        }

        /**
         * A transaction whose decoded rows take more heap than this (estimated) is streamed to its worker in chunks
         * instead of being held whole (config {@code applier.largeTransactionBytes}, default 4 MiB). A streamed
         * transaction runs alone, like DDL.
         */
        public Builder largeTransactionBytes(long bytes) {
            this.largeTransactionBytes = ApplierSettings.LARGE_TRANSACTION_BYTES.check(bytes);
            return this;
        }

        /**
         * How much decoded data (estimated heap) may wait in the ring for the workers (config
         * {@code applier.queueBytes}, default 64 MiB); the reader waits beyond it. With the ring's slot count and
         * {@link #largeTransactionBytes}, this bounds the replica's memory whatever the backlog.
         */
        public Builder queueBytes(long bytes) {
            this.queueBytes = ApplierSettings.QUEUE_BYTES.check(bytes);
            return this;
        }

        /**
         * How many times a transaction is applied again after a transient target error before the replica stops
         * (config {@code applier.retries}, default 10, like MySQL's {@code replica_transaction_retries}): a deadlock
         * or lock wait timeout caused by another session, or a lost target connection (retried after a pause that
         * doubles from 200 ms up to 5 s, on a new connection).
         */
        public Builder retries(int retries) {
            this.retries = ApplierSettings.RETRIES.checkInt(retries);
            return this;
        }

        /**
         * Skips transactions that originated on these servers (config {@code source.ignoreServerIds}), so that two
         * servers can replicate into each other without echo. By default (null) the target's own server_id; an empty
         * set turns loop prevention off.
         */
        public Builder ignoreServerIds(Collection<Long> serverIds) {
            if (serverIds != null) {
                for (long id : serverIds) {
                    if (id < 1 || id > 4294967295L) {
                        throw new IllegalArgumentException("source.ignoreServerIds: each must be 1-4294967295, not "
                                + id);
                    }
                }
            }
            this.ignoreServerIds = serverIds == null ? null : Set.copyOf(serverIds);
            return this;
        }

        /** GTID or position replication (config {@code source.mode}); auto by default. */
        public Builder mode(SourceMode mode) {
            this.mode = Objects.requireNonNull(mode, "source.mode");
            return this;
        }

        /**
         * Position mode: where to start when the checkpoint is empty (config {@code source.startFile} and
         * {@code source.startPosition}, a transaction boundary); null, the default, for the source's current position.
         */
        public Builder startPosition(BinlogPosition startPosition) {
            this.startPosition = startPosition;
            return this;
        }

        /** How long {@link #stop} waits for the workers to finish the transaction in flight. */
        public Builder stopTimeout(Duration stopTimeout) {
            this.stopTimeout = Objects.requireNonNull(stopTimeout);
            return this;
        }

        /**
         * Which tables and databases to replicate, and under which database names (config {@code filters.*});
         * {@link ReplicationFilter#NONE} by default. Transactions it empties are still recorded in the checkpoint.
         */
        public Builder filter(ReplicationFilter filter) {
            this.filter = Objects.requireNonNull(filter, "filter");
            return this;
        }

        /** Adds a listener told of applied transactions, failures and state changes (see {@link ReplicaListener}). */
        public Builder listener(ReplicaListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** The replica, not yet started. */
        public Replica build() {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(applier, "applier");
            return new Replica(this);
        }
    }
}
