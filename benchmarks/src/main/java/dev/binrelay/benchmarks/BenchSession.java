package dev.binrelay.benchmarks;

import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.engine.apply.Applier;
import dev.binrelay.engine.Replica;
import dev.binrelay.engine.ReplicaState;
import dev.binrelay.engine.SchedulerKind;
import dev.binrelay.engine.SchedulerStatus;
import dev.binrelay.testkit.EmbeddedMySql;
import dev.binrelay.testkit.NativeReplica;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One durability setting's topology and what runs on it: the tables every server starts from, the catch-up backlog,
 * and each measurement. Every catch-up run starts from a copy of the same data directory (the binrelay target as it
 * was before the backlog; the native replica with the backlog in its relay log and nothing applied), and every run's
 * target is compared with the source: a run whose target differs is FAILED, never a rate.
 */
final class BenchSession implements AutoCloseable {
    private static final String PRISTINE = "data.pristine";
    private static final String WITH_RELAY_LOG = "data.backlog";
    /** Longer than any sane run at the sizes; a run that takes it is reported as FAILED. */
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(30);
    private static final String BINRELAY = "binrelay";
    private static final String NATIVE = "native";

    private final BenchSettings settings;
    private final Durability durability;
    private final Workload workload;
    private final Topology topology;
    private final NativeReplica nativeReplica;
    private final PrintWriter log;
    private final GtidSet beforeBacklog;
    private GtidSet withBacklog;
    private long backlogTransactions;
    /** The native replica's catch-up rate by worker count, for the lag window at a share of its capacity. */
    private final Map<Integer, Double> nativeRates = new HashMap<>();

    private BenchSession(BenchSettings settings, Durability durability, Topology topology, PrintWriter log)
            throws SQLException {
        this.settings = settings;
        this.durability = durability;
        this.workload = Workloads.of(settings.workload(), settings.tables(), settings.tableSize());
        this.topology = topology;
        this.nativeReplica = new NativeReplica(topology.nativeReplica(), topology.source());
        this.log = log;
        for (EmbeddedMySql server : topology.all()) {
            createTables(server);
        }
        List<String> differing = TargetComparison.differences(topology.source(), topology.nativeReplica(), schemas());
        differing.addAll(TargetComparison.differences(topology.source(), topology.binrelayTarget(), schemas()));
        if (!differing.isEmpty()) {
            throw new IllegalStateException("the servers do not start alike: " + differing);
        }
        nativeReplica.configure();
        this.beforeBacklog = GtidSet.parse(topology.source().gtidExecuted());
    }

    /** Starts the topology and creates the workload's tables on every server. */
    static BenchSession open(BenchSettings settings, Durability durability, PrintWriter log) throws SQLException {
        log.printf(Locale.ROOT, "[%s] starting source, binrelay target and native replica%n", durability.configName());
        log.flush();
        Topology topology = Topology.start(durability, settings.tracking(), settings.targetBinlog());
        try {
            return new BenchSession(settings, durability, topology, log);
        } catch (SQLException | RuntimeException e) {
            topology.close();
            throw e;
        }
    }

    /**
     * Writes the catch-up backlog on the source while neither applier runs: the native replica's receiver copies it
     * into its relay log; then both targets' data directories are saved as each run starts from them.
     */
    BenchResults.Backlog buildBacklog() throws InterruptedException {
        DataDirectories.save(topology.binrelayTarget(), PRISTINE);
        nativeReplica.startReceiver();
        LoadGenerator load = new LoadGenerator(topology.source(), workload, settings.clientThreads());
        long start = System.nanoTime();
        load.run(Duration.ofSeconds(settings.seconds()), settings.maxBacklog(), 0);
        double seconds = (System.nanoTime() - start) / 1e9;
        withBacklog = GtidSet.parse(topology.source().gtidExecuted());
        backlogTransactions = withBacklog.subtract(beforeBacklog).count();
        nativeReplica.awaitReceived(withBacklog.toString(), RUN_TIMEOUT);
        nativeReplica.stopReceiver();
        DataDirectories.save(topology.nativeReplica(), WITH_RELAY_LOG);
        say("[%s] backlog: %d transactions of %s from %d client threads in %.1f s%n",
                durability.configName(), backlogTransactions, workload.name(), load.threads(), seconds);
        return new BenchResults.Backlog(durability.configName(), workload.name(), load.threads(), seconds,
                backlogTransactions, withBacklog.subtract(beforeBacklog).toString());
    }

