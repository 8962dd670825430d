package dev.binrelay.engine.schedule;

import dev.binrelay.engine.SchedulerKind;
import dev.binrelay.engine.apply.KeyCatalog;
import dev.binrelay.engine.apply.KeyFold;
import dev.binrelay.engine.apply.TableKeys;
import dev.binrelay.engine.event.RowChange;
import dev.binrelay.engine.event.SourceTable;
import dev.binrelay.engine.event.StatementChange;
import dev.binrelay.engine.event.Transaction;
import dev.binrelay.engine.pipeline.CommitTracker;
import dev.binrelay.engine.pipeline.TransactionSlot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.binrelay.checkpoint.Gtid;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The dependency policies and the commit low-water mark, without a database. */
class SchedulingTest {
    private static final UUID SOURCE = UUID.fromString("3e11fa47-71ca-11e1-9e33-c80aa9429562");
    private static final SourceTable ACCOUNTS = new SourceTable("shop", "accounts", new int[] {3, 15}, List.of());
    private static final SourceTable LOGS = new SourceTable("audit", "logs", new int[] {3, 15}, List.of());
    private final AtomicLong gno = new AtomicLong();

    @Test
    void serialMakesEveryTransactionWaitForThePreviousOneOnOneWorker() {
        Scheduling scheduling = new Scheduling(SchedulerKind.SERIAL, new SerialScheduler(), 4, 1);
        for (long sequence = 0; sequence < 5; sequence++) {
            TransactionSlot slot = place(scheduling, insert(ACCOUNTS, sequence), sequence);
            assertThat(slot.waitFor).isEqualTo(sequence - 1);
            assertThat(slot.worker).isZero();
        }
        assertThat(scheduling.independent()).isZero();
    }

    @Test
    void databaseRunsDifferentSchemasInParallelAndWaitsWithinOne() {
        Scheduling scheduling = new Scheduling(SchedulerKind.DATABASE, new DatabaseScheduler(), 2, 1);
        assertThat(place(scheduling, insert(ACCOUNTS, 1), 0).waitFor).isEqualTo(-1);
        assertThat(place(scheduling, insert(LOGS, 1), 1).waitFor).isEqualTo(-1);
        assertThat(place(scheduling, insert(ACCOUNTS, 2), 2).waitFor).isEqualTo(0);
        assertThat(place(scheduling, transaction(0, 0, row(ACCOUNTS, 3), row(LOGS, 3)), 3).waitFor).isEqualTo(2);
    }

    @Test
    void logicalClockFollowsLastCommittedAndStartsOverAtEachBinlogFile() {
        Scheduling scheduling = new Scheduling(SchedulerKind.LOGICAL_CLOCK, new LogicalClockScheduler(1024), 4, 1);
        assertThat(place(scheduling, transaction(0, 1, row(ACCOUNTS, 1)), 0).waitFor).isEqualTo(-1);
        assertThat(place(scheduling, transaction(0, 2, row(ACCOUNTS, 2)), 1).waitFor).isEqualTo(-1);
        assertThat(place(scheduling, transaction(2, 3, row(ACCOUNTS, 3)), 2).waitFor).isEqualTo(1);
        assertThat(place(scheduling, transaction(2, 4, row(ACCOUNTS, 4)), 3).waitFor).isEqualTo(1);
        // a new binary log file: the counters restart, nothing is known about what came before
        assertThat(place(scheduling, transaction(0, 1, row(ACCOUNTS, 5)), 4).waitFor).isEqualTo(3);
        assertThat(place(scheduling, transaction(0, 2, row(ACCOUNTS, 6)), 5).waitFor).isEqualTo(3);
    }

    @Test
    void logicalClockOlderThanItsWindowWaitsForEverythingBeforeTheWindow() {
        LogicalClockScheduler clock = new LogicalClockScheduler(4);
        for (long sequence = 0; sequence < 10; sequence++) {
            clock.dependency(transaction(sequence, sequence + 1, row(ACCOUNTS, sequence)), sequence);
        }
        assertThat(clock.dependency(transaction(1, 11, row(ACCOUNTS, 99)), 10)).isEqualTo(5);
    }

