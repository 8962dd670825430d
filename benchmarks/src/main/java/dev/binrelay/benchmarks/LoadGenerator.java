package dev.binrelay.benchmarks;

import dev.binrelay.testkit.EmbeddedMySql;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs a workload on the source from several client threads, each with its own connection, either as fast as the
 * source takes it or at a fixed total rate. A client error other than a lost deadlock stops the run and is thrown.
 */
final class LoadGenerator {
    private final EmbeddedMySql source;
    private final Workload workload;
    private final int threads;

    LoadGenerator(EmbeddedMySql source, Workload workload, int askedThreads) {
        this.source = source;
        this.workload = workload;
        this.threads = workload.clientThreads(askedThreads);
    }

    int threads() {
        return threads;
    }

    /**
     * Writes for {@code duration} or until {@code maxTransactions} committed (0: no limit), at {@code rate}
     * transactions per second in total (0: as fast as possible).
     *
     * @return the transactions committed
     */
    long run(Duration duration, long maxTransactions, int rate) throws InterruptedException {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong committed = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long start = System.nanoTime();
        long interval = rate > 0 ? TimeUnit.SECONDS.toNanos(1) / rate : 0;
        // With a rate, every transaction claims the next start time, so the clients share one even schedule.
        AtomicLong nextStart = new AtomicLong(start);
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < threads; c++) {
            Thread client = new Thread(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                try (Connection connection = source.connect()) {
                    connection.setAutoCommit(false);
                    while (running.get()) {
                        if (interval > 0) {
                            long at = nextStart.getAndAdd(interval);
                            LockSupport.parkNanos(at - System.nanoTime());
                            if (!running.get()) {
                                return;
                            }
                        }
                        if (workload.transaction(connection, random)
                                && committed.incrementAndGet() == maxTransactions) {
                            running.set(false);
                        }
                    }
                } catch (SQLException | RuntimeException e) {
                    failure.compareAndSet(null, e);
                    running.set(false);
                }
            }, "bench-client-" + c);
            clients.add(client);
            client.start();
        }
        long deadline = start + duration.toNanos();
        while (running.get() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        running.set(false);
        for (Thread client : clients) {
            client.join();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("source client failed: " + failure.get().getMessage(), failure.get());
        }
        return committed.get();
    }
}
