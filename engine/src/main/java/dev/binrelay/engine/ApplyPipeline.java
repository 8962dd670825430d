package dev.binrelay.engine;

import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.BatchEventProcessorBuilder;
import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The bounded hand-off between the reader (single producer) and the workers: a Disruptor ring with one
 * {@link BatchEventProcessor} per worker on one barrier. Each processor applies only the slots the scheduler gave
 * its worker; the producer is gated on every processor's sequence, so a slot is reused only after its worker
 * applied it, and a slow target stops the reader instead of growing memory.
 *
 * <p>{@link #publish} is called by the reader thread only. {@link #stop} may be called from any thread.
 */
final class ApplyPipeline {
    private static final long FULL_RING_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

    private final RingBuffer<TransactionSlot> ring;
    private final List<BatchEventProcessor<TransactionSlot>> processors = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final Scheduler scheduler;
    private volatile boolean closed;

    ApplyPipeline(int ringSize, List<Applier.Worker> workers, Scheduler scheduler, ApplyProgress progress,
                  Consumer<Throwable> onFatal) {
        this.scheduler = scheduler;
        this.ring = RingBuffer.createSingleProducer(TransactionSlot::new, ringSize, new BlockingWaitStrategy());
        SequenceBarrier barrier = ring.newBarrier();
        for (int index = 0; index < workers.size(); index++) {
            WorkerHandler handler = new WorkerHandler(index, workers.get(index), progress, onFatal);
            BatchEventProcessor<TransactionSlot> processor = new BatchEventProcessorBuilder().build(ring, barrier,
                    handler);
            processor.setExceptionHandler(new FatalToReplica(onFatal));
            processors.add(processor);
        }
        ring.addGatingSequences(processors.stream().map(BatchEventProcessor::getSequence).toArray(Sequence[]::new));
    }

    void start() {
        for (int i = 0; i < processors.size(); i++) {
            Thread thread = new Thread(processors.get(i), "binrelay-worker-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    /**
     * Hands a transaction to its worker; waits while the ring is full.
     *
     * @throws PipelineClosedException once {@link #stop} began
     */
    void publish(Transaction transaction) {
        long sequence;
        while (true) {
            if (closed) {
                throw new PipelineClosedException();
            }
            try {
                sequence = ring.tryNext();
                break;
            } catch (InsufficientCapacityException full) {
                // tryNext rather than next: a blocked next() could never see the stop.
                LockSupport.parkNanos(FULL_RING_PARK_NANOS);
            }
        }
        TransactionSlot slot = ring.get(sequence);
        slot.transaction = transaction;
        slot.worker = scheduler.assign(transaction);
        ring.publish(sequence);
    }

    /** Transactions handed over and not yet applied. */
    long inFlight() {
        long cursor = ring.getCursor();
        return cursor - ring.getMinimumGatingSequence();
    }

    int ringSize() {
        return ring.getBufferSize();
    }

    /**
     * Stops taking transactions, lets each worker finish the one it is applying, and waits for the workers to exit.
     * Transactions still in the ring are not applied; they were not checkpointed, so they are read again next time.
     */
    void stop(Duration timeout) {
        closed = true;
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

    boolean closed() {
        return closed;
    }

    /** Applies the slots given to one worker and skips the others. */
    private final class WorkerHandler implements EventHandler<TransactionSlot> {
        private final int index;
        private final Applier.Worker worker;
        private final ApplyProgress progress;
        private final Consumer<Throwable> onFatal;

        WorkerHandler(int index, Applier.Worker worker, ApplyProgress progress, Consumer<Throwable> onFatal) {
            this.index = index;
            this.worker = worker;
            this.progress = progress;
            this.onFatal = onFatal;
        }

        @Override
        public void onEvent(TransactionSlot slot, long sequence, boolean endOfBatch) {
            if (slot.worker != index || closed) {
                return; // another worker's slot, or stopping: a halted processor still walks its current batch
            }
            Transaction transaction = slot.transaction;
            try {
                worker.apply(transaction);
            } catch (RuntimeException e) {
                // Close first, on this thread: no later transaction may be applied after a failed one.
                closed = true;
                onFatal.accept(e);
                return;
            }
            slot.transaction = null; // let the rows go before the slot is reused
            progress.applied(transaction);
        }

        @Override
        public void onShutdown() {
            worker.close();
        }
    }

    private static final class FatalToReplica implements ExceptionHandler<TransactionSlot> {
        private final Consumer<Throwable> onFatal;

        FatalToReplica(Consumer<Throwable> onFatal) {
            this.onFatal = onFatal;
        }

        @Override
        public void handleEventException(Throwable ex, long sequence, TransactionSlot slot) {
            onFatal.accept(ex);
            // Rethrowing ends this worker's loop; the replica stops everything else.
            throw ex instanceof RuntimeException runtime ? runtime : new IllegalStateException(ex);
        }

        @Override
        public void handleOnStartException(Throwable ex) {
            onFatal.accept(ex);
        }

        @Override
        public void handleOnShutdownException(Throwable ex) {
            // closing a worker's connection failed after it stopped; nothing was lost
        }
    }
}