    @Test
    void writesetDependsOnTheLastWriterOfAnyKeyAndFoldsCaseInTextKeys() {
        KeyCatalog catalog = table -> new TableKeys(List.<int[]>of(new int[] {0}, new int[] {1}),
                new KeyFold[] {null, KeyFold.of("utf8mb4_0900_ai_ci", StandardCharsets.UTF_8)}, true);
        Scheduling scheduling = new Scheduling(SchedulerKind.WRITESET, new WritesetScheduler(catalog, 1000,
                sequence -> { }), 4, 1);
        assertThat(place(scheduling, transaction(0, 0, row(ACCOUNTS, 1, "a")), 0).waitFor).isEqualTo(-1);
        assertThat(place(scheduling, transaction(0, 0, row(ACCOUNTS, 2, "b")), 1).waitFor).isEqualTo(-1);
        assertThat(place(scheduling, transaction(0, 0, row(ACCOUNTS, 3, "c")), 2).waitFor).isEqualTo(-1);
        // same primary key as the first
        assertThat(place(scheduling, transaction(0, 0, row(ACCOUNTS, 1, "d")), 3).waitFor).isEqualTo(0);
        // same unique text key as the second, in other case and with an accent and trailing spaces
        assertThat(place(scheduling, transaction(0, 0, row(ACCOUNTS, 9, "B")), 4).waitFor).isEqualTo(1);
        assertThat(scheduling.independent()).isEqualTo(4);
    }

    @Test
    void writesetRunsTablesWithoutKeysOrWithForeignKeysAloneAndStatementsAreBarriersForAll() {
        KeyCatalog catalog = table -> table == LOGS ? new TableKeys(List.of(), new KeyFold[2], true)
                : new TableKeys(List.<int[]>of(new int[] {0}), new KeyFold[2], true);
        Scheduling scheduling = new Scheduling(SchedulerKind.WRITESET, new WritesetScheduler(catalog, 1000,
                sequence -> { }), 4, 1);
        assertThat(place(scheduling, insert(ACCOUNTS, 1), 0).waitFor).isEqualTo(-1);
        assertThat(place(scheduling, insert(LOGS, 1), 1).waitFor).as("no key: waits for all").isEqualTo(0);
        assertThat(place(scheduling, insert(ACCOUNTS, 2), 2).waitFor).as("after a barrier").isEqualTo(1);
        Transaction ddl = new Transaction(new Gtid(SOURCE, gno.incrementAndGet()), 0, 0, 0, 0,
                List.of(new StatementChange("shop", "ALTER TABLE accounts ADD COLUMN x INT", null)), 0);
        assertThat(place(scheduling, ddl, 3).waitFor).isEqualTo(2);
        assertThat(place(scheduling, insert(ACCOUNTS, 3), 4).waitFor).isEqualTo(3);
        assertThat(scheduling.barriers()).isEqualTo(2);
    }

    @Test
    void aStatementIsABarrierInEveryPolicyAndThePolicyForgetsWhatCameBefore() {
        KeyCatalog catalog = table -> new TableKeys(List.<int[]>of(new int[] {0}), new KeyFold[2], true);
        for (SchedulerKind kind : SchedulerKind.values()) {
            Scheduler policy = switch (kind) {
                case SERIAL -> new SerialScheduler();
                case DATABASE -> new DatabaseScheduler();
                case LOGICAL_CLOCK -> new LogicalClockScheduler(1024);
                case WRITESET -> new WritesetScheduler(catalog, 1000, sequence -> { });
            };
            Scheduling scheduling = new Scheduling(kind, policy, 4, 1);
            // Independent by every policy's measure but serial's: other schemas, other keys, one commit group.
            place(scheduling, transaction(0, 1, row(ACCOUNTS, 1)), 0);
            place(scheduling, transaction(0, 2, row(LOGS, 2)), 1);
            assertThat(place(scheduling, ddl("shop", "ALTER TABLE accounts ADD COLUMN x INT", 2, 3), 2).waitFor)
                    .as("%s: the statement waits for everything before it", kind).isEqualTo(1);
            // The same row and schema as sequence 0, in the statement's commit group: only the barrier orders it.
            assertThat(place(scheduling, transaction(2, 4, row(LOGS, 7)), 3).waitFor)
                    .as("%s: what follows waits for the statement", kind).isEqualTo(2);
            assertThat(place(scheduling, transaction(2, 5, row(ACCOUNTS, 1)), 4).waitFor)
                    .as("%s: what follows waits for the statement", kind).isGreaterThanOrEqualTo(2);
            assertThat(scheduling.barriers()).as("%s", kind).isEqualTo(1);
        }
    }

