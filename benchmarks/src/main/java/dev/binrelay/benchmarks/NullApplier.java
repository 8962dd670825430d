package dev.binrelay.benchmarks;

import dev.binrelay.checkpoint.Gtid;
import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.engine.apply.Applier;
import dev.binrelay.engine.apply.KeyCatalog;
import dev.binrelay.engine.SourceInfo;
import dev.binrelay.engine.event.Transaction;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An applier that applies nothing, for decode-only runs: what remains is reading, decoding, assembling and
 * scheduling. Its checkpoint is kept in memory, committed per batch as a real applier commits it, so that the engine
 * runs exactly its normal path. Thread-safe: each worker has its own pending list; the checkpoint is shared.
 */
final class NullApplier implements Applier {
    private final AtomicReference<GtidSet> checkpoint;
    private final KeyCatalog keyCatalog;
    private final AtomicLong firstApplyNanos = new AtomicLong();

    /**
     * @param alreadyApplied the checkpoint at start
     * @param keyCatalog     table keys for the writeset scheduler, or null
     */
    NullApplier(GtidSet alreadyApplied, KeyCatalog keyCatalog) {
        this.checkpoint = new AtomicReference<>(alreadyApplied);
        this.keyCatalog = keyCatalog;
    }

    @Override
    public GtidSet open(SourceInfo source, int workers) {
        return checkpoint.get();
    }

    @Override
    public void markApplied(GtidSet gtids) {
        checkpoint.updateAndGet(set -> set.union(gtids));
    }

    @Override
    public Worker worker(int index) {
        return new NullWorker();
    }

    @Override
    public KeyCatalog keyCatalog() {
        return keyCatalog;
    }

    @Override
    public void close() {
        // nothing held
    }

    /**
     * When the first transaction reached a worker ({@link System#nanoTime()}), 0 before: decode rates start there,
     * so that connecting to the source, which a small backlog would make dominant, is not counted.
     */
    long firstApplyNanos() {
        return firstApplyNanos.get();
    }

    private final class NullWorker implements Worker {
        private final List<Gtid> pending = new ArrayList<>();

        @Override
        public void apply(Transaction transaction) {
            if (firstApplyNanos.get() == 0) {
                firstApplyNanos.compareAndSet(0, System.nanoTime());
            }
            for (var ignored : transaction.changesInOrder()) {
                // a streamed transaction's rows must still be drained from the reader
            }
            pending.add(transaction.gtid());
        }

        @Override
        public void commit() {
            if (pending.isEmpty()) {
                return;
            }
            checkpoint.updateAndGet(set -> {
                GtidSet updated = set;
                for (Gtid gtid : pending) {
                    updated = updated.add(gtid);
                }
                return updated;
            });
            pending.clear();
        }

        @Override
        public boolean isCommitted(Gtid gtid) {
            return checkpoint.get().contains(gtid);
        }

        @Override
        public void rollback() {
            pending.clear();
        }

        @Override
        public void close() {
            pending.clear();
        }
    }
}
