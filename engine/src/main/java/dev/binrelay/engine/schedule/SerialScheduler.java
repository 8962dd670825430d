package dev.binrelay.engine.schedule;

import dev.binrelay.engine.event.Transaction;

/** Every transaction after the one before it. */
public final class SerialScheduler implements Scheduler {
    @Override
    public long dependency(Transaction transaction, long sequence) {
        return sequence - 1;
    }
}
