package dev.binrelay.engine.schedule;

import dev.binrelay.engine.apply.ForeignKeyColumns;
import dev.binrelay.engine.apply.KeyCatalog;
import dev.binrelay.engine.apply.KeyFold;
import dev.binrelay.engine.apply.TableKeys;
import dev.binrelay.engine.event.Change;
import dev.binrelay.engine.event.RowChange;
import dev.binrelay.engine.event.SourceTable;
import dev.binrelay.engine.event.Transaction;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Dependencies from the rows themselves: each row's primary and unique key values (before and after images) hash to
 * a 64-bit key; a transaction depends on the newest earlier transaction that touched any of its keys. This finds
 * parallelism where the source's clock has none (a single-threaded source).
 *
 * <p>Keys over-approximate equality, never under-approximate it: text values are folded by their column's collation
 * ({@link KeyFold}), prefix keys hash the prefix only; a false collision only costs parallelism, a missed one lets two
 * conflicting transactions run side by side.
 *
 * <p>Foreign keys, as MySQL's WRITESET tracking does: a child row also hashes the parent values it references and a
 * parent row the values it is referenced by, so a child waits for the transaction that wrote its parent and a
 * parent's delete for the children written before it. A row that no unique key identifies (a table without one, or
 * NULL in every unique key) hashes its whole image over the columns the applier finds it by, which it compares
 * exactly: two transactions on identical rows are ordered, others are not.
 *
 * <p>Runs alone (a barrier): a parent row deleted, or its referenced values changed, under a foreign key that
 * cascades (CASCADE, SET NULL: the target changes child rows the binlog does not show); a table the catalog does not
 * know, or without a key and without a known row identity; a row whose image lacks a key's or a foreign key's columns
 * (a minimal image: the value it frees or takes is unknown), or the whole-image columns of a row no key identifies.
 * The history holds at most {@code historySize} keys; when it is full it is cleared and the transaction waits for
 * everything before it.
 */
public final class WritesetScheduler implements Scheduler {
    private static final long SEED = 0x9E3779B97F4A7C15L;
    /**
     * The "prefix" of a foreign key's parts: the whole value, binary strings without trailing 0x00 bytes, since a
     * VARBINARY child may reference a BINARY(n) parent whose logged value has its padding stripped.
     */
    private static final int BINARY_PADDING_STRIPPED = -1;

    private final KeyCatalog catalog;
    private final int historySize;
    private final boolean prefixKeysOnly;
    private final SchemaChangeWait schemaChangeWait;
    private final Map<Long, Long> lastWriter = new HashMap<>();
    private final Map<SourceTable, TableKeys> keys = new IdentityHashMap<>();
    private long keyHash; // the last key hashKey computed (one thread: the reader's)
    private long historyResets;
    private long lastSchemaChange = -1;

    /** Blocks until a DDL has committed, so the catalog shows the schema the following rows were written with. */
    public interface SchemaChangeWait {
        void awaitCommitted(long sequence);
    }

    public WritesetScheduler(KeyCatalog catalog, int historySize, SchemaChangeWait schemaChangeWait) {
        this(catalog, historySize, schemaChangeWait, false);
    }

    private WritesetScheduler(KeyCatalog catalog, int historySize, SchemaChangeWait schemaChangeWait,
                              boolean prefixKeysOnly) {
        this.catalog = catalog;
        this.historySize = historySize;
        this.schemaChangeWait = schemaChangeWait;
        this.prefixKeysOnly = prefixKeysOnly;
    }

    /**
     * Hashes only the rows of tables with a prefix unique key, and passes over every other row (dependency -1): the
     * check {@link PrefixKeyClock} layers over the source's clock. A row whose image lacks a prefix table's key
     * columns is still a barrier; tables without keys or unknown to the catalog are not, and foreign keys and whole
     * images are not hashed (the source's clock orders them).
     */
    public static WritesetScheduler prefixKeysOnly(KeyCatalog catalog, int historySize, SchemaChangeWait schemaChangeWait) {
        return new WritesetScheduler(catalog, historySize, schemaChangeWait, true);
    }

