package dev.binrelay.benchmarks.differential;

import dev.binrelay.checkpoint.CheckpointStore;
import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.engine.SchedulerKind;
import dev.binrelay.testkit.EmbeddedMySql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One round on servers that stay up: a clean slate, the seed's schema and configuration, binrelay forked, the workload
 * under the chaos schedule, then catch-up, a clean stop, and the comparison of binrelay's target and of the
 * reference replica with the source.
 */
final class FuzzRound {
    /** Generous: a round's backlog is small, but a restarted target and a 2-core machine are slow. */
    private static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(180);
    private static final int ER_BAD_DB = 1049;
    private static final int ER_NO_SUCH_TABLE = 1146;

    private final FuzzServers servers;
    private final long seed;
    private final int clients;
    private final int transactions;
    private final Path workDirectory;

    FuzzRound(FuzzServers servers, long seed, int clients, int transactions, Path workDirectory) {
        this.servers = servers;
        this.seed = seed;
        this.clients = clients;
        this.transactions = transactions;
        this.workDirectory = workDirectory;
    }

    RoundResult run() throws Exception {
        RunConfiguration configuration = RunConfiguration.forSeed(seed);
        GeneratedSchema schema = new SchemaGenerator(seed).generate();
        servers.reset();
        Path log = workDirectory.resolve("binrelay-seed-" + seed + ".log");
        Files.deleteIfExists(log);
        ForkedBinrelay binrelay = new ForkedBinrelay(servers.source, servers.target, configuration, log);
        List<String> differences = new ArrayList<>();
        binrelay.start();
        ChaosSchedule chaos = new ChaosSchedule(seed, servers.source, servers.target, binrelay, schema);
        Workload workload = new Workload(servers.source, schema, seed, clients, transactions);
        try {
            servers.source.execute(schema.createStatements().toArray(String[]::new));
            Thread chaosThread = new Thread(chaos, "fuzz-chaos");
            chaosThread.start();
            try {
                workload.run();
            } finally {
                chaos.finish(chaosThread);
            }
            if (chaos.binrelayFailure() == null && chaos.kills() == 0) {
                chaos.killBinrelay(); // at least one kill a round, amid the catch-up
            }
            String failure = chaos.binrelayFailure();
            GtidSet expected = GtidSet.parse(servers.source.gtidExecuted());
            if (failure == null) {
                failure = catchUp(binrelay, expected);
            }
            binrelay.stop();
            if (failure != null) {
                differences.add("binrelay: " + failure);
            } else {
                GtidSet checkpoint = checkpoint(servers.target);
                if (!checkpoint.equals(expected)) {
                    differences.add("checkpoint " + checkpoint + ", source gtid_executed " + expected);
                }
            }
            differences.addAll(TableComparer.differences(servers.source, servers.target, schema.schemas()));
            String miss = incompleteDependencies(configuration, binrelay);
            if (miss != null) {
                differences.add(miss);
            }
            List<String> reference = new ArrayList<>();
            String lagging = servers.awaitReference(expected.toString(), CATCH_UP_TIMEOUT);
            if (lagging != null) {
                reference.add(lagging);
            }
            reference.addAll(TableComparer.differences(servers.source, servers.reference, schema.schemas()));
            return new RoundResult(seed, configuration, workload.committed(), chaos.kills(),
                    chaos.pauses(), chaos.targetRestarts(), binrelay.dependencyMisses(), List.copyOf(differences),
                    List.copyOf(reference));
        } finally {
            binrelay.stop();
        }
    }

    /**
     * A dependency miss under a scheduler whose dependencies must be complete: writeset (its keys over-approximate
     * equality) and logical_clock (the source's clock, corrected on prefix keys). The safety net made the tables right,
     * but the scheduler guessed wrong, and under relaxed commit order the same guess the other way round would lose
     * the replica. The database scheduler misses by design where foreign keys or triggers cross databases: counted,
     * not failed.
     */
    private static String incompleteDependencies(RunConfiguration configuration, ForkedBinrelay binrelay) {
        int misses = binrelay.dependencyMisses();
        boolean complete = configuration.scheduler() == SchedulerKind.WRITESET
                || configuration.scheduler() == SchedulerKind.LOGICAL_CLOCK;
        if (!complete || misses == 0) {
            return null;
        }
        return configuration.scheduler().name().toLowerCase(Locale.ROOT) + " missed " + misses
                + " dependencies, which it must not (the safety net applied them again); first: "
                + binrelay.firstDependencyMiss();
    }

    /** Waits until the checkpoint holds every source GTID; null then, else the gap or binrelay's failure. */
    private String catchUp(ForkedBinrelay binrelay, GtidSet expected) throws Exception {
        long deadline = System.nanoTime() + CATCH_UP_TIMEOUT.toNanos();
        GtidSet applied = GtidSet.empty();
        while (System.nanoTime() < deadline) {
            String ended = binrelay.endedByItself();
            if (ended != null) {
                return ended;
            }
            applied = checkpoint(servers.target);
            if (applied.containsAll(expected)) {
                return null;
            }
            Thread.sleep(100);
        }
        return "not caught up within " + CATCH_UP_TIMEOUT.toSeconds() + " s: missing " + expected.subtract(applied);
    }

    private static GtidSet checkpoint(EmbeddedMySql target) throws SQLException {
        try (Connection connection = target.connect()) {
            return new CheckpointStore("binrelay", "default").load(connection);
        } catch (SQLException e) {
            if (e.getErrorCode() == ER_BAD_DB || e.getErrorCode() == ER_NO_SUCH_TABLE) {
                return GtidSet.empty();
            }
            throw e;
        }
    }
}
