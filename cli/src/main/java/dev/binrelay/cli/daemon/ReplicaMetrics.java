package dev.binrelay.cli.daemon;

import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import dev.binrelay.engine.ApplierState;
import dev.binrelay.engine.ReaderState;
import dev.binrelay.engine.ReplicaState;
import dev.binrelay.engine.ReplicaStatus;
import dev.binrelay.engine.SchedulerKind;
import dev.binrelay.engine.DependencyMisses;
import dev.binrelay.engine.SchedulerStatus;
import dev.binrelay.engine.WorkerStatus;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Locale;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * The daemon's Prometheus metrics ({@code GET /metrics}): every number of the replica's status, its states as 0/1
 * gauges, per-worker counters tagged {@code worker}, the scheduler's counters, JVM metrics and the target pool's
 * HikariCP metrics. README, "Operating", lists the names.
 *
 * <p>Each scrape takes one status snapshot and every replica meter reads from it, so that one scrape is consistent
 * and costs one {@code status()} call. Counters count since the current replica started: a start after a failure or
 * a skip resets them, which Prometheus's {@code rate()} handles as a counter reset.
 */
public final class ReplicaMetrics {
    /** Stands in for the scheduler's view before the replica has started one. */
    private static final SchedulerStatus NO_SCHEDULER = new SchedulerStatus(SchedulerKind.SERIAL, 0, 0, 0, 0, 0, 0,
            0, 0, "", DependencyMisses.NONE);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /** Whether replica series carry a {@code channel} tag: only with {@code channels:}, so one channel looks as before. */
    private final boolean tagged;
    private volatile Map<String, ReplicaStatus> snapshots = Map.of();
    private volatile Map<String, ControllerStatus> controllerSnapshots = Map.of();
    /**
     * Channel and table of every {@code binrelay.scheduler.dependency.misses} series registered: a table gets its
     * series at its first miss (bounded by the tables replicated). Guarded by the scrape's lock.
     */
    private final Set<List<String>> missTables = new HashSet<>();

    /** @param workers {@code applier.workers}: one set of worker series each; for a config without channels */
    public ReplicaMetrics(int workers) {
        this(Map.of("", workers), false);
    }

    /**
     * Metrics of several channels, each replica series tagged {@code channel}.
     *
     * @param workersByChannel each channel's {@code applier.workers}, by name
     */
    public ReplicaMetrics(Map<String, Integer> workersByChannel) {
        this(workersByChannel, true);
    }

