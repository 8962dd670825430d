package dev.binrelay.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.binrelay.engine.ApplierState;
import dev.binrelay.engine.ApplierStatus;
import dev.binrelay.engine.ApplyError;
import dev.binrelay.engine.ReaderState;
import dev.binrelay.engine.DependencyMisses;
import dev.binrelay.engine.ReplicaState;
import dev.binrelay.engine.ReplicaStatus;
import dev.binrelay.engine.SchedulerKind;
import dev.binrelay.engine.SchedulerStatus;
import dev.binrelay.engine.SourceStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplicaMonitorTest {
    @Test
    void progressLineShowsCountsRateLagAndPosition() {
        ReplicaStatus status = new ReplicaStatus(ReplicaState.RUNNING, source("binlog.000002", 12345),
                applier(12345, 40210, 0, 3, 0.414),
                new SchedulerStatus(SchedulerKind.WRITESET, 4, 12345, 9000, 2, 0, 3, 0, 2.514, "",
                        DependencyMisses.NONE), List.of());

        assertThat(ReplicaMonitor.progressLine(status, 812.0)).isEqualTo("applied 12345 tx (812.0 tx/s), 40210 rows, "
                + "in flight 3, lag 0.41 s, source binlog.000002:12345, writeset x4, parallelism 2.51, "
                + "independent 9000, barriers 2");
    }

    @Test
    void progressLineNamesTheTablesTheSchedulerMissedDependenciesOnMostOften() {
        DependencyMisses misses = new DependencyMisses(12, Map.of("db1.child", 6L, "db1.a", 1L, "db2.t", 3L,
                "db1.u", 2L));
        ReplicaStatus status = new ReplicaStatus(ReplicaState.RUNNING, source("binlog.000002", 4),
                applier(10, 20, 0, 0, 0.0),
                new SchedulerStatus(SchedulerKind.DATABASE, 2, 10, 10, 0, 0, 0, 0, 1.5, "", misses), List.of());

        assertThat(ReplicaMonitor.progressLine(status, 1.0)).endsWith(", database x2, parallelism 1.50, "
                + "independent 10, barriers 0, dependency misses 12 (db1.child 6, db2.t 3, db1.u 2, ...)");
    }

    @Test
    void progressLineShowsSkippedRowChangesOnlyWhenThereAreAny() {
        ReplicaStatus status = new ReplicaStatus(ReplicaState.RUNNING, source("binlog.000002", 4),
                applier(10, 20, 2, 0, 0.0), null, List.of());

        assertThat(ReplicaMonitor.progressLine(status, 1.0)).isEqualTo("applied 10 tx (1.0 tx/s), 20 rows, "
                + "in flight 0, lag 0.00 s, source binlog.000002:4, rows skipped on error 2");
    }

    private static SourceStatus source(String file, long position) {
        return new SourceStatus(ReaderState.CONNECTED, "db:3306", "", file, position, "", null, "", null);
    }

    private static ApplierStatus applier(long transactions, long rows, long skipped, long inFlight, double lag) {
        return new ApplierStatus(ApplierState.RUNNING, "", "", lag, transactions, rows, skipped, 0, inFlight, 1024, 0,
                null);
    }

    @Test
    void eachStateChangeIsOneLineWithTheErrorThatCausedIt() {
        ReplicaStatus running = new ReplicaStatus(ReplicaState.RUNNING, source("binlog.000002", 4),
                applier(10, 20, 0, 0, 0.0), null, List.of());
        ReplicaStatus failed = new ReplicaStatus(ReplicaState.FAILED,
                new SourceStatus(ReaderState.STOPPED, "db:3306", "", "binlog.000002", 4, "", null, "", null),
                new ApplierStatus(ApplierState.ERROR, "", "", null, 10, 20, 0, 0, 0, 1024, 0,
                        new ApplyError("uuid:11", "shop.items", 1062, "GTID uuid:11: INSERT on shop.items failed",
                                Instant.EPOCH)), null, List.of());

        assertThat(ReplicaMonitor.changes(running, running)).isEmpty();
        assertThat(ReplicaMonitor.changes(running, failed)).containsExactly("replica running -> failed",
                "source reader connected -> stopped",
                "applier running -> error: GTID uuid:11: INSERT on shop.items failed");
    }

    @Test
    void rateIsTransactionsPerSecondBetweenSamples() {
        ProgressSample earlier = new ProgressSample(100, 1_000_000_000L);
        ProgressSample later = new ProgressSample(1100, 3_000_000_000L);

        assertThat(later.ratePerSecondSince(earlier)).isEqualTo(500.0);
        assertThat(earlier.ratePerSecondSince(earlier)).isZero();
    }
}