    @Override
    public long dependency(Transaction transaction, long sequence) {
        long dependency = -1;
        for (Change change : transaction.changes()) {
            RowChange row = (RowChange) change; // statements are barriers before we get here
            TableKeys tableKeys = keysOf(row.table());
            if (prefixKeysOnly) {
                if (tableKeys == null || !tableKeys.hasPrefixKey()) {
                    continue;
                }
            } else if (tableKeys == null || tableKeys.uniqueKeys().isEmpty() && tableKeys.rowColumns().length == 0) {
                return Scheduling.BARRIER;
            }
            long rowDependency = touch(row, tableKeys, sequence);
            if (rowDependency == Scheduling.BARRIER) {
                return Scheduling.BARRIER; // the row frees or takes key values the images do not show
            }
            dependency = Math.max(dependency, rowDependency);
        }
        if (lastWriter.size() > historySize) {
            lastWriter.clear();
            historyResets++;
            return Scheduling.BARRIER; // what we forgot may be a dependency, before and after this transaction
        }
        return dependency;
    }

    @Override
    public void reset() {
        keys.clear();
        lastWriter.clear();
    }

    /** Notes that a DDL at {@code sequence} may change table shapes: later lookups wait for it to commit. */
    @Override
    public void schemaChangedAt(long sequence) {
        lastSchemaChange = sequence;
        reset();
    }

    /** Tables whose keys are cached, for tests. */
    public int tablesKnown() {
        return keys.size();
    }

    @Override
    public String describe() {
        return "writeset history " + lastWriter.size() + "/" + historySize + ", resets " + historyResets;
    }

    private TableKeys keysOf(SourceTable table) {
        TableKeys known = keys.get(table);
        if (known == null && !keys.containsKey(table)) {
            if (lastSchemaChange >= 0) {
                schemaChangeWait.awaitCommitted(lastSchemaChange);
                lastSchemaChange = -1;
            }
            known = catalog.keysOf(table);
            keys.put(table, known);
        }
        return known;
    }

    /**
     * Records this transaction as the last writer of each key value of the row's images, of the foreign key values
     * they reference or are referenced by, and of the whole image where no unique key identifies the row (a table
     * without a primary key whose image has NULL in every unique key, or has none); returns the newest previous
     * writer, or {@link Scheduling#BARRIER} when the images do not show every value the row frees or takes (a key's
     * columns absent from a minimal image, unless an update leaves the key alone) or the target will cascade.
     */
    private long touch(RowChange row, TableKeys tableKeys, long sequence) {
        Object[] before = row.before();
        Object[] after = row.after();
        long dependency = -1;
        long tableHash = hash(hash(SEED, row.table().schema()), row.table().name());
        boolean beforeIdentified = before == null || tableKeys.primaryKey();
        boolean afterIdentified = after == null || tableKeys.primaryKey();
        List<int[]> keys = tableKeys.uniqueKeys();
        for (int keyIndex = 0; keyIndex < keys.size(); keyIndex++) {
            int[] key = keys.get(keyIndex);
            int[] prefixes = tableKeys.prefixes().get(keyIndex);
            long keySeed = mix(tableHash, keyIndex);
            if (before != null) {
                if (!allPresent(before, row.presentBefore(), key)) {
                    if (after == null || anyPresent(after, row.presentAfter(), key)) {
                        return Scheduling.BARRIER; // frees a value the image does not show
                    }
                    continue; // an update that leaves this key alone: it neither frees nor takes a value
                }
                if (hashKey(keySeed, before, null, null, key, prefixes, tableKeys.folds())) {
                    dependency = record(dependency, sequence);
                    beforeIdentified = true;
                }
            }
            if (after != null) {
                if (before == null && !allPresent(after, row.presentAfter(), key)) {
                    return Scheduling.BARRIER; // takes a value (a default) the image does not show
                }
                if (hashKey(keySeed, after, row.presentAfter(), before, key, prefixes, tableKeys.folds())) {
                    dependency = record(dependency, sequence);
                    afterIdentified = true;
                }
            }
        }
        if (prefixKeysOnly) {
            return dependency; // a prefix-only check asks what key values the row frees and takes, not which row it is
        }
        for (ForeignKeyColumns foreignKey : tableKeys.foreignKeys()) {
            dependency = touchForeignKey(row, foreignKey, tableKeys.folds(), dependency, sequence);
            if (dependency == Scheduling.BARRIER) {
                return Scheduling.BARRIER;
            }
        }
        if (!beforeIdentified) {
            dependency = touchImage(tableHash, before, row.presentBefore(), null, null, tableKeys.rowColumns(),
                    dependency, sequence);
        }
        if (!afterIdentified && dependency != Scheduling.BARRIER) {
            dependency = touchImage(tableHash, after, row.presentAfter(), before, row.presentBefore(),
                    tableKeys.rowColumns(), dependency, sequence);
        }
        return dependency;
    }

