package dev.binrelay.benchmarks;

import dev.binrelay.applier.JdbcApplier;
import dev.binrelay.applier.TargetSettings;
import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.engine.Replica;
import dev.binrelay.engine.ReplicaState;
import dev.binrelay.engine.SchedulerKind;
import dev.binrelay.engine.SchedulerStatus;
import dev.binrelay.engine.SourceSettings;
import dev.binrelay.testkit.EmbeddedMySql;
import dev.binrelay.testkit.TableChecksum;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Catch-up of one backlog by each scheduler, measured in one run on the same machine: a source written by many
 * client threads with an oltp_write_only-like mix (sysbench's sbtest tables: two index updates, a non-index update, a
 * delete and an insert of the same id per transaction), then, for each scheduler in turn, a fresh target holding
 * the tables as they were before the backlog and binrelay applying the whole backlog. Prints transactions per second
 * and the ratio to the first scheduler, and checks every run's target against the source.
 *
 * <pre>
 * mvn -q -B install -DskipTests &amp;&amp; mvn -q -pl benchmarks exec:java -Dexec.args="--workers 4 --seconds 20"
 * </pre>
 */
public final class CatchUpBenchmark {
    private final int clientThreads;
    private final int seconds;
    private final int tables;
    private final int tableSize;
    private final int workers;
    private final int batchSize;
    private final boolean durable;
    private final List<SchedulerKind> schedulers;

    private CatchUpBenchmark(Options options) {
        this.clientThreads = options.integer("--threads", 16);
        this.seconds = options.integer("--seconds", 20);
        this.tables = options.integer("--tables", 4);
        this.tableSize = options.integer("--table-size", 10_000);
        this.workers = options.integer("--workers", 4);
        this.batchSize = options.integer("--batch-size", 16);
        this.durable = options.text("--durability", "relaxed").equals("durable");
        this.schedulers = options.list("--schedulers", "serial,logical_clock,writeset").stream()
                .map(SchedulerKind::parse).toList();
    }

    /** Runs the comparison; see the class comment for the options. */
    public static void main(String[] args) throws Exception {
        SLF4JBridgeHandler.removeHandlersForRootLogger(); // the binlog client logs through java.util.logging
        SLF4JBridgeHandler.install();
        new CatchUpBenchmark(new Options(args)).run();
    }

    private void run() throws Exception {
        System.out.printf(Locale.ROOT, "catch-up: %d client threads for %d s on %d tables of %d rows; target %s; "
                        + "%d workers, batches of up to %d; %d cores%n", clientThreads, seconds, tables, tableSize,
                durable ? "durable" : "relaxed", workers, batchSize, Runtime.getRuntime().availableProcessors());
        try (EmbeddedMySql source = EmbeddedMySql.builder().name("bench-source").binlog(true).gtid(true).start();
             EmbeddedMySql target = EmbeddedMySql.builder().name("bench-target").durable(durable).start()) {
            createTables(source);
            String start = source.gtidExecuted();
            long backlog = buildBacklog(source);
            System.out.printf(Locale.ROOT, "backlog: %d transactions%n", backlog);
            List<Result> results = new ArrayList<>();
            for (SchedulerKind scheduler : schedulers) {
                target.dropUserSchemas();
                createTables(target);
                results.add(catchUp(source, target, start, scheduler));
            }
            print(results);
        }
    }

    private Result catchUp(EmbeddedMySql source, EmbeddedMySql target, String start, SchedulerKind scheduler)
            throws Exception {
        int threads = scheduler == SchedulerKind.SERIAL ? 1 : workers;
        SourceSettings sourceSettings = new SourceSettings(source.host(), source.port(), source.user(),
                source.password(), 5151, start, Duration.ofSeconds(5), Duration.ofSeconds(10));
        TargetSettings targetSettings = new TargetSettings(target.jdbcUrl(), target.user(), target.password(),
                "binrelay", "default");
        GtidSet wanted = GtidSet.parse(source.gtidExecuted());
        long begin = System.nanoTime();
        Replica replica = Replica.builder().source(sourceSettings).applier(new JdbcApplier(targetSettings))
                .scheduler(scheduler).workers(threads).batchSize(batchSize).ringSize(4096).build();
        replica.start();
        try {
            while (!replica.appliedGtids().containsAll(wanted)) {
                if (replica.state() != ReplicaState.RUNNING) {
                    throw new IllegalStateException(scheduler + ": replica " + replica.state() + ": "
                            + replica.failure());
                }
                Thread.sleep(5);
            }
            double elapsed = (System.nanoTime() - begin) / 1e9;
            SchedulerStatus status = replica.status().scheduler();
            long applied = replica.status().applier().transactionsApplied();
            replica.stop();
            boolean identical = identical(source, target);
            Result result = new Result(scheduler, threads, applied, elapsed, status.independent(),
                    status.averageParallelism(), identical);
            System.out.printf(Locale.ROOT, "%-13s x%-2d %8d tx in %6.2f s = %8.1f tx/s, parallelism %.2f, %s%n",
                    scheduler.configName(), threads, applied, elapsed, applied / elapsed, status.averageParallelism(),
                    identical ? "target identical" : "TARGET DIFFERS");
            return result;
        } finally {
            replica.stop();
        }
    }

