package dev.binrelay.applier;

import com.zaxxer.hikari.HikariDataSource;
import dev.binrelay.engine.apply.CollationWeights;
import dev.binrelay.engine.apply.ForeignKeyColumns;
import dev.binrelay.engine.apply.KeyCatalog;
import dev.binrelay.engine.apply.KeyFold;
import dev.binrelay.engine.ReplicaException;
import dev.binrelay.engine.event.SourceTable;
import dev.binrelay.engine.apply.TableKeys;
import dev.binrelay.engine.apply.TransientErrors;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writeset scheduler's view of table keys, read from the target's schema through the shared {@link TableCatalog}
 * and mapped onto source column positions the way {@link TablePlan} maps rows. Thread-safe.
 */
final class TargetKeyCatalog implements KeyCatalog {
    /** Lost-connection retries, with pauses doubling from 200 ms to 5 s: about half a minute, as a worker waits. */
    private static final int ATTEMPTS = 11;
    private static final long FIRST_PAUSE_MILLIS = 200;
    private static final long MAX_PAUSE_MILLIS = 5_000;
    private static final Logger LOG = LoggerFactory.getLogger(TargetKeyCatalog.class);

    private final HikariDataSource pool;
    private final TableCatalog catalog;
    private final Map<String, KeyFold> folds = new ConcurrentHashMap<>();

    TargetKeyCatalog(HikariDataSource pool, TableCatalog catalog) {
        this.pool = pool;
        this.catalog = catalog;
    }

    @Override
    public TableKeys keysOf(SourceTable source) {
        Optional<TargetTable> found = readTable(source);
        if (found.isEmpty()) {
            return null; // the worker will report the missing table; the scheduler runs it alone
        }
        TargetTable target = found.get();
        int[] sourceOf = sourceColumns(source, target);
        if (sourceOf == null) {
            return null; // shapes differ: the worker reports it
        }
        List<int[]> keys = new ArrayList<>();
        List<int[]> prefixes = new ArrayList<>();
        KeyFold[] folds = new KeyFold[source.columnCount()];
        for (TargetKey key : target.keys()) {
            // A functional key hashes its column parts only (none: one value for the whole table), which collides
            // whenever the real key does.
            keys.add(sourceKey(source, target, sourceOf, key.columns(), folds));
            prefixes.add(key.prefixes().clone());
        }
        boolean primaryKey = !target.keys().isEmpty() && target.keys().get(0).primary();
        List<ForeignKeyColumns> foreignKeys = new ArrayList<>();
        for (ForeignKeyColumns foreignKey : target.foreignKeys()) {
            // parent and child share the collation, so both sides fold alike
            foreignKeys.add(new ForeignKeyColumns(foreignKey.referenced(),
                    sourceKey(source, target, sourceOf, foreignKey.columns(), folds), foreignKey.parent(),
                    foreignKey.cascadesOnDelete(), foreignKey.cascadesOnUpdate()));
        }
        return new TableKeys(List.copyOf(keys), List.copyOf(prefixes), folds, primaryKey, List.copyOf(foreignKeys),
                rowColumns(target, sourceOf));
    }

    /** Target key columns as source positions, recording the fold of each text column among them in {@code folds}. */
    private int[] sourceKey(SourceTable source, TargetTable target, int[] sourceOf, int[] targetColumns,
                            KeyFold[] folds) {
        int[] mapped = new int[targetColumns.length];
        for (int i = 0; i < mapped.length; i++) {
            mapped[i] = sourceOf[targetColumns[i]];
            TargetColumn column = target.columns().get(targetColumns[i]);
            if (column.textual()) {
                folds[mapped[i]] = foldOf(source, column);
            }
        }
        return mapped;
    }

