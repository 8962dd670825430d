package dev.binrelay.engine.schedule;

import dev.binrelay.engine.event.Transaction;

/**
 * The source's logical clock, with the dependencies it misses on prefix unique keys added. MySQL's WRITESET
 * dependency tracking hashes the whole value of each unique key part (its collation's sort key), also where the index
 * covers only a prefix of it (MySQL 8.0.31, {@code add_pke} in {@code sql/rpl_write_set_handler.cc}): a transaction
 * that frees {@code 'alice'} and one that then takes {@code 'alicia'} under {@code UNIQUE (name(3))} look
 * independent. Run side by side, the later can commit first, and the earlier then fails on a duplicate with every
 * transaction before it committed, which no retry cures. So for rows of tables with a prefix unique key, binrelay's
 * own keys (which hash the prefix, {@link WritesetScheduler#prefixKeysOnly}) add a dependency on the last
 * transaction that touched the same prefix; every other row costs a table lookup.
 */
public final class PrefixKeyClock implements Scheduler {
    private final LogicalClockScheduler clock;
    private final WritesetScheduler prefixKeys;

    public PrefixKeyClock(LogicalClockScheduler clock, WritesetScheduler prefixKeys) {
        this.clock = clock;
        this.prefixKeys = prefixKeys;
    }

    @Override
    public long dependency(Transaction transaction, long sequence) {
        long onTheClock = clock.dependency(transaction, sequence);
        long onPrefixes = prefixKeys.dependency(transaction, sequence);
        if (onPrefixes == Scheduling.BARRIER) {
            return Scheduling.BARRIER;
        }
        return Math.max(onTheClock, onPrefixes);
    }

    @Override
    public void reset() {
        clock.reset();
        prefixKeys.reset();
    }

    @Override
    public void schemaChangedAt(long sequence) {
        clock.reset();
        prefixKeys.schemaChangedAt(sequence);
    }

    @Override
    public String describe() {
        return "prefix keys: " + prefixKeys.describe();
    }
}
