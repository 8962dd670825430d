package dev.binrelay.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.binrelay.engine.ApplierState;
import dev.binrelay.engine.ApplierStatus;
import dev.binrelay.engine.DependencyMisses;
import dev.binrelay.engine.ReaderState;
import dev.binrelay.engine.ReplicaState;
import dev.binrelay.engine.ReplicaStatus;
import dev.binrelay.engine.SchedulerKind;
import dev.binrelay.engine.SchedulerStatus;
import dev.binrelay.engine.SourceStatus;
import dev.binrelay.engine.WorkerStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The scrape shows dependency misses per worker and per table, a table's series appearing with its first miss. */
class ReplicaMetricsTest {
    private final ControllerStatus controller = new ControllerStatus(ControllerStatus.Requested.RUNNING, 1, "",
            Instant.parse("2024-05-01T10:00:00Z"), "");

    @Test
    void dependencyMissesAreCountedPerWorkerAndPerTable() {
        ReplicaMetrics metrics = new ReplicaMetrics(2);

        String before = metrics.scrape(status(DependencyMisses.NONE, 0), controller);
        assertThat(before).contains("binrelay_worker_dependency_misses_total{worker=\"0\"} 0.0")
                .doesNotContain("binrelay_scheduler_dependency_misses_total{");

        String after = metrics.scrape(status(new DependencyMisses(5, Map.of("db1.child", 4L, "db1.t", 1L)), 5),
                controller);
        assertThat(after).contains("binrelay_worker_dependency_misses_total{worker=\"0\"} 5.0",
                "binrelay_scheduler_dependency_misses_total{table=\"db1.child\"} 4.0",
                "binrelay_scheduler_dependency_misses_total{table=\"db1.t\"} 1.0");
    }

    private static ReplicaStatus status(DependencyMisses misses, long workerMisses) {
        return new ReplicaStatus(ReplicaState.RUNNING,
                new SourceStatus(ReaderState.CONNECTED, "db:3306", "", "binlog.000002", 4, "", null, "", null),
                new ApplierStatus(ApplierState.RUNNING, "", "", 0.0, 10, 20, 0, 0, 0, 1024, 0, null),
                new SchedulerStatus(SchedulerKind.DATABASE, 2, 10, 10, 0, 0, 0, 0, 1.5, "", misses),
                List.of(new WorkerStatus(0, 5, 10, 5, 0, workerMisses, 0, 0, 0, 0, "", ""),
                        new WorkerStatus(1, 5, 10, 5, 0, 0, 0, 0, 0, 0, "", "")));
    }
}
