package dev.binrelay.snapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Rows copied per table, for the progress log line and {@link Snapshot#progress()}.
 *
 * <p>Thread-safe: each table is counted by the one thread copying it and read by any.
 */
final class ProgressBoard {
    private final List<Entry> entries = new ArrayList<>();

    /** Adds a table that has {@code copied} rows already (from an interrupted run). */
    synchronized Entry add(TableDefinition table, long copied, boolean done) {
        Entry entry = new Entry(table.schema(), table.name(), table.rowsEstimated(), copied, done);
        entries.add(entry);
        return entry;
    }

    /** Every table's progress now. */
    synchronized List<TableProgress> progress() {
        long now = System.nanoTime();
        return entries.stream().map(entry -> entry.progress(now)).toList();
    }

    /** One line for the log: totals, rate and ETA, then the tables being copied. */
    String line() {
        List<TableProgress> tables = progress();
        long copied = 0;
        long estimated = 0;
        double rate = 0;
        int done = 0;
        List<String> active = new ArrayList<>();
        for (TableProgress table : tables) {
            copied += table.rowsCopied();
            estimated += Math.max(table.rowsEstimated(), table.rowsCopied());
            if (table.done()) {
                done++;
            } else {
                rate += table.rowsPerSecond();
                if (table.rowsPerSecond() > 0) {
                    active.add(table.schema() + "." + table.table() + " " + percent(table.rowsCopied(),
                            table.rowsEstimated()));
                }
            }
        }
        long left = Math.max(0, estimated - copied);
        return String.format(Locale.ROOT, "snapshot: %d/%d tables done, %d of ~%d rows (%s), %.0f rows/s, ETA %s%s",
                done, tables.size(), copied, estimated, percent(copied, estimated), rate,
                rate > 0 ? Math.round(left / rate) + " s" : "unknown",
                active.isEmpty() ? "" : "; copying " + String.join(", ", active));
    }

    private static String percent(long part, long whole) {
        return whole <= 0 ? "?%" : Math.min(100, part * 100 / whole) + "%";
    }

    /** One table's counters. */
    static final class Entry {
        private final String schema;
        private final String table;
        private final long estimated;
        private final AtomicLong copied;
        private final AtomicLong copiedThisRun = new AtomicLong();
        private volatile long startNanos;
        private volatile boolean done;

        private Entry(String schema, String table, long estimated, long copied, boolean done) {
            this.schema = schema;
            this.table = table;
            this.estimated = estimated;
            this.copied = new AtomicLong(copied);
            this.done = done;
        }

        /** Its copy starts now (this run). */
        void started() {
            startNanos = System.nanoTime();
        }

        /** A chunk of {@code rows} rows is committed; {@code last} if it finished the table. */
        void chunk(long rows, boolean last) {
            copied.addAndGet(rows);
            copiedThisRun.addAndGet(rows);
            done = last;
        }

        long copiedThisRun() {
            return copiedThisRun.get();
        }

        private TableProgress progress(long now) {
            long rows = copied.get();
            long start = startNanos;
            double seconds = start == 0 ? 0 : (now - start) / 1e9;
            double rate = seconds > 0 ? copiedThisRun.get() / seconds : 0;
            long eta = done ? 0 : rate > 0 ? Math.round(Math.max(0, estimated - rows) / rate) : -1;
            return new TableProgress(schema, table, rows, estimated, rate, eta, done);
        }
    }
}
