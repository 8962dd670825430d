package dev.binrelay.engine.event;

import dev.binrelay.engine.assemble.TransactionAbandonedException;
import dev.binrelay.engine.pipeline.PipelineClosedException;
import dev.binrelay.checkpoint.BinlogPosition;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The rest of a transaction too large to hold: the reader hands its changes over in chunks while a worker applies
 * them, through a queue of a few chunks, so memory stays bounded by the chunk size whatever the transaction's size.
 * The reader blocks while the queue is full (the target sets the pace), the worker while it is empty.
 *
 * <p>One reader thread writes, one worker thread reads, once. If the reader loses the source mid-transaction it
 * {@linkplain #abandon() abandons} the stream: the worker then rolls back what it applied, and the transaction is
 * read again from the source as a new one.
 */
public final class ChangeStream {
    private static final int QUEUED_CHUNKS = 2;
    private static final long POLL_MILLIS = 50;
    // Markers compared by identity: two distinct lists (List.of() would be one shared instance).
    private static final List<Change> END = new ArrayList<>(0);
    private static final List<Change> ABANDONED = new ArrayList<>(0);

    private final BlockingQueue<List<Change>> chunks = new ArrayBlockingQueue<>(QUEUED_CHUNKS + 1);
    private final BooleanSupplier closed;
    private volatile int rowCount;
    private volatile BinlogPosition end;
    private volatile boolean abandoned;
    private volatile boolean taken;

    /** @param closed whether the pipeline is stopping: both sides then give up waiting */
    public ChangeStream(BooleanSupplier closed) {
        this.closed = closed;
    }

    /** Reader: hands over the next chunk; waits while the worker is behind. */
    public void add(List<Change> chunk) {
        put(chunk);
    }

    /**
     * Reader: the transaction ended; {@code rowCount} rows in all, including the ones held by the transaction;
     * {@code end} where it ends in the binary log (position mode; null otherwise).
     */
    public void finish(int rowCount, BinlogPosition end) {
        this.rowCount = rowCount;
        this.end = end;
        put(END);
    }

    /** Reader: the transaction will never end here (connection lost); the worker must roll back. */
    public void abandon() {
        abandoned = true;
        chunks.clear(); // never blocks: the worker sees the flag or the marker
        chunks.offer(ABANDONED);
    }

    boolean abandoned() {
        return abandoned;
    }

    /** Where the transaction ends in the binary log (position mode), known once the reader finished it. */
    BinlogPosition end() {
        return end;
    }

    /** Every row of the transaction, known once the reader finished it. */
    int rowCount() {
        return rowCount;
    }

    /**
     * Worker: the changes after {@code first}, in order; blocks for each next chunk. Iterable once.
     *
     * @throws IllegalStateException when iterated a second time
     */
    Iterator<Change> iterator(List<Change> first) {
        if (taken) {
            throw new IllegalStateException("a streamed transaction can be read only once");
        }
        taken = true;
        return new Iterator<>() {
            private Iterator<Change> current = first.iterator();
            private boolean ended;

            @Override
            public boolean hasNext() {
                while (!current.hasNext()) {
                    if (ended) {
                        return false;
                    }
                    List<Change> next = take();
                    if (next == END) {
                        ended = true;
                        return false;
                    }
                    current = next.iterator();
                }
                return true;
            }

            @Override
            public Change next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return current.next();
            }
        };
    }

    private void put(List<Change> chunk) {
        try {
            while (!chunks.offer(chunk, POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                if (closed.getAsBoolean()) {
                    throw new PipelineClosedException();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PipelineClosedException();
        }
    }

    private List<Change> take() {
        try {
            while (true) {
                List<Change> chunk = chunks.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (chunk == ABANDONED || abandoned) {
                    throw new TransactionAbandonedException();
                }
                if (chunk != null) {
                    return chunk;
                }
                if (closed.getAsBoolean()) {
                    throw new PipelineClosedException();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PipelineClosedException();
        }
    }

    /** A new chunk list for the reader, sized for a chunk of typical rows. */
    public static List<Change> newChunk() {
        return new ArrayList<>(256);
    }
}