    /**
     * The source columns by which the applier finds a row no key identifies ({@link TablePlan}: every column it
     * writes, text compared as bytes); JSON columns are left out (compared as JSON, different texts can be equal),
     * which only makes the identity coarser.
     */
    private static int[] rowColumns(TargetTable target, int[] sourceOf) {
        List<Integer> columns = new ArrayList<>();
        for (int i = 0; i < sourceOf.length; i++) {
            TargetColumn column = target.columns().get(i);
            if (!column.generated() && !column.json()) {
                columns.add(sourceOf[i]);
            }
        }
        return columns.stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    /**
     * The fold of a text column's key values: from the target's own weights for a one-byte charset (read once per
     * collation), else by {@link KeyFold#of}.
     */
    private KeyFold foldOf(SourceTable source, TargetColumn column) {
        String collation = column.collation() == null ? "" : column.collation().toLowerCase(Locale.ROOT);
        KeyFold known = folds.get(collation);
        if (known != null) {
            return known;
        }
        Charset charset = javaCharset(column.charset());
        KeyFold weighed = withConnection(source, "the collation " + collation + " of", connection ->
                CollationWeights.read(connection, column.charset().toLowerCase(Locale.ROOT), collation, charset));
        KeyFold fold = weighed != null ? weighed : KeyFold.of(collation, charset);
        folds.putIfAbsent(collation, fold);
        return fold;
    }

    /** The target's table, read again on a new connection after a lost one (a target restart, a killed session). */
    private Optional<TargetTable> readTable(SourceTable source) {
        return withConnection(source, "the keys of", connection ->
                catalog.table(connection, source.schema(), source.name()));
    }

    /** Work on a target connection. */
    private interface ConnectionWork<T> {
        T run(Connection connection) throws SQLException;
    }

    private <T> T withConnection(SourceTable source, String what, ConnectionWork<T> work) {
        long pause = FIRST_PAUSE_MILLIS;
        for (int attempt = 1; ; attempt++) {
            try (Connection connection = pool.getConnection()) {
                T found = work.run(connection);
                connection.rollback();
                return found;
            } catch (SQLException e) {
                int code = TargetErrors.code(e);
                String failure = "cannot read " + what + " " + source.qualifiedName() + " on the target: error " + code
                        + ": " + e.getMessage();
                if (!TransientErrors.isConnectionLost(code) || attempt == ATTEMPTS) {
                    throw new ReplicaException(failure + (attempt > 1 ? " (gave up after " + attempt + " attempts)"
                            : ""), e);
                }
                LOG.warn("{}; trying again in {} ms", failure, pause);
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new ReplicaException(failure, e);
                }
                pause = Math.min(MAX_PAUSE_MILLIS, pause * 2);
            }
        }
    }

    /** For each target column, its source column; null when the two tables do not line up. */
    private static int[] sourceColumns(SourceTable source, TargetTable target) {
        List<TargetColumn> columns = target.columns();
        if (columns.size() != source.columnCount()) {
            return null;
        }
        int[] sourceOf = new int[columns.size()];
        for (int i = 0; i < sourceOf.length; i++) {
            if (source.columnNames().isEmpty()) {
                sourceOf[i] = i;
            } else {
                sourceOf[i] = -1;
                for (int s = 0; s < source.columnCount(); s++) {
                    if (source.columnNames().get(s).equalsIgnoreCase(columns.get(i).name())) {
                        sourceOf[i] = s;
                    }
                }
                if (sourceOf[i] < 0) {
                    return null;
                }
            }
        }
        return sourceOf;
    }

    static Charset javaCharset(String mysqlCharset) {
        String name = mysqlCharset.toLowerCase(Locale.ROOT);
        return switch (name) {
            case "utf8mb4", "utf8mb3", "utf8" -> StandardCharsets.UTF_8;
            case "latin1" -> Charset.forName("windows-1252"); // MySQL's latin1 is cp1252
            case "ascii" -> StandardCharsets.US_ASCII;
            case "ucs2", "utf16" -> StandardCharsets.UTF_16BE;
            case "utf16le" -> StandardCharsets.UTF_16LE;
            case "sjis" -> Charset.forName("Shift_JIS");
            case "cp932" -> Charset.forName("windows-31j");
            default -> Charset.isSupported(name) ? Charset.forName(name) : StandardCharsets.ISO_8859_1;
        };
    }
}