    private void print(List<Result> results) {
        double baseline = results.get(0).rate();
        System.out.println();
        System.out.println("| scheduler | workers | transactions | seconds | tx/s | vs " + results.get(0).scheduler()
                .configName() + " | independent | avg parallelism | target = source |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        for (Result result : results) {
            System.out.printf(Locale.ROOT, "| %s | %d | %d | %.2f | %.1f | %.2fx | %d | %.2f | %s |%n",
                    result.scheduler().configName(), result.workers(), result.transactions(), result.seconds(),
                    result.rate(), result.rate() / baseline, result.independent(), result.parallelism(),
                    result.identical() ? "yes" : "NO");
        }
    }

    private boolean identical(EmbeddedMySql source, EmbeddedMySql target) throws SQLException {
        try (Connection s = source.connect(); Connection t = target.connect()) {
            for (int table = 1; table <= tables; table++) {
                if (!TableChecksum.of(s, "sbtest", "sbtest" + table).equals(TableChecksum.of(t, "sbtest",
                        "sbtest" + table))) {
                    return false;
                }
            }
            return true;
        }
    }

    /** sysbench's schema, filled the same way on any server: the same rows wherever it runs. */
    private void createTables(EmbeddedMySql server) throws SQLException {
        server.execute("CREATE DATABASE sbtest");
        try (Connection connection = server.connect()) {
            connection.setAutoCommit(false);
            for (int table = 1; table <= tables; table++) {
                connection.createStatement().execute("CREATE TABLE sbtest.sbtest" + table + " (id INT NOT NULL "
                        + "AUTO_INCREMENT PRIMARY KEY, k INT NOT NULL DEFAULT 0, c CHAR(120) NOT NULL DEFAULT '', "
                        + "pad CHAR(60) NOT NULL DEFAULT '', KEY k_" + table + " (k))");
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO sbtest.sbtest" + table
                        + " VALUES (?, ?, ?, ?)")) {
                    for (int id = 1; id <= tableSize; id++) {
                        insert.setInt(1, id);
                        insert.setInt(2, (int) ((id * 2654435761L) % tableSize));
                        insert.setString(3, text(id, 120));
                        insert.setString(4, text(id * 7, 60));
                        insert.addBatch();
                        if (id % 1000 == 0) {
                            insert.executeBatch();
                        }
                    }
                    insert.executeBatch();
                }
                connection.commit();
            }
        }
    }

    private long buildBacklog(EmbeddedMySql source) throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong committed = new AtomicLong();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < clientThreads; c++) {
            Thread client = new Thread(() -> {
                try (Connection connection = source.connect()) {
                    connection.setAutoCommit(false);
                    while (running.get()) {
                        if (writeOnlyTransaction(connection)) {
                            committed.incrementAndGet();
                        }
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }, "client-" + c);
            clients.add(client);
            client.start();
        }
        Thread.sleep(seconds * 1000L);
        running.set(false);
        for (Thread client : clients) {
            client.join();
        }
        return committed.get();
    }

    /** sysbench oltp_write_only: index update, non-index update, delete and re-insert of one id. */
    private boolean writeOnlyTransaction(Connection connection) throws SQLException {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String table = "sbtest.sbtest" + (1 + random.nextInt(tables));
        int id = 1 + random.nextInt(tableSize);
        try {
            try (PreparedStatement update = connection.prepareStatement("UPDATE " + table + " SET k = k + 1 WHERE "
                    + "id = ?")) {
                update.setInt(1, id);
                update.executeUpdate();
            }
            try (PreparedStatement update = connection.prepareStatement("UPDATE " + table + " SET c = ? WHERE "
                    + "id = ?")) {
                update.setString(1, text(random.nextInt(), 120));
                update.setInt(2, 1 + random.nextInt(tableSize));
                update.executeUpdate();
            }
            int moved = 1 + random.nextInt(tableSize);
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table + " WHERE id = ?")) {
                delete.setInt(1, moved);
                delete.executeUpdate();
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table
                    + " VALUES (?, ?, ?, ?)")) {
                insert.setInt(1, moved);
                insert.setInt(2, random.nextInt(tableSize));
                insert.setString(3, text(random.nextInt(), 120));
                insert.setString(4, text(random.nextInt(), 60));
                insert.executeUpdate();
            }
            connection.commit();
            return true;
        } catch (SQLException e) {
            connection.rollback(); // a deadlock between clients, as with sysbench: not counted
            return false;
        }
    }

    private static String text(long seed, int length) {
        StringBuilder text = new StringBuilder(length);
        long value = seed;
        while (text.length() < length) {
            value = value * 6364136223846793005L + 1442695040888963407L;
            text.append(Long.toString(Math.abs(value % 100_000_000_000L))).append('-');
        }
        return text.substring(0, length - 1);
    }

    private record Result(SchedulerKind scheduler, int workers, long transactions, double seconds, long independent,
                          double parallelism, boolean identical) {
        double rate() {
            return transactions / seconds;
        }
    }

    /** {@code --name value} pairs. */
    private static final class Options {
        private final List<String> args;

        Options(String[] args) {
            this.args = List.of(args);
        }

        int integer(String name, int fallback) {
            return Integer.parseInt(text(name, Integer.toString(fallback)));
        }

        String text(String name, String fallback) {
            int at = args.indexOf(name);
            if (at < 0) {
                return fallback;
            }
            if (at + 1 >= args.size()) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            return args.get(at + 1);
        }

        List<String> list(String name, String fallback) {
            return List.of(text(name, fallback).split(","));
        }
    }
}