    private ReplicaMetrics(Map<String, Integer> workersByChannel, boolean tagged) {
        this.tagged = tagged;
        workersByChannel.forEach((channel, workers) -> {
            bindApplier(channel);
            bindStates(channel);
            bindSource(channel);
            bindScheduler(channel);
            for (int i = 0; i < workers; i++) {
                bindWorker(channel, i);
            }
            FunctionCounter.builder("binrelay.replica.starts", this, metrics -> {
                        ControllerStatus controller = metrics.controllerOf(channel);
                        return controller == null ? Double.NaN : controller.replicaStarts();
                    })
                    .description("Replicas started by this daemon (a start after a failure or a skip builds a new one)")
                    .tags(tags(channel)).register(registry);
        });
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** For the target's HikariCP pool: its connection metrics go to this registry. */
    public MetricsTrackerFactory poolMetrics() {
        return new MicrometerMetricsTrackerFactory(registry);
    }

    /** For channel {@code channel}'s pool: every channel's pool has its own, so its pool tag names the channel. */
    public MetricsTrackerFactory poolMetrics(String channel) {
        MetricsTrackerFactory shared = poolMetrics();
        return tagged ? (poolName, stats) -> shared.create(poolName + "-" + channel, stats) : shared;
    }

    /** The Prometheus text exposition of every metric, the replica's from {@code status} and {@code controller}. */
    String scrape(ReplicaStatus status, ControllerStatus controller) {
        return scrape(Map.of("", status), Map.of("", controller));
    }

    /** The Prometheus text exposition of every metric, each channel's from its status and controller's view. */
    synchronized String scrape(Map<String, ReplicaStatus> statuses, Map<String, ControllerStatus> controllers) {
        snapshots = statuses;
        controllerSnapshots = controllers;
        statuses.forEach(this::bindDependencyMisses);
        return registry.scrape();
    }

    private void bindApplier(String channel) {
        counter(channel, "binrelay.applier.transactions", "Transactions applied", s -> s.applier().transactionsApplied());
        counter(channel, "binrelay.applier.rows", "Row changes applied", s -> s.applier().rowsApplied());
        counter(channel, "binrelay.applier.skipped.errors", "Row changes skipped on an error in applier.skipErrors",
                s -> s.applier().skippedErrors());
        gauge(channel, "binrelay.applier.in.flight", "Transactions received and not yet committed",
                s -> s.applier().inFlight());
        gauge(channel, "binrelay.applier.ring.size", "Slots in the ring between the reader and the workers",
                s -> s.applier().ringSize());
        gauge(channel, "binrelay.applier.held.bytes", "Decoded data waiting in the ring (estimated heap bytes)",
                s -> s.applier().heldBytes());
        gauge(channel, "binrelay.applier.lag.seconds", "Seconds behind the source; NaN when unknown", s -> {
            Double lag = s.applier().lagSeconds();
            return lag == null ? Double.NaN : lag;
        });
        gauge(channel, "binrelay.applier.transactions.per.second", "Recent apply rate",
                s -> s.applier().transactionsPerSecond());
        gauge(channel, "binrelay.applier.last.error.code", "Target error code of the error that stopped the applier; 0 if none",
                s -> s.applier().lastError() == null ? 0 : s.applier().lastError().targetErrorCode());
    }

    private void bindStates(String channel) {
        for (ReplicaState state : ReplicaState.values()) {
            gauge(channel, "binrelay.replica.state", "1 for the replica's lifecycle state", state,
                    s -> s.state() == state ? 1 : 0);
        }
        for (ReaderState state : ReaderState.values()) {
            gauge(channel, "binrelay.source.state", "1 for the source reader's state", state,
                    s -> s.source().state() == state ? 1 : 0);
        }
        for (ApplierState state : ApplierState.values()) {
            gauge(channel, "binrelay.applier.state", "1 for the applier's state", state,
                    s -> s.applier().state() == state ? 1 : 0);
        }
    }

    private void bindSource(String channel) {
        gauge(channel, "binrelay.source.binlog.position", "Position in the source binary log after the last event read",
                s -> s.source().binlogPosition());
        gauge(channel, "binrelay.source.last.event.timestamp.seconds", "When the last event or heartbeat arrived (Unix time); "
                + "NaN before the first", s -> s.source().lastEventTime() == null ? Double.NaN
                : s.source().lastEventTime().toEpochMilli() / 1000.0);
    }

    private void bindScheduler(String channel) {
        counter(channel, "binrelay.scheduler.scheduled", "Transactions placed in the ring", s -> scheduler(s).scheduled());
        counter(channel, "binrelay.scheduler.independent", "Scheduled transactions that did not wait for the one before them",
                s -> scheduler(s).independent());
        counter(channel, "binrelay.scheduler.barriers", "Transactions that ran alone (DDL, tables without keys, ...)",
                s -> scheduler(s).barriers());
        counter(channel, "binrelay.scheduler.streamed", "Transactions too large to hold, streamed to their worker",
                s -> scheduler(s).streamed());
        gauge(channel, "binrelay.scheduler.parallelism", "Workers busy at once on average", s -> scheduler(s).averageParallelism());
    }

    /** One counter per table the scheduler missed a dependency on, tagged {@code table}; registered at its first. */
    private void bindDependencyMisses(String channel, ReplicaStatus status) {
        for (String table : scheduler(status).dependencyMisses().byTable().keySet()) {
            if (missTables.add(List.of(channel, table))) {
                FunctionCounter.builder("binrelay.scheduler.dependency.misses", this, metrics -> metrics.read(channel,
                                s -> scheduler(s).dependencyMisses().byTable().getOrDefault(table, 0L)))
                        .description("Transactions that overtook one they depend on (the scheduler missed it), failed "
                                + "with a key error and were applied again after it, by table")
                        .tags(tags(channel)).tag("table", table).register(registry);
            }
        }
    }

    private void bindWorker(String channel, int index) {
        String worker = Integer.toString(index);
        workerCounter(channel, "binrelay.worker.transactions", "Transactions the worker committed", worker,
                w -> w.transactions());
        workerCounter(channel, "binrelay.worker.rows", "Row changes in them", worker, w -> w.rows());
        workerCounter(channel, "binrelay.worker.commits", "Target commits (fewer than transactions when batched)", worker,
                w -> w.commits());
        workerCounter(channel, "binrelay.worker.replays", "Open batches rolled back and applied again", worker,
                w -> w.replays());
        workerCounter(channel, "binrelay.worker.dependency.misses", "Batches applied again after a dependency the "
                + "scheduler missed", worker, w -> w.dependencyMisses());
        workerCounter(channel, "binrelay.worker.skipped.errors", "Row changes skipped on an error in applier.skipErrors",
                worker, w -> w.skippedErrors());
        workerCounter(channel, "binrelay.worker.busy.seconds", "Time spent applying and committing", worker,
                w -> w.busyMillis() / 1000.0);
        workerCounter(channel, "binrelay.worker.dependency.wait.seconds", "Time spent waiting for a transaction it depends on",
                worker, w -> w.dependencyWaitMillis() / 1000.0);
        workerCounter(channel, "binrelay.worker.commit.order.wait.seconds", "Time spent waiting for earlier commits", worker,
                w -> w.commitOrderWaitMillis() / 1000.0);
    }

    private void counter(String channel, String name, String description, ToDoubleFunction<ReplicaStatus> value) {
        FunctionCounter.builder(name, this, metrics -> metrics.read(channel, value)).description(description)
                .tags(tags(channel)).register(registry);
    }

    private void gauge(String channel, String name, String description, ToDoubleFunction<ReplicaStatus> value) {
        Gauge.builder(name, this, metrics -> metrics.read(channel, value)).description(description)
                .tags(tags(channel)).register(registry);
    }

    private void gauge(String channel, String name, String description, Enum<?> state,
                       ToDoubleFunction<ReplicaStatus> value) {
        Gauge.builder(name, this, metrics -> metrics.read(channel, value)).description(description)
                .tags(tags(channel)).tag("state", state.name().toLowerCase(Locale.ROOT)).register(registry);
    }

    private void workerCounter(String channel, String name, String description, String worker,
                               ToDoubleFunction<WorkerStatus> value) {
        int index = Integer.parseInt(worker);
        FunctionCounter.builder(name, this, metrics -> metrics.read(channel, s -> s.workers().stream()
                        .filter(w -> w.index() == index).mapToDouble(value).findFirst().orElse(0)))
                .description(description).tags(tags(channel)).tag("worker", worker).register(registry);
    }

    private Tags tags(String channel) {
        return tagged ? Tags.of("channel", channel) : Tags.empty();
    }

    private double read(String channel, ToDoubleFunction<ReplicaStatus> value) {
        ReplicaStatus current = snapshots.get(channel);
        if (current == null && !tagged && !snapshots.isEmpty()) {
            current = snapshots.values().iterator().next();
        }
        return current == null ? Double.NaN : value.applyAsDouble(current);
    }

    private ControllerStatus controllerOf(String channel) {
        ControllerStatus current = controllerSnapshots.get(channel);
        if (current == null && !tagged && !controllerSnapshots.isEmpty()) {
            current = controllerSnapshots.values().iterator().next();
        }
        return current;
    }

    private static SchedulerStatus scheduler(ReplicaStatus status) {
        SchedulerStatus scheduler = status.scheduler();
        return scheduler == null ? NO_SCHEDULER : scheduler;
    }
}
