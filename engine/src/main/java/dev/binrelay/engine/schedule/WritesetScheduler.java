package dev.binrelay.engine.schedule;

import dev.binrelay.engine.apply.KeyCatalog;
import dev.binrelay.engine.apply.KeyFold;
import dev.binrelay.engine.apply.TableKeys;
import dev.binrelay.engine.event.Change;
import dev.binrelay.engine.event.RowChange;
import dev.binrelay.engine.event.SourceTable;
import dev.binrelay.engine.event.Transaction;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.BitSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Dependencies from the rows themselves: each row's primary and unique key values (before and after images) hash to
 * a 64-bit key; a transaction depends on the newest earlier transaction that touched any of its keys. This finds
 * parallelism where the source's clock has none (a single-threaded source).
 *
 * <p>Keys over-approximate equality, never under-approximate it: text values are folded by their column's collation
 * ({@link KeyFold}), prefix keys hash the prefix only; a false collision only costs parallelism, a missed one lets two
 * conflicting transactions run side by side.
 *
 * <p>Runs alone (a barrier): a transaction on a table without a primary or unique key, on a table with foreign keys,
 * or on a table the catalog does not know; a row whose image lacks a unique key's columns (a minimal image: the value
 * it frees or takes is unknown); in a table without a primary key, a row image with a NULL in every unique key
 * (nothing identifies it). The history holds at most {@code historySize} keys; when it is full it is cleared and the
 * transaction waits for everything before it.
 */
public final class WritesetScheduler implements Scheduler {
    private static final long SEED = 0x9E3779B97F4A7C15L;

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
     * columns is still a barrier; tables without keys, with foreign keys or unknown to the catalog are not (the
     * source's clock orders them).
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
            } else if (tableKeys == null || tableKeys.uniqueKeys().isEmpty() || tableKeys.foreignKeys()) {
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
     * Records this transaction as the last writer of each key value of the row's images; returns the newest previous
     * writer, or {@link Scheduling#BARRIER} when the images do not show every key value the row frees or takes: a
     * key's columns absent from a minimal image (unless an update leaves the key alone), or, in a table without a
     * primary key, an image whose every unique key holds a NULL (nothing identifies the row).
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
        // A prefix-only check asks what key values the row frees and takes, not which row it is.
        return prefixKeysOnly || beforeIdentified && afterIdentified ? dependency : Scheduling.BARRIER;
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
                return hash(hash, fold.fold(bytes, prefix));
            }
            int length = prefix > 0 ? Math.min(prefix, bytes.length) : bytes.length; // a binary prefix is in bytes
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
