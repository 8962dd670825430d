package dev.binrelay.benchmarks;

import dev.binrelay.testkit.EmbeddedMySql;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Stamps the source's heartbeat every 100 ms and samples each replica's lag every 100 ms, on two threads of its own,
 * until closed. A failed stamp or sample ends the window with that error ({@link #close}).
 */
final class LagSampler implements AutoCloseable {
    private static final long PERIOD_MILLIS = 100;

    private final ScheduledExecutorService threads = Executors.newScheduledThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "bench-lag");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, List<Long>> samples = new LinkedHashMap<>();
    private final List<Connection> connections = new ArrayList<>();
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    /** Starts stamping {@code source} and sampling each named replica. */
    LagSampler(EmbeddedMySql source, Map<String, EmbeddedMySql> replicas) throws SQLException {
        Statement beat = statement(source);
        Map<String, Statement> probes = new LinkedHashMap<>();
        for (Map.Entry<String, EmbeddedMySql> replica : replicas.entrySet()) {
            probes.put(replica.getKey(), statement(replica.getValue()));
            samples.put(replica.getKey(), new ArrayList<>());
        }
        // Sampling starts once every replica shows a stamp of this window: before that a replica shows the row's
        // initial value (or an older window's), whose age says nothing about its lag.
        Heartbeat.beat(beat);
        String first = Heartbeat.stamp(beat);
        for (Statement probe : probes.values()) {
            awaitStamp(probe, first);
        }
        threads.scheduleAtFixedRate(() -> guarded(() -> Heartbeat.beat(beat)), 0, PERIOD_MILLIS,
                TimeUnit.MILLISECONDS);
        threads.scheduleAtFixedRate(() -> guarded(() -> {
            for (Map.Entry<String, Statement> probe : probes.entrySet()) {
                long age = Heartbeat.ageMicros(probe.getValue());
                synchronized (samples) {
                    samples.get(probe.getKey()).add(age);
                }
            }
        }), PERIOD_MILLIS / 2, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Waits until {@code probe}'s server shows {@code stamp} or a later one (same text format: they sort as time). */
    private static void awaitStamp(Statement probe, String stamp) throws SQLException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (Heartbeat.stamp(probe).compareTo(stamp) < 0) {
            if (System.nanoTime() - deadline > 0) {
                throw new SQLException("the replica did not show the heartbeat " + stamp + " within 60 s");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while waiting for the first heartbeat", e);
            }
        }
    }

    /** The lag samples of one replica so far, in microseconds, sorted. */
    long[] sorted(String replica) {
        synchronized (samples) {
            long[] values = samples.get(replica).stream().mapToLong(Long::longValue).toArray();
            Arrays.sort(values);
            return values;
        }
    }

    /** The nearest-rank percentile of sorted values, in milliseconds (0 when there are none). */
    static double percentileMillis(long[] sorted, double percentile) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1000.0;
    }

    /**
     * Stops stamping and sampling.
     *
     * @throws IllegalStateException with the first error a stamp or sample met
     */
    @Override
    public void close() {
        threads.shutdownNow();
        try {
            threads.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Connection connection : connections) {
            try {
                connection.close();
            } catch (SQLException e) {
                // the window is over; nothing depends on this connection
            }
        }
        if (failure.get() != null) {
            throw new IllegalStateException("lag sampling failed: " + failure.get().getMessage(), failure.get());
        }
    }

    private Statement statement(EmbeddedMySql server) throws SQLException {
        Connection connection = Heartbeat.connect(server);
        connections.add(connection);
        return connection.createStatement();
    }

    private void guarded(SqlAction action) {
        if (failure.get() != null) {
            return;
        }
        try {
            action.run();
        } catch (SQLException | RuntimeException e) {
            failure.compareAndSet(null, e);
        }
    }

    private interface SqlAction {
        void run() throws SQLException;
    }
}