    @Test
    void writesetReadsKeysAgainOnlyAfterTheStatementCommittedAndHashesTheNewKey() {
        List<String> calls = new ArrayList<>();
        int[] keyColumn = {0};
        KeyCatalog catalog = table -> {
            calls.add("keys of " + table + " by column " + keyColumn[0]);
            return new TableKeys(List.<int[]>of(new int[] {keyColumn[0]}), new KeyFold[2], true);
        };
        Scheduling scheduling = new Scheduling(SchedulerKind.WRITESET, new WritesetScheduler(catalog, 1000,
                sequence -> {
                    calls.add("waited for " + sequence);
                    keyColumn[0] = 1; // the statement changed the primary key to the second column
                }), 4, 1);
        place(scheduling, transaction(0, 0, row(ACCOUNTS, 1, "a")), 0);
        place(scheduling, ddl("shop", "ALTER TABLE accounts DROP PRIMARY KEY, ADD PRIMARY KEY (code)", 0, 0), 1);
        place(scheduling, transaction(0, 0, row(ACCOUNTS, 2, "b")), 2);
        // Another id but the same value of the new key: a conflict only the re-read keys can see.
        assertThat(place(scheduling, transaction(0, 0, row(ACCOUNTS, 3, "b")), 3).waitFor).isEqualTo(2);
        // The old key is no longer hashed: the same id as sequence 2, another code, no conflict but the barrier.
        assertThat(place(scheduling, transaction(0, 0, row(ACCOUNTS, 2, "c")), 4).waitFor).isEqualTo(1);
        assertThat(calls).containsExactly("keys of shop.accounts by column 0", "waited for 1",
                "keys of shop.accounts by column 1");
    }

    @Test
    void afterABarrierIndependentTransactionsSpreadOverWorkersAgain() {
        Scheduling scheduling = new Scheduling(SchedulerKind.DATABASE, new DatabaseScheduler(), 2, 2);
        place(scheduling, insert(ACCOUNTS, 1), 0);
        place(scheduling, ddl("shop", "CREATE TABLE t (id INT PRIMARY KEY)", 0, 0), 1);
        int[] workers = new int[6];
        for (int i = 0; i < workers.length; i++) {
            SourceTable table = new SourceTable("schema" + i, "t", new int[] {3, 15}, List.of());
            TransactionSlot slot = place(scheduling, insert(table, i), 2 + i);
            assertThat(slot.waitFor).as("after the barrier").isGreaterThanOrEqualTo(1);
            workers[i] = slot.worker;
        }
        assertThat(workers).as("runs of two, in turn, as before the barrier").containsExactly(1, 1, 0, 0, 1, 1);
    }

    @Test
    void writesetHistoryThatOverflowsBecomesABarrier() {
        KeyCatalog catalog = table -> new TableKeys(List.<int[]>of(new int[] {0}), new KeyFold[2], true);
        Scheduling scheduling = new Scheduling(SchedulerKind.WRITESET, new WritesetScheduler(catalog, 3,
                sequence -> { }), 4, 1);
        for (long sequence = 0; sequence < 3; sequence++) {
            assertThat(place(scheduling, insert(ACCOUNTS, sequence), sequence).waitFor).isEqualTo(-1);
        }
        assertThat(place(scheduling, insert(ACCOUNTS, 3), 3).waitFor).isEqualTo(2);
        assertThat(place(scheduling, insert(ACCOUNTS, 4), 4).waitFor).isEqualTo(3);
    }

