package dev.binrelay.snapshot;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Copies tables with one thread per snapshot connection, each thread with its own target connection, taking whole
 * tables off one queue. The first failure stops every thread after its current chunk and is rethrown, naming the
 * table. A thread that finds the queue empty closes its snapshot connection, ending its long transaction early.
 */
final class ParallelCopy {
    private final ConsistentSnapshot snapshot;
    private final int threads;
    private final int chunkRows;
    private final SnapshotStore store;
    private final TargetConnections targets;

    ParallelCopy(ConsistentSnapshot snapshot, int threads, int chunkRows, SnapshotStore store,
                 TargetConnections targets) {
        this.snapshot = snapshot;
        this.threads = threads;
        this.chunkRows = chunkRows;
        this.store = store;
        this.targets = targets;
    }

    /**
     * Copies the tasks' tables and returns the rows this run copied.
     *
     * @param replace write with REPLACE (a resumed copy)
     * @throws SnapshotException naming the table whose copy failed
     */
    long run(List<CopyTask> tasks, boolean replace) {
        // Tables in one piece first (they cannot resume), then the largest, so that threads finish together.
        List<CopyTask> ordered = new ArrayList<>(tasks);
        ordered.sort(Comparator.comparing((CopyTask task) -> task.table().chunked())
                .thenComparing(task -> -task.table().rowsEstimated()));
        ConcurrentLinkedQueue<CopyTask> queue = new ConcurrentLinkedQueue<>(ordered);
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        AtomicInteger threadNumber = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> new Thread(runnable,
                "binrelay-snapshot-" + threadNumber.incrementAndGet()));
        try {
            for (int i = 0; i < threads; i++) {
                int connection = i;
                pool.execute(() -> copyQueued(connection, queue, replace, failure));
            }
            pool.shutdown();
            while (!pool.awaitTermination(1, TimeUnit.HOURS)) {
                // a copy may take hours
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
            throw new SnapshotException("snapshot interrupted", e);
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        long rows = 0;
        for (CopyTask task : tasks) {
            rows += task.progress().copiedThisRun();
        }
        return rows;
    }

    /** One copy thread: takes tables off the queue until it is empty or another thread failed. */
    private void copyQueued(int index, ConcurrentLinkedQueue<CopyTask> queue, boolean replace,
                            AtomicReference<RuntimeException> failure) {
        CopyTask task = null;
        try (Connection target = targets.open()) {
            while (failure.get() == null && (task = queue.poll()) != null) {
                new TableCopier(task.table(), chunkRows, replace, store, task.progress())
                        .copy(snapshot.connection(index), target, task.lastKey(), task.rowsCopied());
            }
        } catch (SQLException | RuntimeException e) {
            String where = task == null ? "" : "copying table " + task.table().displayName() + ": ";
            int code = e instanceof SQLException sql ? sql.getErrorCode() : 0;
            failure.compareAndSet(null, new SnapshotException("snapshot failed: " + where + e.getMessage()
                    + (code != 0 ? " (error " + code + ")" : ""), e));
        } finally {
            snapshot.release(index); // nothing left for this connection: end its long transaction now
        }
    }

    /** Opens target connections set up for writing copied rows. */
    @FunctionalInterface
    interface TargetConnections {
        Connection open() throws SQLException;
    }
}
