package dev.binrelay.engine;

/** Every transaction after the one before it. */
final class SerialScheduler implements Scheduler {
    @Override
    public long dependency(Transaction transaction, long sequence) {
        return sequence - 1;
    }
}
