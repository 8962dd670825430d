package dev.binrelay.applier;

import dev.binrelay.engine.event.RowChange;
import dev.binrelay.engine.event.RowContext;
import dev.binrelay.engine.event.SourceTable;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The applier's SQL building for a sysbench row: {@code planAndSql} builds a table plan and its UPDATE text from
 * scratch (what happens once per table and image shape); {@code cachedStatementAndText} is the per-row path: the
 * cached statement for the row's shape, then its text with the row's values written in ({@link SqlLiterals}), all
 * that is left to the driver being to send it. (Before, the values were bound to a client-side prepared statement,
 * which the driver formatted into text itself: that cost was in the driver, outside this benchmark's old
 * {@code cachedStatementAndBind}, and showed in the catch-up profile.)
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RowStatementBenchmark {
    private SourceTable source;
    private TargetTable target;
    private TablePlan plan;
    private RowChange update;

    @Setup
    public void setUp() {
        source = new SourceTable("sbtest", "sbtest1", new int[] {3, 3, 254, 254}, List.of("id", "k", "c", "pad"));
        target = new TargetTable("sbtest", "sbtest1", List.of(
                new TargetColumn("id", "int", null, null, false, false, false, 0),
                new TargetColumn("k", "int", null, null, false, false, false, 0),
                new TargetColumn("c", "char", "utf8mb4", "utf8mb4_0900_ai_ci", false, false, false, 480),
                new TargetColumn("pad", "char", "utf8mb4", "utf8mb4_0900_ai_ci", false, false, false, 240)),
                new int[] {0}, List.of(new int[] {0}));
        plan = TablePlan.build(source, target);
        BitSet all = new BitSet();
        all.set(0, 4);
        Object[] before = {42L, 7L, "c".repeat(119).getBytes(StandardCharsets.UTF_8),
                "p".repeat(59).getBytes(StandardCharsets.UTF_8)};
        Object[] after = {42L, 8L, before[2], before[3]};
        update = new RowChange(source, RowChange.Kind.UPDATE, before, after, all, all, new RowContext(true, true, 0));
    }

    @Benchmark
    public String planAndSql() {
        return TablePlan.build(source, target).statementFor(update).sql();
    }

    @Benchmark
    public String cachedStatementAndText() {
        return SqlLiterals.rowText(update, plan.statementFor(update));
    }
}
