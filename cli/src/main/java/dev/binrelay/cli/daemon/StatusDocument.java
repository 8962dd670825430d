package dev.binrelay.cli.daemon;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.binrelay.engine.ApplierStatus;
import dev.binrelay.engine.ApplyError;
import dev.binrelay.engine.ReplicaStatus;
import dev.binrelay.engine.SchedulerStatus;
import dev.binrelay.engine.SourceStatus;
import dev.binrelay.engine.WorkerStatus;
import java.time.Instant;

/**
 * The JSON document of {@code GET /status} and {@code binrelay status --json}. Field names are written out here, not
 * derived from the engine's records, so that they stay stable (README, "Operating": the status document). Times are
 * ISO-8601 UTC text, absent values null, states upper-case enum names.
 */
public final class StatusDocument {
    public static final ObjectMapper JSON = new ObjectMapper();

    private StatusDocument() {
    }

    /** The document for a replica's status and its controller's view. */
    public static ObjectNode of(ReplicaStatus status, ControllerStatus controller) {
        ObjectNode root = JSON.createObjectNode();
        root.put("state", status.state().name());
        root.put("mode", status.mode().configName());
        root.set("controller", controller(controller));
        root.set("source", source(status.source()));
        root.set("applier", applier(status.applier()));
        root.set("scheduler", status.scheduler() == null ? null : scheduler(status.scheduler()));
        ArrayNode workers = root.putArray("workers");
        for (WorkerStatus worker : status.workers()) {
            workers.add(worker(worker));
        }
        return root;
    }

    private static ObjectNode controller(ControllerStatus controller) {
        ObjectNode node = JSON.createObjectNode();
        node.put("requested", controller.requested().name());
        node.put("replicaStarts", controller.replicaStarts());
        node.put("lastAction", controller.lastAction());
        node.put("lastActionTime", time(controller.lastActionTime()));
        node.put("skippedGtids", controller.skippedGtids());
        return node;
    }

    private static ObjectNode source(SourceStatus source) {
        ObjectNode node = JSON.createObjectNode();
        node.put("state", source.state().name());
        node.put("address", source.address());
        node.put("serverUuid", source.serverUuid());
        node.put("binlogFile", source.binlogFile());
        node.put("binlogPosition", source.binlogPosition());
        node.put("receivedGtids", source.receivedGtids());
        node.put("lastEventTime", time(source.lastEventTime()));
        node.put("lastError", source.lastError());
        node.put("lastErrorTime", time(source.lastErrorTime()));
        return node;
    }

    private static ObjectNode applier(ApplierStatus applier) {
        ObjectNode node = JSON.createObjectNode();
        node.put("state", applier.state().name());
        node.put("executedGtids", applier.executedGtids());
        node.put("appliedPosition", applier.appliedPosition());
        node.put("lastAppliedGtid", applier.lastAppliedGtid());
        node.put("lagSeconds", applier.lagSeconds());
        node.put("transactionsApplied", applier.transactionsApplied());
        node.put("rowsApplied", applier.rowsApplied());
        node.put("skippedErrors", applier.skippedErrors());
        node.put("transactionsPerSecond", applier.transactionsPerSecond());
        node.put("inFlight", applier.inFlight());
        node.put("ringSize", applier.ringSize());
        node.put("heldBytes", applier.heldBytes());
        node.set("lastError", applier.lastError() == null ? null : error(applier.lastError()));
        return node;
    }

    private static ObjectNode error(ApplyError error) {
        ObjectNode node = JSON.createObjectNode();
        node.put("gtid", error.gtid());
        node.put("table", error.table());
        node.put("targetErrorCode", error.targetErrorCode());
        node.put("message", error.message());
        node.put("time", time(error.time()));
        return node;
    }

    private static ObjectNode scheduler(SchedulerStatus scheduler) {
        ObjectNode node = JSON.createObjectNode();
        node.put("scheduler", scheduler.scheduler().configName());
        node.put("workers", scheduler.workers());
        node.put("scheduled", scheduler.scheduled());
        node.put("independent", scheduler.independent());
        node.put("barriers", scheduler.barriers());
        node.put("streamed", scheduler.streamed());
        node.put("inFlight", scheduler.inFlight());
        node.put("heldBytes", scheduler.heldBytes());
        node.put("averageParallelism", scheduler.averageParallelism());
        node.put("detail", scheduler.detail());
        ObjectNode misses = node.putObject("dependencyMisses");
        misses.put("total", scheduler.dependencyMisses().total());
        ObjectNode byTable = misses.putObject("byTable");
        scheduler.dependencyMisses().byTable().forEach(byTable::put);
        return node;
    }

    private static ObjectNode worker(WorkerStatus worker) {
        ObjectNode node = JSON.createObjectNode();
        node.put("index", worker.index());
        node.put("transactions", worker.transactions());
        node.put("rows", worker.rows());
        node.put("commits", worker.commits());
        node.put("replays", worker.replays());
        node.put("dependencyMisses", worker.dependencyMisses());
        node.put("skippedErrors", worker.skippedErrors());
        node.put("busyMillis", worker.busyMillis());
        node.put("dependencyWaitMillis", worker.dependencyWaitMillis());
        node.put("commitOrderWaitMillis", worker.commitOrderWaitMillis());
        node.put("lastGtid", worker.lastGtid());
        node.put("lastError", worker.lastError());
        return node;
    }

    private static String time(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
