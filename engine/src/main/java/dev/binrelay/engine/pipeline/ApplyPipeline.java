package dev.binrelay.engine.pipeline;

import dev.binrelay.engine.ReplicaException;
import dev.binrelay.engine.ReplicaListener;
import dev.binrelay.engine.SchedulerKind;
import dev.binrelay.engine.SchedulerStatus;
import dev.binrelay.engine.WorkerStatus;
import dev.binrelay.engine.apply.Applier;
import dev.binrelay.engine.apply.KeyCatalog;
import dev.binrelay.engine.assemble.TransactionSink;
import dev.binrelay.engine.event.ChangeStream;
import dev.binrelay.engine.event.Transaction;
import dev.binrelay.engine.schedule.DatabaseScheduler;
import dev.binrelay.engine.schedule.LogicalClockScheduler;
import dev.binrelay.engine.schedule.PrefixKeyClock;
import dev.binrelay.engine.schedule.Scheduler;
import dev.binrelay.engine.schedule.Scheduling;
import dev.binrelay.engine.schedule.SerialScheduler;
import dev.binrelay.engine.schedule.WritesetScheduler;
import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.BatchEventProcessorBuilder;
import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The bounded hand-off between the reader (single producer) and the workers: a Disruptor ring with one
 * {@link BatchEventProcessor} per worker on one barrier. The reader places each transaction (worker and dependency,
 * by {@link Scheduling}) as it publishes it; each processor applies only its own slots. The producer is gated on
 * every processor's sequence, so a slot is reused only after its worker committed it, and a slow target stops the
 * reader instead of growing memory; the reader also waits while the transactions in the ring hold more than
 * {@code queueBytes} of decoded data (large transactions are streamed, see {@link ChangeStream}).
 *
 * <p>{@link #publish} is called by the reader thread only. {@link #stop} may be called from any thread.
 */
public final class ApplyPipeline implements TransactionSink {
    /** The longest the reader sleeps on a full ring, or for a commit, before it looks again (a commit wakes it). */
    private static final long FULL_RING_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(500);

    private final RingBuffer<TransactionSlot> ring;
    private final CommitTracker tracker;
    private final Scheduling scheduling;
    private final WorkerControl control;
    private final List<BatchEventProcessor<TransactionSlot>> processors = new ArrayList<>();
    private final List<ApplyWorker> workers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final long startNanos = System.nanoTime();
    private final long queueBytes;
    /** Commits the reader waits for on a full ring before it looks again. */
    private final int batchSize;
    /** Per ring slot, the commit timestamp (epoch microseconds) of its transaction, which the lag is measured from. */
    private final AtomicLongArray commitMicros;
    private final MissedDependencies missed = new MissedDependencies();

    /**
     * A pipeline of {@code workers} workers, each applying through its own {@link Applier#worker}.
     *
     * @param settings the {@code applier.*} settings
     * @param applier  the opened applier: gives each worker its target connection, and the table keys
     * @param progress what the workers applied, for the status
     * @param listener told of each commit and failure
     * @param onFatal  called once, on a worker's thread, when a worker fails
     * @throws ReplicaException when the writeset scheduler is asked of an applier that knows no table keys
     */
    public static ApplyPipeline of(PipelineSettings settings, Applier applier, int workers, ApplyProgress progress,
                                   ReplicaListener listener, Consumer<Throwable> onFatal) {
        KeyCatalog keyCatalog = applier.keyCatalog();
        if (settings.scheduler() == SchedulerKind.WRITESET && keyCatalog == null) {
            throw new ReplicaException("applier.scheduler writeset needs table keys, which this applier cannot "
                    + "provide");
        }
        List<Applier.Worker> targets = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            targets.add(applier.worker(i));
        }
        return new ApplyPipeline(settings, targets, keyCatalog, progress, listener, onFatal);
    }

    /**
     * @param targets    one applier worker per pipeline worker, each with its own target connection
     * @param keyCatalog the target's table keys, for the writeset and the prefix-key clock; null if there are none
     */
    public ApplyPipeline(PipelineSettings settings, List<Applier.Worker> targets, KeyCatalog keyCatalog,
                  ApplyProgress progress, ReplicaListener listener, Consumer<Throwable> onFatal) {
        this.control = new WorkerControl(onFatal);
        this.queueBytes = settings.queueBytes();
        this.batchSize = settings.batchSize();
        this.ring = RingBuffer.createSingleProducer(TransactionSlot::new, settings.ringSize(),
                new BlockingWaitStrategy());
        this.tracker = new CommitTracker(settings.ringSize(), -1);
        this.commitMicros = new AtomicLongArray(settings.ringSize());
        this.scheduling = new Scheduling(settings.scheduler(), policy(settings, keyCatalog), targets.size(),
                settings.batchSize());
        SequenceBarrier barrier = ring.newBarrier();
        for (int index = 0; index < targets.size(); index++) {
            ApplyWorker worker = new ApplyWorker(index, targets.get(index), tracker, progress, control, listener,
                    missed, settings.preserveCommitOrder(), settings.batchSize(), settings.retries());
            BatchEventProcessor<TransactionSlot> processor = new BatchEventProcessorBuilder().build(ring, barrier,
                    worker);
            processor.setExceptionHandler(new FatalToReplica());
            workers.add(worker);
            processors.add(processor);
        }
        ring.addGatingSequences(processors.stream().map(BatchEventProcessor::getSequence).toArray(Sequence[]::new));
        ring.addGatingSequences(tracker.gate()); // a slot is free only once its transaction committed
    }

    public void start() {
        for (int i = 0; i < processors.size(); i++) {
            Thread thread = new Thread(processors.get(i), "binrelay-worker-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    /**
     * Places a transaction and hands it to its worker; waits while the ring is full.
     *
     * @throws PipelineClosedException once {@link #stop} began
     */
    @Override
    public void accept(Transaction transaction) {
        long sequence;
        while (true) {
            if (control.closed()) {
                throw new PipelineClosedException();
            }
            long held = control.heldBytes();
            if (held > 0 && held + transaction.heapBytes() > queueBytes) {
                awaitNextCommit(); // the workers hold enough: wait for commits
                continue;
            }
            try {
                sequence = ring.tryNext();
                break;
            } catch (InsufficientCapacityException full) {
                // tryNext rather than next: a blocked next() could never see the stop.
                awaitNextCommit();
            }
        }
        TransactionSlot slot = ring.get(sequence);
        slot.transaction = transaction;
        try {
            scheduling.place(transaction, sequence, slot);
        } catch (RuntimeException e) {
            // A claimed sequence must be published; no worker takes this one, and we are stopping.
            slot.worker = -1;
            slot.transaction = null;
            ring.publish(sequence);
            throw e;
        }
        control.held(transaction);
        commitMicros.set((int) (sequence & (commitMicros.length() - 1)),
                Lag.commitMicros(transaction, System.currentTimeMillis() * 1000));
        ring.publish(sequence);
    }

    /** Decoded data handed over and not yet committed, estimated. */
    public long heldBytes() {
        return control.heldBytes();
    }

    /** Transactions handed over and not yet committed. */
    public long inFlight() {
        return ring.getCursor() - tracker.committedThrough();
    }

    /**
     * The commit timestamp of the oldest transaction handed over and not yet committed, 0 if none. Read racily: if that
     * transaction commits meanwhile, the answer may be a newer one's, which is the lag a moment later.
     */
    public long oldestPendingMicros() {
        long committed = tracker.committedThrough();
        if (ring.getCursor() <= committed) {
            return 0;
        }
        return commitMicros.get((int) ((committed + 1) & (commitMicros.length() - 1)));
    }

    int ringSize() {
        return ring.getBufferSize();
    }

    public List<WorkerStatus> workerStatuses() {
        return workers.stream().map(ApplyWorker::status).toList();
    }

    public SchedulerStatus schedulerStatus() {
        double elapsed = Math.max(1, System.nanoTime() - startNanos);
        double busy = workers.stream().mapToLong(ApplyWorker::busyNanos).sum();
        return new SchedulerStatus(scheduling.kind(), workers.size(), scheduling.scheduled(), scheduling.independent(),
                scheduling.barriers(), scheduling.streamed(), inFlight(), heldBytes(), busy / elapsed,
                scheduling.policyDetail(), missed.status());
    }

    /**
     * Stops taking transactions; each worker commits what it may without waiting for others and rolls back the rest,
     * then exits. Transactions not committed were not checkpointed, so they are read again next time.
     */
    public void stop(Duration timeout) {
        control.close();
        for (BatchEventProcessor<TransactionSlot> processor : processors) {
            processor.halt();
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread thread : threads) {
            try {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public boolean closed() {
        return control.closed();
    }

    /**
     * Stops the workers taking transactions, like {@code STOP REPLICA SQL_THREAD}: each commits the run it holds (or
     * rolls it back to apply it again after {@link #resume}, if an earlier transaction is not committed yet) and then
     * waits. The reader goes on filling the ring. Returns once no worker applies anything, or after {@code timeout}.
     *
     * @return whether every worker came to rest within {@code timeout}
     */
    public boolean pause(Duration timeout) {
        control.pause(true);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!control.closed() && workers.stream().anyMatch(ApplyWorker::busy)) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        return true;
    }

    /** Lets the workers take transactions again. */
    public void resume() {
        control.pause(false);
    }

    public boolean paused() {
        return control.paused();
    }

    private Scheduler policy(PipelineSettings settings, KeyCatalog keyCatalog) {
        return switch (settings.scheduler()) {
            case SERIAL -> new SerialScheduler();
            case DATABASE -> new DatabaseScheduler();
            case LOGICAL_CLOCK -> logicalClock(settings, keyCatalog);
            case WRITESET -> new WritesetScheduler(keyCatalog, settings.writesetHistory(), this::awaitCommitted);
        };
    }

    /** The source's clock, corrected on prefix keys where a key catalog knows them. */
    private Scheduler logicalClock(PipelineSettings settings, KeyCatalog keyCatalog) {
        LogicalClockScheduler clock = new LogicalClockScheduler(Math.max(1024, settings.ringSize() * 2));
        if (keyCatalog == null) {
            return clock;
        }
        return new PrefixKeyClock(clock, WritesetScheduler.prefixKeysOnly(keyCatalog, settings.writesetHistory(),
                this::awaitCommitted));
    }

    /**
     * Parks the reader until commits have moved the mark by a batch (slots, or queued bytes, are then free; waking
     * for each one would cost a wake-up per commit), or for {@link #FULL_RING_PARK_NANOS} at most: a worker frees
     * its slots in the ring just after it commits them.
     */
    private void awaitNextCommit() {
        long committed = tracker.committedThrough();
        long inFlight = ring.getCursor() - committed;
        tracker.await(committed + Math.max(1, Math.min(batchSize, inFlight)), FULL_RING_PARK_NANOS);
    }

    /** Blocks the reader until {@code sequence} and everything before it committed (after DDL, for the catalog). */
    private void awaitCommitted(long sequence) {
        while (!tracker.isCommittedThrough(sequence)) {
            if (control.closed()) {
                throw new PipelineClosedException();
            }
            tracker.await(sequence, FULL_RING_PARK_NANOS);
        }
    }

    private final class FatalToReplica implements ExceptionHandler<TransactionSlot> {
        @Override
        public void handleEventException(Throwable ex, long sequence, TransactionSlot slot) {
            control.fail(ex);
            // Only Errors get here (workers catch their exceptions): end this worker's loop.
            throw ex instanceof RuntimeException runtime ? runtime : new IllegalStateException(ex);
        }

        @Override
        public void handleOnStartException(Throwable ex) {
            control.fail(ex);
        }

        @Override
        public void handleOnShutdownException(Throwable ex) {
            // closing a worker's connection failed after it stopped; nothing was lost
        }
    }
}
