package dev.binrelay.engine.schedule;

import dev.binrelay.engine.event.Change;
import dev.binrelay.engine.event.RowChange;
import dev.binrelay.engine.event.Transaction;
import java.util.HashMap;
import java.util.Map;

/**
 * Transactions on different schemas run in parallel; a transaction waits for the last earlier one on each schema it
 * touches. Memory: one entry per schema seen.
 */
public final class DatabaseScheduler implements Scheduler {
    private final Map<String, Long> lastBySchema = new HashMap<>();

    @Override
    public long dependency(Transaction transaction, long sequence) {
        long dependency = -1;
        String previousSchema = null;
        for (Change change : transaction.changes()) {
            String schema = ((RowChange) change).table().schema(); // statements are barriers before we get here
            if (schema.equals(previousSchema)) {
                continue;
            }
            previousSchema = schema;
            Long last = lastBySchema.put(schema, sequence);
            if (last != null && last > dependency && last != sequence) {
                dependency = last;
            }
        }
        return dependency;
    }

    @Override
    public void reset() {
        lastBySchema.clear();
    }
}
