package dev.binrelay.applier;

import dev.binrelay.engine.event.RowChange;
import dev.binrelay.engine.event.RowContext;
import dev.binrelay.engine.event.SourceTable;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.SQLException;
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
 * The applier's SQL and parameter building for a sysbench row: {@code planAndSql} builds a table plan and its
 * UPDATE text from scratch (what happens once per table and image shape); {@code cachedStatementAndBind} is the
 * per-row path: the cached statement for the row's shape, then every value bound with {@link ValueBinder}. The
 * bound statement is a do-nothing {@link PreparedStatement} (a proxy, whose dispatch is part of the time), since the
 * driver's own work belongs to the end-to-end catch-up benchmark.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RowStatementBenchmark {
    private SourceTable source;
    private TargetTable target;
    private TablePlan plan;
    private RowChange update;
    private PreparedStatement discarding;

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
        discarding = (PreparedStatement) Proxy.newProxyInstance(PreparedStatement.class.getClassLoader(),
                new Class<?>[] {PreparedStatement.class}, (proxy, method, args) -> null);
    }

    @Benchmark
    public String planAndSql() {
        return TablePlan.build(source, target).statementFor(update).sql();
    }

    @Benchmark
    public TablePlan.RowStatement cachedStatementAndBind() throws SQLException {
        TablePlan.RowStatement statement = plan.statementFor(update);
        int parameter = 1;
        for (int i = 0; i < statement.values().length; i++) {
            ValueBinder.bind(discarding, parameter++, update.after()[statement.values()[i]],
                    statement.valueColumns().get(i));
        }
        for (int i = 0; i < statement.where().length; i++) {
            ValueBinder.bind(discarding, parameter++, update.before()[statement.where()[i]],
                    statement.whereColumns().get(i));
        }
        return statement;
    }
}
