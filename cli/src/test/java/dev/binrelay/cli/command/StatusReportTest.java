package dev.binrelay.cli.command;

import dev.binrelay.cli.daemon.ControllerStatus;
import dev.binrelay.cli.daemon.StatusDocument;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.binrelay.engine.ApplierState;
import dev.binrelay.engine.ApplierStatus;
import dev.binrelay.engine.ApplyError;
import dev.binrelay.engine.ReaderState;
import dev.binrelay.engine.DependencyMisses;
import dev.binrelay.engine.ReplicaState;
import dev.binrelay.engine.ReplicaStatus;
import dev.binrelay.engine.SchedulerKind;
import dev.binrelay.engine.SchedulerStatus;
import dev.binrelay.engine.SourceMode;
import dev.binrelay.engine.SourceStatus;
import dev.binrelay.engine.WorkerStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The status document's field names and the text report made from it. */
class StatusReportTest {
    private static final String UUID = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
    private static final Instant ERROR_TIME = Instant.parse("2024-05-01T10:15:30.123Z");

    private final ReplicaStatus status = new ReplicaStatus(ReplicaState.RUNNING,
            new SourceStatus(ReaderState.CONNECTED, "db1:3306", UUID, "binlog.000002", 12345, UUID + ":1-30",
                    Instant.parse("2024-05-01T10:15:31Z"), "", null),
            new ApplierStatus(ApplierState.ERROR, UUID + ":1-22", UUID + ":22", 1.5, 22, 40, 2, 12.25, 8, 1024,
                    4096, new ApplyError(UUID + ":23", "shop.items", 1062, "Duplicate entry '2'", ERROR_TIME)),
            new SchedulerStatus(SchedulerKind.WRITESET, 2, 30, 20, 3, 0, 8, 4096, 1.75, "",
                    new DependencyMisses(3, Map.of("shop.items", 2L, "shop.orders", 1L))),
            List.of(new WorkerStatus(0, 12, 25, 10, 1, 3, 2, 1500, 250, 0, UUID + ":21", ""),
                    new WorkerStatus(1, 10, 15, 10, 0, 0, 0, 900, 0, 125, UUID + ":22", "Duplicate entry '2'")));
    private final ControllerStatus controller = new ControllerStatus(ControllerStatus.Requested.RUNNING, 2,
            "replica started by POST /start from 127.0.0.1", Instant.parse("2024-05-01T10:00:00Z"), UUID + ":5");

    @Test
    void theDocumentHasTheDocumentedFieldNames() {
        JsonNode document = StatusDocument.of(status, controller);

        assertThat(document.path("state").asText()).isEqualTo("RUNNING");
        assertThat(document.path("controller").path("replicaStarts").asInt()).isEqualTo(2);
        assertThat(document.path("controller").path("skippedGtids").asText()).isEqualTo(UUID + ":5");
        assertThat(document.path("source").path("binlogPosition").asLong()).isEqualTo(12345);
        assertThat(document.path("source").path("lastErrorTime").isNull()).isTrue();
        assertThat(document.path("applier").path("executedGtids").asText()).isEqualTo(UUID + ":1-22");
        assertThat(document.path("applier").path("lagSeconds").asDouble()).isEqualTo(1.5);
        assertThat(document.path("applier").path("lastError").path("targetErrorCode").asInt()).isEqualTo(1062);
        assertThat(document.path("applier").path("lastError").path("time").asText())
                .isEqualTo("2024-05-01T10:15:30.123Z");
        assertThat(document.path("scheduler").path("scheduler").asText()).isEqualTo("writeset");
        assertThat(document.path("workers").get(1).path("commitOrderWaitMillis").asLong()).isEqualTo(125);
        assertThat(document.path("workers").get(0).path("dependencyMisses").asLong()).isEqualTo(3);
        assertThat(document.path("scheduler").path("dependencyMisses").path("total").asLong()).isEqualTo(3);
        assertThat(document.path("scheduler").path("dependencyMisses").path("byTable").path("shop.items").asLong())
                .isEqualTo(2);
    }

    @Test
    void theReportHasAlignedLinesAndAWorkerTable() {
        String report = StatusReport.render(StatusDocument.of(status, controller));

        assertThat(report).contains(
                "          Replica state: RUNNING\n",
                "         Replica starts: 2\n",
                "           Source state: CONNECTED\n",
                "            Source host: db1:3306\n",
                "            Source UUID: " + UUID + "\n",
                "     Source binlog file: binlog.000002\n",
                " Source binlog position: 12345\n",
                "      Received GTID set: " + UUID + ":1-30\n",
                "        Last event time: 2024-05-01T10:15:31Z\n",
                "          Last IO error: \n",
                "          Applier state: ERROR\n",
                "      Executed GTID set: " + UUID + ":1-22\n",
                "  Seconds behind source: 1.500\n",
                "   Transactions applied: 22\n",
                "           Rows applied: 40\n",
                "Transactions per second: 12.3\n",
                "                   Ring: 8 of 1024 slots, 4096 bytes held\n",
                "         Last SQL error: Duplicate entry '2'\n",
                "    Last SQL error GTID: " + UUID + ":23\n",
                "   Last SQL error table: shop.items\n",
                "    Last SQL error code: 1062\n",
                "    Last SQL error time: 2024-05-01T10:15:30.123Z\n",
                "              Scheduler: writeset x2, parallelism 1.75, scheduled 30, independent 20, barriers 3, "
                        + "streamed 0\n",
                "      Dependency misses: 3 (shop.items 2, shop.orders 1)\n");
        assertThat(report).contains("\nWorker  Transactions  Rows  Commits  Replays  Misses  Skipped  Busy s  "
                + "Dependency wait s  Commit order wait s  Last GTID" + " ".repeat(UUID.length() + 3 - 9) + "  Last error\n"
                + "     0            12    25       10        1       3        2   1.500              0.250                0.000  "
                + UUID + ":21\n"
                + "     1            10    15       10        0       0        0   0.900              0.000                0.125  "
                + UUID + ":22  Duplicate entry '2'\n");
    }

    @Test
    void gtidModeIsNamedAndHasNoAppliedPosition() {
        JsonNode document = StatusDocument.of(status, controller);

        assertThat(document.path("mode").asText()).isEqualTo("gtid");
        assertThat(document.path("applier").path("appliedPosition").isNull()).isTrue();
        String report = StatusReport.render(document);
        assertThat(report).contains("                   Mode: gtid\n").doesNotContain("Applied position");
    }

    @Test
    void positionModeShowsTheAppliedPositionNextToTheSyntheticGtids() {
        String synthetic = "8a94f357-aab4-3b7e-a9e4-6e2b6b0c2b8d";
        ReplicaStatus byPosition = new ReplicaStatus(ReplicaState.RUNNING, status.source(),
                new ApplierStatus(ApplierState.RUNNING, synthetic + ":1-40", synthetic + ":40", 0.0, 40, 80, 0, 10,
                        0, 1024, 0, null, "binlog.000003:7741"),
                status.scheduler(), status.workers(), SourceMode.POSITION);

        JsonNode document = StatusDocument.of(byPosition, controller);

        assertThat(document.path("mode").asText()).isEqualTo("position");
        assertThat(document.path("applier").path("appliedPosition").asText()).isEqualTo("binlog.000003:7741");
        assertThat(StatusReport.render(document)).contains(
                "                   Mode: position\n",
                "      Executed GTID set: " + synthetic + ":1-40\n"
                        + "       Applied position: binlog.000003:7741\n");
    }
}
