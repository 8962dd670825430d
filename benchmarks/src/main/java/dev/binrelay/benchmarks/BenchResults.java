package dev.binrelay.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything one benchmark run measured, as written to its JSON file. Rates of a run whose target ended different
 * from the source are never reported: {@code status} says FAILED and why, and the rate fields are 0.
 *
 * @param command  the command line, as the user would type it
 * @param date     when the run started (ISO-8601, UTC)
 * @param machine  where it ran
 * @param settings what it was asked
 * @param backlogs the catch-up backlog of each durability setting
 * @param catchUp  catch-up runs, binrelay and native
 * @param decode   decode-only runs
 * @param lag      steady-state lag windows
 */
public record BenchResults(String command, String date, Machine machine, BenchSettings settings,
                           List<Backlog> backlogs, List<CatchUp> catchUp, List<Decode> decode, List<Lag> lag) {
    /** The status of a run whose target matched the source. */
    public static final String OK = "ok";

    /** An empty result set, filled as the run goes. */
    static BenchResults start(String command, String date, BenchSettings settings) {
        return new BenchResults(command, date, Machine.current(), settings, new ArrayList<>(), new ArrayList<>(),
                new ArrayList<>(), new ArrayList<>());
    }

    /**
     * The machine.
     *
     * @param cores     available processors
     * @param memoryGiB physical memory
     * @param os        name and version
     * @param jvm       the JVM's name and version
     * @param maxHeapMiB this JVM's maximum heap
     */
    public record Machine(int cores, long memoryGiB, String os, String jvm, long maxHeapMiB) {
        static Machine current() {
            long memory = 0;
            if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
                memory = os.getTotalMemorySize();
            }
            return new Machine(Runtime.getRuntime().availableProcessors(), Math.round(memory / (double) (1L << 30)),
                    System.getProperty("os.name") + " " + System.getProperty("os.version"),
                    System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                    Runtime.getRuntime().maxMemory() >> 20);
        }
    }

    /**
     * A backlog written on the source while both appliers were stopped.
     *
     * @param durability    the targets' setting it was replayed on
     * @param workload      the workload
     * @param clientThreads source client threads
     * @param seconds       how long it was written
     * @param transactions  transactions in it
     * @param gtids         its GTID set
     */
    public record Backlog(String durability, String workload, int clientThreads, double seconds, long transactions,
                          String gtids) {
    }

    /**
     * One applier catching up on a backlog alone.
     *
     * @param durability    the targets' setting
     * @param replica       {@code binrelay} or {@code native}
     * @param scheduler     binrelay's scheduler, or {@code logical_clock} for the native replica
     * @param workers       worker threads
     * @param transactions  transactions applied
     * @param seconds       from starting the applier until the target held the whole backlog
     * @param txPerSecond   transactions / seconds (0 unless status is ok)
     * @param peakHeapMiB   binrelay's peak heap (0 for native)
     * @param cpuMicrosPerTx binrelay's process CPU time per transaction (0 for native)
     * @param targetCpuMicrosPerTx the target {@code mysqld}'s CPU time per transaction over the run (for native: all
     *                      of its applying)
     * @param status        {@link #OK}, or FAILED with the reason
     */
    public record CatchUp(String durability, String replica, String scheduler, int workers, long transactions,
                          double seconds, double txPerSecond, double peakHeapMiB, double cpuMicrosPerTx,
                          double targetCpuMicrosPerTx, String status) {
    }

    /**
     * binrelay reading, decoding and scheduling a backlog with an applier that applies nothing.
     *
     * @param durability      the backlog's setting (the target plays no part)
     * @param scheduler       the scheduler
     * @param workers         worker threads
     * @param transactions    transactions handed to workers
     * @param rowEvents       row changes in them
     * @param seconds         from the first transaction handed to a worker until the last one "committed"
     * @param rowEventsPerSecond rowEvents / seconds
     * @param peakHeapMiB     peak heap
     * @param status          {@link #OK}, or FAILED with the reason
     */
    public record Decode(String durability, String scheduler, int workers, long transactions, long rowEvents,
                         double seconds, double rowEventsPerSecond, double peakHeapMiB, String status) {
    }

    /**
     * Replication lag in a steady state, sampled every 100 ms from a heartbeat row the source updates every 100 ms
     * (so a replica that is fully caught up shows 0 to 100 ms).
     *
     * @param durability   the targets' setting
     * @param replica      {@code binrelay} or {@code native}
     * @param scheduler    binrelay's scheduler, or {@code logical_clock} for the native replica
     * @param workers      worker threads
     * @param rate         source transactions per second asked, 0 for as fast as the source takes them (keep-up)
     * @param seconds      the window's length
     * @param written      transactions the source committed in the window
     * @param appliedAtEnd of those, the ones the replica had applied when the window ended
     * @param samples      lag samples taken
     * @param p50Millis    median lag
     * @param p99Millis    99th percentile
     * @param maxMillis    maximum
     * @param status       {@link #OK}, or FAILED with the reason
     */
    public record Lag(String durability, String replica, String scheduler, int workers, int rate, int seconds,
                      long written, long appliedAtEnd, int samples, double p50Millis, double p99Millis,
                      double maxMillis, String status) {
        /** What the replica had applied of what the source wrote, when the window ended: 1 keeps up. */
        public double appliedShare() {
            return written == 0 ? 0 : (double) appliedAtEnd / written;
        }
    }
}
