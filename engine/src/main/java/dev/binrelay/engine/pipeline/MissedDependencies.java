package dev.binrelay.engine.pipeline;

import dev.binrelay.engine.DependencyMisses;
import dev.binrelay.engine.apply.ApplyException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the dependencies the scheduler missed, per table, for the status: written by every worker, read from any
 * thread. One entry per table that ever had a miss (bounded by the tables replicated). The first miss on a table is
 * logged at INFO, later ones at DEBUG: an operator learns which tables the scheduler misses for without a line per
 * transaction.
 */
final class MissedDependencies {
    private static final Logger LOG = LoggerFactory.getLogger(MissedDependencies.class);
    /** A change that names no table (a statement): its own bucket, so that the counts still add up. */
    private static final String NO_TABLE = "(no table)";

    private final Map<String, LongAdder> byTable = new ConcurrentHashMap<>();

    /** A worker rolled back {@code miss}'s transaction to apply it again after its predecessors. */
    void record(int worker, ApplyException miss) {
        String table = miss.table().isEmpty() ? NO_TABLE : miss.table();
        LongAdder fresh = new LongAdder(); // a miss is rare: no need to spare this
        LongAdder existing = byTable.putIfAbsent(table, fresh);
        boolean first = existing == null;
        (first ? fresh : existing).increment();
        String line = "worker {}: GTID {}: dependency missed on {} (target error {}): it ran before a transaction it "
                + "depends on committed; applied again after every earlier one";
        if (first) {
            LOG.info(line + " (further misses on this table are logged at DEBUG)", worker, miss.gtid(), table,
                    miss.targetErrorCode());
        } else {
            LOG.debug(line, worker, miss.gtid(), table, miss.targetErrorCode());
        }
    }

    DependencyMisses status() {
        Map<String, Long> counts = new TreeMap<>();
        byTable.forEach((table, count) -> counts.put(table, count.sum()));
        return counts.isEmpty() ? DependencyMisses.NONE
                : new DependencyMisses(counts.values().stream().mapToLong(Long::longValue).sum(), counts);
    }
}