    /** MySQL's replica applies the backlog from its relay log with {@code workers} workers. */
    BenchResults.CatchUp nativeCatchUp(int workers) throws SQLException {
        DataDirectories.restore(topology.nativeReplica(), WITH_RELAY_LOG);
        ServerCpu targetCpu = ServerCpu.start(topology.nativeReplica());
        long start = System.nanoTime();
        String status;
        try {
            nativeReplica.startApplier(workers);
            status = nativeReplica.awaitApplied(withBacklog.toString(), RUN_TIMEOUT) ? BenchResults.OK
                    : "FAILED: not caught up after " + RUN_TIMEOUT;
        } catch (RuntimeException e) {
            status = "FAILED: " + e.getMessage();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long targetNanos = targetCpu.nanos();
        nativeReplica.stop();
        status = compared(status, topology.nativeReplica());
        BenchResults.CatchUp result = catchUpResult(NATIVE, "logical_clock", workers, seconds, 0, 0, targetNanos,
                status);
        nativeRates.put(workers, result.txPerSecond());
        return result;
    }

    /** binrelay applies the backlog to its target with this scheduler and worker count. */
    BenchResults.CatchUp binrelayCatchUp(SchedulerKind scheduler, int workers) throws SQLException {
        DataDirectories.restore(topology.binrelayTarget(), PRISTINE);
        ServerCpu targetCpu = ServerCpu.start(topology.binrelayTarget());
        Measured measured = runBinrelay(BinrelayReplicas.jdbcApplier(topology.binrelayTarget()), scheduler, workers);
        long targetNanos = targetCpu.nanos();
        String status = compared(measured.status(), topology.binrelayTarget());
        return catchUpResult(BINRELAY, scheduler.configName(), workers, measured.seconds(), measured.peakHeapBytes(),
                measured.cpuNanos(), targetNanos, status);
    }

    /** Reads and schedules the backlog once with a null applier, untimed: the JIT compiles the decoding path. */
    void warmUp(SchedulerKind scheduler) {
        say("[%s] warm-up (untimed): decode only, %s x1%n", durability.configName(), scheduler.configName());
        SchemaKeyCatalog keys = scheduler == SchedulerKind.WRITESET ? SchemaKeyCatalog.reading(
                topology.source().jdbcUrl(), topology.source().user(), topology.source().password()) : null;
        try {
            runBinrelay(new NullApplier(beforeBacklog, keys), scheduler, 1);
        } finally {
            if (keys != null) {
                keys.close();
            }
        }
    }

    /**
     * binrelay catches up once untimed, its result not kept: the JIT compiles the apply path (the driver's and
     * binrelay's) before a run is measured, as a daemon compiles it once. Without it the first binrelay run of a
     * session paid the compilation (2.5 times the CPU per transaction of the runs after it, in the same session).
     */
    void warmUpApplier(SchedulerKind scheduler, int workers) throws SQLException {
        say("[%s] warm-up (untimed): catch-up, %s x%d%n", durability.configName(), scheduler.configName(), workers);
        binrelayCatchUp(scheduler, workers);
    }

    /** binrelay reads and schedules the backlog and applies nothing. */
    BenchResults.Decode decode(SchedulerKind scheduler, int workers) {
        SchemaKeyCatalog keys = scheduler == SchedulerKind.WRITESET ? SchemaKeyCatalog.reading(
                topology.source().jdbcUrl(), topology.source().user(), topology.source().password()) : null;
        try {
            NullApplier applier = new NullApplier(beforeBacklog, keys);
            Measured measured = runBinrelay(applier, scheduler, workers);
            boolean ok = measured.status().equals(BenchResults.OK) && applier.firstApplyNanos() != 0;
            double seconds = ok ? (measured.endNanos() - applier.firstApplyNanos()) / 1e9 : measured.seconds();
            BenchResults.Decode result = new BenchResults.Decode(durability.configName(), scheduler.configName(),
                    workers, measured.transactions(), measured.rows(), seconds, ok ? measured.rows() / seconds : 0,
                    mebibytes(measured.peakHeapBytes()), measured.status());
            say("[%s] decode only, %s x%d: %d row events in %.2f s = %.0f row events/s%s%n",
                    durability.configName(), scheduler.configName(), workers, result.rowEvents(), result.seconds(),
                    result.rowEventsPerSecond(), ok ? "" : " " + result.status());
            return result;
        } finally {
            if (keys != null) {
                keys.close();
            }
        }
    }

    /** The native replica's catch-up rate at this worker count in this session, 0 if it did not run or failed. */
    double nativeRate(int workers) {
        return nativeRates.getOrDefault(workers, 0.0);
    }

    /**
     * Both replicas follow the source at once while it writes {@code rate} transactions per second (0: as fast as
     * it takes them) for {@code seconds}; each one's lag is sampled from the heartbeat, and what each had applied
     * when the source stopped is counted. Both targets are then compared with the source.
     */
    List<BenchResults.Lag> lag(SchedulerKind scheduler, int workers, int rate, int seconds)
            throws SQLException, InterruptedException {
        ensureRunning(topology.binrelayTarget());
        ensureRunning(topology.nativeReplica());
        Map<String, EmbeddedMySql> replicas = new LinkedHashMap<>();
        replicas.put(BINRELAY, topology.binrelayTarget());
        replicas.put(NATIVE, topology.nativeReplica());
        Map<String, String> status = new LinkedHashMap<>();
        status.put(BINRELAY, BenchResults.OK);
        status.put(NATIVE, BenchResults.OK);
        Replica replica = BinrelayReplicas.build(topology.source(), beforeBacklog.toString(),
                BinrelayReplicas.jdbcApplier(topology.binrelayTarget()), scheduler, workers, settings.batchSize());
        nativeReplica.start(workers);
        long[][] samples = new long[2][];
        long[] appliedAtEnd = new long[2];
        long writtenInWindow;
        try {
            replica.start();
            LoadGenerator load = new LoadGenerator(topology.source(), workload, settings.clientThreads());
            GtidSet atStart;
            try (LagSampler sampler = new LagSampler(topology.source(), replicas)) {
                atStart = GtidSet.parse(topology.source().gtidExecuted());
                load.run(Duration.ofSeconds(seconds), 0, rate);
                GtidSet atEnd = GtidSet.parse(topology.source().gtidExecuted());
                appliedAtEnd[0] = replica.appliedGtids().subtract(atStart).count();
                appliedAtEnd[1] = GtidSet.parse(topology.nativeReplica().gtidExecuted()).subtract(atStart).count();
                writtenInWindow = atEnd.subtract(atStart).count();
                samples[0] = sampler.sorted(BINRELAY);
                samples[1] = sampler.sorted(NATIVE);
            }
            GtidSet written = GtidSet.parse(topology.source().gtidExecuted());
            if (!replica.awaitGtids(written, RUN_TIMEOUT)) {
                status.put(BINRELAY, "FAILED: " + (replica.state() == ReplicaState.FAILED
                        ? replica.failure().getMessage() : "not caught up after " + RUN_TIMEOUT));
            }
            try {
                if (!nativeReplica.awaitApplied(written.toString(), RUN_TIMEOUT)) {
                    status.put(NATIVE, "FAILED: not caught up after " + RUN_TIMEOUT);
                }
            } catch (RuntimeException e) {
                status.put(NATIVE, "FAILED: " + e.getMessage());
            }
        } finally {
            replica.stop();
            nativeReplica.stop();
        }
        List<BenchResults.Lag> results = new ArrayList<>();
        int index = 0;
        for (Map.Entry<String, EmbeddedMySql> target : replicas.entrySet()) {
            String outcome = compared(status.get(target.getKey()), target.getValue());
            long[] sorted = samples[index++];
            boolean ok = outcome.equals(BenchResults.OK);
            BenchResults.Lag lag = new BenchResults.Lag(durability.configName(), target.getKey(),
                    target.getKey().equals(BINRELAY) ? scheduler.configName() : "logical_clock", workers,
                    rate, seconds, writtenInWindow, appliedAtEnd[index - 1], sorted.length,
                    ok ? LagSampler.percentileMillis(sorted, 50) : 0, ok ? LagSampler.percentileMillis(sorted, 99) : 0,
                    ok ? LagSampler.percentileMillis(sorted, 100) : 0, outcome);
            say("[%s] %s, %s %s x%d: applied %d of %d written (%.2f) when the source stopped; lag p50 %.1f ms, "
                            + "p99 %.1f ms, max %.1f ms (%d samples)%s%n", durability.configName(),
                    rate == 0 ? "keep-up (source at full speed, " + seconds + " s)" : "lag at " + rate + " tx/s",
                    lag.replica(), lag.scheduler(), workers, lag.appliedAtEnd(), lag.written(), lag.appliedShare(),
                    lag.p50Millis(), lag.p99Millis(), lag.maxMillis(), lag.samples(), ok ? "" : " " + outcome);
            results.add(lag);
        }
        return results;
    }

    @Override
    public void close() {
        topology.close();
    }

    private void say(String format, Object... args) {
        log.printf(Locale.ROOT, format, args);
        log.flush();
    }

    private Measured runBinrelay(Applier applier, SchedulerKind scheduler, int workers) {
        ResourceMeter meter = ResourceMeter.start();
        long start = System.nanoTime();
        Replica replica = BinrelayReplicas.build(topology.source(), beforeBacklog.toString(), applier, scheduler,
                workers, settings.batchSize());
        try {
            String status = BenchResults.OK;
            try {
                replica.start();
                if (!replica.awaitGtids(withBacklog, RUN_TIMEOUT)) {
                    status = "FAILED: " + (replica.state() == ReplicaState.FAILED ? replica.failure().getMessage()
                            : "not caught up after " + RUN_TIMEOUT);
                }
            } catch (RuntimeException e) {
                status = "FAILED: " + e.getMessage();
            }
            long end = System.nanoTime();
            long cpu = meter.cpuNanos();
            long heap = meter.peakHeapBytes();
            SchedulerStatus scheduling = replica.status().scheduler();
            say("[%s]   %s x%d scheduled %d: independent %d, barriers %d, average parallelism %.2f, dependency "
                            + "misses %d%n", durability.configName(), scheduler.configName(), workers,
                    scheduling.scheduled(), scheduling.independent(), scheduling.barriers(),
                    scheduling.averageParallelism(), scheduling.dependencyMisses().total());
            return new Measured(status, (end - start) / 1e9, end, replica.status().applier().transactionsApplied(),
                    replica.status().applier().rowsApplied(), heap, cpu);
        } finally {
            replica.stop();
        }
    }

    private BenchResults.CatchUp catchUpResult(String who, String scheduler, int workers, double seconds,
                                               long peakHeapBytes, long cpuNanos, long targetCpuNanos,
                                               String status) {
        boolean ok = status.equals(BenchResults.OK);
        long transactions = Math.max(1, backlogTransactions);
        BenchResults.CatchUp result = new BenchResults.CatchUp(durability.configName(), who, scheduler, workers,
                backlogTransactions, seconds, ok ? backlogTransactions / seconds : 0, mebibytes(peakHeapBytes),
                cpuNanos / 1000.0 / transactions, targetCpuNanos / 1000.0 / transactions, status);
        say("[%s] catch-up, %s %s x%d: %d tx in %.2f s = %.1f tx/s (CPU per tx: target mysqld %.0f µs%s)%s%n",
                durability.configName(), who, scheduler, workers, result.transactions(), seconds,
                result.txPerSecond(), result.targetCpuMicrosPerTx(), who.equals(BINRELAY)
                        ? String.format(Locale.ROOT, ", binrelay %.0f µs", result.cpuMicrosPerTx()) : "",
                ok ? ", target = source" : " " + status);
        return result;
    }

    /** The run's status, or FAILED naming the tables that differ from the source. */
    private String compared(String status, EmbeddedMySql target) throws SQLException {
        if (!status.equals(BenchResults.OK)) {
            return status;
        }
        List<String> differing = TargetComparison.differences(topology.source(), target, schemas());
        return differing.isEmpty() ? BenchResults.OK : "FAILED: target differs from the source in " + differing;
    }

    private List<String> schemas() {
        List<String> schemas = new ArrayList<>(workload.schemas());
        schemas.add(Heartbeat.SCHEMA);
        return schemas;
    }

    /** The same tables and rows on every server, written outside the binary log: the backlog is all it holds. */
    private void createTables(EmbeddedMySql server) throws SQLException {
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            statement.execute("SET SESSION sql_log_bin = 0");
            workload.create(connection);
            Heartbeat.create(statement);
        }
    }

    /** A server a save left stopped (a lag window after no catch-up run of its kind) is started again. */
    private static void ensureRunning(EmbeddedMySql server) {
        try {
            server.queryString("SELECT 1");
        } catch (IllegalStateException e) {
            server.start();
        }
    }

    private static double mebibytes(long bytes) {
        return bytes / (double) (1 << 20);
    }

    private record Measured(String status, double seconds, long endNanos, long transactions, long rows,
                            long peakHeapBytes, long cpuNanos) {
    }
}
