package dev.binrelay.engine;

import dev.binrelay.engine.apply.KeyFold;
import dev.binrelay.engine.apply.TableKeys;
import dev.binrelay.engine.event.Change;
import dev.binrelay.engine.event.RowChange;
import dev.binrelay.engine.event.RowContext;
import dev.binrelay.engine.event.SourceTable;
import dev.binrelay.engine.event.Transaction;
import dev.binrelay.engine.schedule.WritesetScheduler;
import dev.binrelay.checkpoint.Gtid;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The writeset scheduler's per-transaction work: hashing each row's primary key (before and after images) and
 * looking up the last writer, for sysbench oltp_write_only transactions (two updates, a delete, an insert) over four
 * tables of 10,000 rows. Time per transaction.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class WritesetHashingBenchmark {
    private static final int TRANSACTIONS = 4096;
    private static final UUID SOURCE = UUID.fromString("3e11fa47-71ca-11e1-9e33-c80aa9429562");

    private final List<Transaction> transactions = new ArrayList<>();
    private WritesetScheduler scheduler;
    private long sequence;

    @Setup
    public void setUp() {
        List<SourceTable> tables = new ArrayList<>();
        for (int t = 1; t <= 4; t++) {
            tables.add(new SourceTable("sbtest", "sbtest" + t, new int[] {3, 3, 254, 254},
                    List.of("id", "k", "c", "pad")));
        }
        TableKeys keys = new TableKeys(List.of(new int[] {0}), new KeyFold[4], true);
        scheduler = new WritesetScheduler(table -> keys, 25_000, sequence -> { });
        java.util.Random random = new java.util.Random(42);
        BitSet all = new BitSet();
        all.set(0, 4);
        RowContext context = new RowContext(true, true, 0);
        for (int i = 0; i < TRANSACTIONS; i++) {
            SourceTable table = tables.get(random.nextInt(tables.size()));
            List<Change> changes = new ArrayList<>();
            for (RowChange.Kind kind : new RowChange.Kind[] {RowChange.Kind.UPDATE, RowChange.Kind.UPDATE,
                    RowChange.Kind.DELETE, RowChange.Kind.INSERT}) {
                Object[] row = {(long) (1 + random.nextInt(10_000)), (long) random.nextInt(10_000),
                        new byte[120], new byte[60]};
                changes.add(new RowChange(table, kind, kind == RowChange.Kind.INSERT ? null : row,
                        kind == RowChange.Kind.DELETE ? null : row, all, all, context));
            }
            transactions.add(new Transaction(new Gtid(SOURCE, i + 1), i, i + 1, 0, 0, changes, changes.size()));
        }
    }

    @Benchmark
    @OperationsPerInvocation(TRANSACTIONS)
    public long dependencies() {
        long sum = 0;
        for (Transaction transaction : transactions) {
            sum += scheduler.dependency(transaction, sequence++);
        }
        return sum;
    }
}