    /**
     * Hashes the values one side of a foreign key names in each image (a NULL part references nothing). A child's
     * update that leaves them as they were is passed over: InnoDB neither checks nor locks the parent then. A
     * parent's update is not, even when its referenced values stay: a child's insert takes a shared lock on the
     * parent row, so the two are ordered rather than left to wait on each other's locks in the target (MySQL's
     * WRITESET collides them too). A barrier when an image lacks the values, or when the row is a parent's and the
     * target will cascade: a delete under ON DELETE CASCADE or SET NULL, a change of the values under the ON UPDATE
     * ones.
     */
    private long touchForeignKey(RowChange row, ForeignKeyColumns foreignKey, KeyFold[] folds, long dependency,
                                 long sequence) {
        Object[] before = row.before();
        Object[] after = row.after();
        int[] columns = foreignKey.columns();
        boolean update = before != null && after != null;
        if (!foreignKey.parent() && update && !changesAny(row, columns)) {
            return dependency; // the child keeps its parent: neither checked nor locked
        }
        if (foreignKey.parent() && before != null && (after == null ? foreignKey.cascadesOnDelete()
                : foreignKey.cascadesOnUpdate() && changesAny(row, columns))) {
            return Scheduling.BARRIER; // the target changes child rows the binlog does not show
        }
        long seed = hash(SEED ^ 0x5A17L, foreignKey.referenced());
        int[] wholeValues = new int[columns.length];
        Arrays.fill(wholeValues, BINARY_PADDING_STRIPPED);
        if (before != null) {
            if (!allPresent(before, row.presentBefore(), columns)) {
                if (after == null || anyPresent(after, row.presentAfter(), columns)) {
                    return Scheduling.BARRIER; // frees or checks a reference the image does not show
                }
            } else if (hashKey(seed, before, null, null, columns, wholeValues, folds)) {
                dependency = record(dependency, sequence);
            }
        }
        if (after != null) {
            if (before == null && !allPresent(after, row.presentAfter(), columns)) {
                return Scheduling.BARRIER; // takes a reference (a default) the image does not show
            }
            if (hashKey(seed, after, row.presentAfter(), before, columns, wholeValues, folds)) {
                dependency = record(dependency, sequence);
            }
        }
        return dependency;
    }

    /**
     * Hashes an image that no unique key identifies over the columns the applier finds it by (taking the ones an
     * update's after image lacks from its before image); a barrier when a column is in neither.
     */
    private long touchImage(long tableHash, Object[] image, BitSet present, Object[] fallback,
                            BitSet fallbackPresent, int[] columns, long dependency, long sequence) {
        if (columns.length == 0) {
            return Scheduling.BARRIER; // nothing identifies the row
        }
        long hash = mix(tableHash, -1);
        for (int column : columns) {
            Object value;
            if (present(image, present, column)) {
                value = image[column];
            } else if (fallback != null && present(fallback, fallbackPresent, column)) {
                value = fallback[column];
            } else {
                return Scheduling.BARRIER; // a column the image does not show (a minimal image, a default)
            }
            hash = value == null ? mix(hash, 0x6E756C6CL) : hashValue(hash, value, null, 0);
        }
        keyHash = hash;
        return record(dependency, sequence);
    }