    @Test
    void aChainOfDependentTransactionsStaysOnOneWorker() {
        Scheduling scheduling = new Scheduling(SchedulerKind.SERIAL, new SerialScheduler(), 4, 1);
        int first = place(scheduling, insert(ACCOUNTS, 1), 0).worker;
        assertThat(place(scheduling, insert(ACCOUNTS, 2), 1).worker).isEqualTo(first);
    }

    @Test
    void transactionsThatNameAnEarlyMemberOfAFullRunStartTheNextWorkersRun() {
        // One source commit group (last_committed 1 for all, as a WRITESET source writes after its history starts):
        // every transaction after the first depends on it alone. Runs of three, in turn, not one run that grows.
        Scheduling scheduling = new Scheduling(SchedulerKind.LOGICAL_CLOCK, new LogicalClockScheduler(1024), 2, 3);
        int[] workers = new int[9];
        for (int i = 0; i < workers.length; i++) {
            TransactionSlot slot = place(scheduling, transaction(1, i + 1, row(ACCOUNTS, i)), i);
            assertThat(slot.waitFor).as("sequence %d waits for the group's first", i).isEqualTo(i == 0 ? -1 : 0);
            workers[i] = slot.worker;
        }
        assertThat(workers).containsExactly(0, 0, 0, 1, 1, 1, 0, 0, 0);
    }

    @Test
    void aFullRunGoesOnWithATransactionThatNeedsTheOneJustBeforeIt() {
        Scheduling scheduling = new Scheduling(SchedulerKind.LOGICAL_CLOCK, new LogicalClockScheduler(1024), 2, 2);
        int[] workers = new int[5];
        for (int i = 0; i < workers.length; i++) {
            // each transaction's last_committed is the one before it: a chain
            workers[i] = place(scheduling, transaction(i, i + 1, row(ACCOUNTS, i)), i).worker;
        }
        assertThat(workers).containsExactly(0, 0, 0, 0, 0);
    }

    @Test
    void independentTransactionsGoToWorkersInRunsSoThatEachRunSharesACommit() {
        Scheduling scheduling = new Scheduling(SchedulerKind.DATABASE, new DatabaseScheduler(), 2, 3);
        SourceTable[] tables = new SourceTable[6];
        int[] workers = new int[6];
        for (int i = 0; i < 6; i++) {
            tables[i] = new SourceTable("schema" + i, "t", new int[] {3, 15}, List.of());
            workers[i] = place(scheduling, insert(tables[i], i), i).worker;
        }
        assertThat(workers).containsExactly(0, 0, 0, 1, 1, 1);
    }

