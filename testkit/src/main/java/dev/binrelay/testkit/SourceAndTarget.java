package dev.binrelay.testkit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A source and a target {@code mysqld} shared by one test class: register it as
 * {@code @RegisterExtension static final SourceAndTarget servers = SourceAndTarget.create();}. The servers start
 * side by side before the class and stop after it; unless {@link #keepSchemasBetweenTests()} is chosen, user schemas
 * are dropped on all of them before each test. Other kinds of server are chosen with {@link #withSource} and
 * {@link #withTarget}, and more servers with {@link #withSecondSource} (another source for the same target, as a
 * shard) and {@link #withSecondTarget} (such as MySQL's own replica for comparison, or the last server of a chain).
 *
 * <p>Module-specific wiring (a binrelay replica between them, a verifier) belongs in a module-local helper that uses
 * this extension: testkit depends on no binrelay module.
 */
public final class SourceAndTarget implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {
    private final Supplier<EmbeddedMySql> sourceStarter;
    private final Supplier<EmbeddedMySql> targetStarter;
    private final Supplier<EmbeddedMySql> secondSourceStarter;
    private final Supplier<EmbeddedMySql> secondTargetStarter;
    private final boolean dropSchemasBeforeEach;
    private EmbeddedMySql source;
    private EmbeddedMySql target;
    private EmbeddedMySql secondSource;
    private EmbeddedMySql secondTarget;

    private SourceAndTarget(Supplier<EmbeddedMySql> sourceStarter, Supplier<EmbeddedMySql> targetStarter,
                            Supplier<EmbeddedMySql> secondSourceStarter, Supplier<EmbeddedMySql> secondTargetStarter,
                            boolean dropSchemasBeforeEach) {
        this.sourceStarter = Objects.requireNonNull(sourceStarter, "sourceStarter");
        this.targetStarter = Objects.requireNonNull(targetStarter, "targetStarter");
        this.secondSourceStarter = secondSourceStarter;
        this.secondTargetStarter = secondTargetStarter;
        this.dropSchemasBeforeEach = dropSchemasBeforeEach;
    }

    /** A source with GTIDs ({@link EmbeddedMySql#startSource}) and a target; user schemas dropped before each test. */
    public static SourceAndTarget create() {
        return withSource(EmbeddedMySql::startSource);
    }

    /** As {@link #create()}, with a source of another kind, such as {@link EmbeddedMySql#startSourceWithoutGtids}. */
    public static SourceAndTarget withSource(Supplier<EmbeddedMySql> sourceStarter) {
        return new SourceAndTarget(sourceStarter, EmbeddedMySql::startTarget, null, null, true);
    }

    /**
     * As {@link #create()}, with a MariaDB source ({@link EmbeddedMariaDb#startSource}); the class is skipped (an
     * assumption fails) where MariaDB's binaries are not available.
     */
    public static SourceAndTarget withMariaDbSource() {
        return withSource(() -> {
            assumeTrue(EmbeddedMariaDb.availability().isEmpty(), () -> EmbeddedMariaDb.availability().orElse(""));
            return EmbeddedMariaDb.startSource();
        });
    }

    /** The same, with a target of another kind, such as one with a binary log ({@link EmbeddedMySql#startSource}). */
    public SourceAndTarget withTarget(Supplier<EmbeddedMySql> targetStarter) {
        return new SourceAndTarget(sourceStarter, targetStarter, secondSourceStarter, secondTargetStarter,
                dropSchemasBeforeEach);
    }

    /** The same, with one more source, {@link #secondSource()}, started with the others. */
    public SourceAndTarget withSecondSource(Supplier<EmbeddedMySql> secondSourceStarter) {
        return new SourceAndTarget(sourceStarter, targetStarter,
                Objects.requireNonNull(secondSourceStarter, "secondSourceStarter"), secondTargetStarter,
                dropSchemasBeforeEach);
    }

    /** The same, with one more target, {@link #secondTarget()}, started with the others. */
    public SourceAndTarget withSecondTarget(Supplier<EmbeddedMySql> secondTargetStarter) {
        return new SourceAndTarget(sourceStarter, targetStarter, secondSourceStarter,
                Objects.requireNonNull(secondTargetStarter, "secondTargetStarter"), dropSchemasBeforeEach);
    }

    /** The same servers, leaving schemas as the previous test left them. */
    public SourceAndTarget keepSchemasBetweenTests() {
        return new SourceAndTarget(sourceStarter, targetStarter, secondSourceStarter, secondTargetStarter, false);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void beforeAll(ExtensionContext context) {
        List<Supplier<EmbeddedMySql>> starters = new ArrayList<>(List.of(sourceStarter, targetStarter));
        if (secondSourceStarter != null) {
            starters.add(secondSourceStarter);
        }
        if (secondTargetStarter != null) {
            starters.add(secondTargetStarter);
        }
        // When one fails (or skips the class with a failed assumption) the others are closed and stay null here.
        List<EmbeddedMySql> started = EmbeddedMySql.startTogether(starters.toArray(Supplier[]::new));
        source = started.get(0);
        target = started.get(1);
        secondSource = secondSourceStarter == null ? null : started.get(2);
        secondTarget = secondTargetStarter == null ? null : started.get(started.size() - 1);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        for (EmbeddedMySql server : servers()) {
            server.close();
        }
        source = null;
        target = null;
        secondSource = null;
        secondTarget = null;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (dropSchemasBeforeEach) {
            dropUserSchemas();
        }
    }

    /** The source server. */
    public EmbeddedMySql source() {
        return source;
    }

    /** The target server. */
    public EmbeddedMySql target() {
        return target;
    }

    /**
     * The other source chosen with {@link #withSecondSource}.
     *
     * @throws IllegalStateException when none was chosen
     */
    public EmbeddedMySql secondSource() {
        if (secondSourceStarter == null) {
            throw new IllegalStateException("no second source: register SourceAndTarget.withSecondSource(...)");
        }
        return secondSource;
    }

    /**
     * The other target chosen with {@link #withSecondTarget}.
     *
     * @throws IllegalStateException when none was chosen
     */
    public EmbeddedMySql secondTarget() {
        if (secondTargetStarter == null) {
            throw new IllegalStateException("no second target: register SourceAndTarget.withSecondTarget(...)");
        }
        return secondTarget;
    }

    /** Drops user schemas on every server. */
    public void dropUserSchemas() {
        for (EmbeddedMySql server : servers()) {
            server.dropUserSchemas();
        }
    }

    /** Runs {@code statements} on the source, in order, each autocommitted. */
    public void onSource(String... statements) {
        source.execute(statements);
    }

    /** Runs {@code statements} on the target, in order, each autocommitted. */
    public void onTarget(String... statements) {
        target.execute(statements);
    }

    /** The source's {@code gtid_executed}. */
    public String sourceGtids() {
        return source.gtidExecuted();
    }

    /** The checksum of {@code schema.table} on the source. */
    public TableChecksum sourceChecksum(String schema, String table) throws SQLException {
        try (Connection connection = source.connect()) {
            return TableChecksum.of(connection, schema, table);
        }
    }

    /** The checksum of {@code schema.table} on the target. */
    public TableChecksum targetChecksum(String schema, String table) throws SQLException {
        try (Connection connection = target.connect()) {
            return TableChecksum.of(connection, schema, table);
        }
    }

    /** The base tables of {@code schema} on the source. */
    public List<String> sourceTables(String schema) throws SQLException {
        try (Connection connection = source.connect()) {
            return TableChecksum.tables(connection, schema);
        }
    }

    /** The servers started, in start order (none before the class or after it). */
    private List<EmbeddedMySql> servers() {
        List<EmbeddedMySql> servers = new ArrayList<>(4);
        for (EmbeddedMySql server : new EmbeddedMySql[] {source, target, secondSource, secondTarget}) {
            if (server != null) {
                servers.add(server);
            }
        }
        return servers;
    }
}