    /** Whether an update's after image sets any of the columns to a value other than the before image's. */
    private static boolean changesAny(RowChange row, int[] columns) {
        for (int column : columns) {
            if (present(row.after(), row.presentAfter(), column)
                    && (!present(row.before(), row.presentBefore(), column)
                    || !Objects.deepEquals(row.before()[column], row.after()[column]))) {
                return true;
            }
        }
        return false;
    }

    private long record(long dependency, long sequence) {
        Long previous = lastWriter.put(keyHash, sequence);
        return previous != null && previous != sequence && previous > dependency ? previous : dependency;
    }

    /**
     * Hashes one key of an image into {@link #keyHash}, taking columns the image lacks from {@code fallback} (an
     * update's before image); false when a part is NULL (NULLs never collide in a unique key).
     */
    private boolean hashKey(long seed, Object[] image, BitSet present, Object[] fallback, int[] key, int[] prefixes,
                            KeyFold[] folds) {
        long hash = seed;
        for (int part = 0; part < key.length; part++) {
            int column = key[part];
            Object value = fallback != null && !present(image, present, column) ? fallback[column] : image[column];
            if (value == null) {
                return false;
            }
            hash = hashValue(hash, value, folds[column], prefixes[part]);
        }
        keyHash = hash;
        return true;
    }

    private static boolean present(Object[] image, BitSet present, int column) {
        return column < image.length && (present == null || present.get(column));
    }

    private static boolean allPresent(Object[] image, BitSet present, int[] key) {
        for (int column : key) {
            if (!present(image, present, column)) {
                return false;
            }
        }
        return true;
    }

    private static boolean anyPresent(Object[] image, BitSet present, int[] key) {
        for (int column : key) {
            if (present(image, present, column)) {
                return true;
            }
        }
        return false;
    }

    private static long hashValue(long hash, Object value, KeyFold fold, int prefix) {
        if (value instanceof Long number) {
            return mix(hash, number);
        }
        if (value instanceof byte[] bytes) {
            if (fold != null) {
                return hash(hash, fold.fold(bytes, Math.max(prefix, 0)));
            }
            int length = prefix > 0 ? Math.min(prefix, bytes.length) : bytes.length; // a binary prefix is in bytes
            if (prefix == BINARY_PADDING_STRIPPED) {
                while (length > 0 && bytes[length - 1] == 0) {
                    length--; // the binlog strips BINARY(n)'s padding, not VARBINARY's: one may reference the other
                }
            }
            long h = mix(hash, length);
            for (int i = 0; i < length; i++) {
                h = h * 31 + bytes[i];
            }
            return mix(h, 1);
        }
        if (value instanceof String text) {
            return hash(hash, text);
        }
        if (value instanceof BigDecimal decimal) {
            return hash(hash, decimal.signum() == 0 ? "0" : decimal.stripTrailingZeros().toPlainString());
        }
        if (value instanceof BigInteger big) {
            return hash(hash, big.toString());
        }
        if (value instanceof Double number) {
            return mix(hash, number == 0 ? 0 : Double.doubleToLongBits(number));
        }
        if (value instanceof Float number) {
            return mix(hash, number == 0 ? 0 : Float.floatToIntBits(number));
        }
        return hash(hash, value.toString());
    }

    private static long hash(long hash, String text) {
        long h = mix(hash, text.length());
        for (int i = 0; i < text.length(); i++) {
            h = h * 31 + text.charAt(i);
        }
        return mix(h, 2);
    }

    /** Murmur3's 64-bit finaliser over the running hash and one more value. */
    private static long mix(long hash, long value) {
        long h = (hash ^ value) * SEED;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