    @Test
    void aThreadWaitingForACommitIsWokenByTheCommitThatReachesIt() {
        CommitTracker tracker = new CommitTracker(1024, -1);
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(60), () -> {
            List<Thread> waiters = new ArrayList<>();
            for (int w = 0; w < 6; w++) {
                long waitedFor = w * 100;
                Thread waiter = new Thread(() -> {
                    while (tracker.committedThrough() < waitedFor) {
                        tracker.await(waitedFor, java.util.concurrent.TimeUnit.HOURS.toNanos(1));
                    }
                });
                waiters.add(waiter);
                waiter.start();
            }
            // Out of order and from several threads: only the commit that closes the gap moves the mark.
            List<Thread> markers = new ArrayList<>();
            for (int m = 0; m < 3; m++) {
                int offset = m;
                Thread marker = new Thread(() -> {
                    for (long sequence = 600 - offset; sequence >= 0; sequence -= 3) {
                        tracker.markCommitted(sequence);
                    }
                });
                markers.add(marker);
                marker.start();
            }
            for (Thread thread : markers) {
                thread.join();
            }
            for (Thread waiter : waiters) {
                waiter.join(); // an hour each unless the commits woke them
            }
        });
        assertThat(tracker.committedThrough()).isEqualTo(600);
    }

    @Test
    void commitTrackerAdvancesOnlyOverContiguousCommitsFromManyThreads() throws Exception {
        CommitTracker tracker = new CommitTracker(1024, -1);
        tracker.markCommitted(1);
        assertThat(tracker.committedThrough()).isEqualTo(-1);
        tracker.markCommitted(0);
        assertThat(tracker.committedThrough()).isEqualTo(1);

        CommitTracker shared = new CommitTracker(1 << 16, -1);
        int threads = 8;
        int perThread = 5000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> markers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int offset = t;
            Thread marker = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                for (long sequence = offset; sequence < (long) threads * perThread; sequence += threads) {
                    shared.markCommitted(sequence);
                }
            });
            markers.add(marker);
            marker.start();
        }
        start.countDown();
        for (Thread marker : markers) {
            marker.join();
        }
        assertThat(shared.committedThrough()).isEqualTo((long) threads * perThread - 1);
    }

    @Test
    void logicalClockAddsTheDependenciesTheSourceMissesOnPrefixKeysAndTrustsItElsewhere() {
        KeyFold bin = KeyFold.of("utf8mb4_bin", StandardCharsets.UTF_8);
        List<int[]> keys = List.of(new int[] {0}, new int[] {1});
        TableKeys prefixed = new TableKeys(keys, List.of(new int[] {0}, new int[] {5}), new KeyFold[] {null, bin},
                true);
        TableKeys whole = new TableKeys(keys, new KeyFold[] {null, bin}, true);
        KeyCatalog catalog = table -> table == ACCOUNTS ? prefixed : whole;
        Scheduling scheduling = new Scheduling(SchedulerKind.LOGICAL_CLOCK, new PrefixKeyClock(
                new LogicalClockScheduler(1024), WritesetScheduler.prefixKeysOnly(catalog, 1000, sequence -> { })), 4, 1);
        // Every transaction independent on the source's clock (last_committed 0), as MySQL's WRITESET tracking
        // reports two values that differ after the indexed prefix.
        assertThat(place(scheduling, transaction(0, 1, row(ACCOUNTS, 1, "alice@one")), 0).waitFor).isEqualTo(-1);
        assertThat(place(scheduling, transaction(0, 2, row(LOGS, 1, "alice@one")), 1).waitFor).isEqualTo(-1);
        assertThat(place(scheduling, transaction(0, 3, row(ACCOUNTS, 2, "alice@two")), 2).waitFor)
                .as("the same prefix of a prefix key: after the transaction that held it").isEqualTo(0);
        assertThat(place(scheduling, transaction(0, 4, row(ACCOUNTS, 3, "bob")), 3).waitFor)
                .as("another prefix").isEqualTo(-1);
        assertThat(place(scheduling, transaction(0, 5, row(LOGS, 5, "alice@two")), 4).waitFor)
                .as("the same prefix, but no prefix key: the source's clock alone decides").isEqualTo(-1);
        assertThat(place(scheduling, transaction(4, 6, row(LOGS, 9, "z")), 5).waitFor)
                .as("and its dependencies stand").isEqualTo(3);
    }

    private static TransactionSlot place(Scheduling scheduling, Transaction transaction, long sequence) {
        TransactionSlot slot = new TransactionSlot();
        scheduling.place(transaction, sequence, slot);
        return slot;
    }

    private Transaction ddl(String database, String sql, long lastCommitted, long sequenceNumber) {
        return new Transaction(new Gtid(SOURCE, gno.incrementAndGet()), lastCommitted, sequenceNumber, 0, 0,
                List.of(new StatementChange(database, sql, null)), 0);
    }

    private Transaction insert(SourceTable table, long id) {
        return transaction(0, 0, row(table, id));
    }

    private Transaction transaction(long lastCommitted, long sequenceNumber, RowChange... rows) {
        return new Transaction(new Gtid(SOURCE, gno.incrementAndGet()), lastCommitted, sequenceNumber, 0, 0,
                List.of(rows), rows.length);
    }

    private static RowChange row(SourceTable table, long id) {
        return row(table, id, "v" + id);
    }

    private static RowChange row(SourceTable table, long id, String text) {
        BitSet present = new BitSet();
        present.set(0, 2);
        String folded = text.equals("B") ? "b\u0301  " : text; // an accent and trailing spaces fold away
        return new RowChange(table, RowChange.Kind.INSERT, null,
                new Object[] {id, folded.getBytes(StandardCharsets.UTF_8)}, null, present, null);
    }
}
