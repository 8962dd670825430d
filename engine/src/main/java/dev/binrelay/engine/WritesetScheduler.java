package dev.binrelay.engine;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.Charset;
import java.text.Normalizer;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Dependencies from the rows themselves: each row's primary and unique key values (before and after images) hash to
 * a 64-bit key; a transaction depends on the newest earlier transaction that touched any of its keys. This finds
 * parallelism where the source's clock has none (a single-threaded source).
 *
 * <p>Runs alone (a barrier): a transaction on a table without a primary or unique key, on a table with foreign keys,
 * or on a table the catalog does not know. The history holds at most {@code historySize} keys; when it is full it is
 * cleared and the transaction waits for everything before it. Key values of case- and accent-insensitive text
 * columns are folded before hashing, so that 'a' and 'A' collide as they do in the target's index; a false collision
 * only costs parallelism.
 */
final class WritesetScheduler implements Scheduler {
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final long SEED = 0x9E3779B97F4A7C15L;

    private final KeyCatalog catalog;
    private final int historySize;
    private final SchemaChangeWait schemaChangeWait;
    private final Map<Long, Long> lastWriter = new HashMap<>();
    private final Map<SourceTable, TableKeys> keys = new IdentityHashMap<>();
    private long historyResets;
    private long lastSchemaChange = -1;

    /** Blocks until a DDL has committed, so the catalog shows the schema the following rows were written with. */
    interface SchemaChangeWait {
        void awaitCommitted(long sequence);
    }

    WritesetScheduler(KeyCatalog catalog, int historySize, SchemaChangeWait schemaChangeWait) {
        this.catalog = catalog;
        this.historySize = historySize;
        this.schemaChangeWait = schemaChangeWait;
    }

    @Override
    public long dependency(Transaction transaction, long sequence) {
        long dependency = -1;
        for (Change change : transaction.changes()) {
            RowChange row = (RowChange) change; // statements are barriers before we get here
            TableKeys tableKeys = keysOf(row.table());
            if (tableKeys == null || tableKeys.uniqueKeys().isEmpty() || tableKeys.foreignKeys()) {
                return Scheduling.BARRIER;
            }
            if (row.before() != null) {
                dependency = Math.max(dependency, touch(row, row.before(), tableKeys, sequence));
            }
            if (row.after() != null) {
                dependency = Math.max(dependency, touch(row, row.after(), tableKeys, sequence));
            }
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
    void schemaChangedAt(long sequence) {
        lastSchemaChange = sequence;
        reset();
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

    /** Records this transaction as the last writer of each key of the image; returns the newest previous writer. */
    private long touch(RowChange row, Object[] image, TableKeys tableKeys, long sequence) {
        long dependency = -1;
        long tableHash = hash(hash(SEED, row.table().schema()), row.table().name());
        int keyIndex = 0;
        for (int[] key : tableKeys.uniqueKeys()) {
            long hash = mix(tableHash, keyIndex++);
            boolean complete = true;
            for (int column : key) {
                Object value = column < image.length ? image[column] : null;
                if (value == null) {
                    complete = false; // NULLs never collide in a unique key; an absent column says nothing
                    break;
                }
                hash = hashValue(hash, value, tableKeys.textCharsets()[column]);
            }
            if (!complete) {
                continue;
            }
            Long previous = lastWriter.put(hash, sequence);
            if (previous != null && previous != sequence && previous > dependency) {
                dependency = previous;
            }
        }
        return dependency;
    }

    private static long hashValue(long hash, Object value, Charset foldCharset) {
        if (value instanceof Long number) {
            return mix(hash, number);
        }
        if (value instanceof byte[] bytes) {
            if (foldCharset != null) {
                return hash(hash, fold(new String(bytes, foldCharset)));
            }
            long h = mix(hash, bytes.length);
            for (byte b : bytes) {
                h = h * 31 + b;
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

    /** Approximates a case- and accent-insensitive PAD SPACE collation: strip trailing spaces, marks and case. */
    private static String fold(String text) {
        int end = text.length();
        while (end > 0 && text.charAt(end - 1) == ' ') {
            end--;
        }
        String decomposed = Normalizer.normalize(text.substring(0, end), Normalizer.Form.NFD);
        return MARKS.matcher(decomposed).replaceAll("").toLowerCase(Locale.ROOT);
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
