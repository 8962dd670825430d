package dev.binrelay.engine;

/**
 * The one home of the {@code applier.*} settings' defaults and bounds: {@link Replica.Builder} checks against them,
 * the daemon's config loader reads its defaults and ranges from them, and the demo starts from the defaults. Each
 * numeric setting is a {@link Bound}; the others are plain constants.
 */
public final class ApplierSettings {
    /** {@code applier.workers}: worker threads applying at once. */
    public static final Bound WORKERS = new Bound("applier.workers", 1, 1, 1024);
    /** {@code applier.ringSize}: ring slots between reader and workers; also a power of two. */
    public static final Bound RING_SIZE = new Bound("applier.ringSize", 1024, 2, 1 << 30);
    /** {@code applier.batchSize}: consecutive transactions of one worker that may share a target commit. */
    public static final Bound BATCH_SIZE = new Bound("applier.batchSize", 16, 1, 10_000);
    /**
     * {@code applier.writesetHistory}: keys the writeset scheduler remembers before it resets to a barrier. The upper
     * bound keeps the history's memory (about 100 bytes a key) within a few GiB.
     */
    public static final Bound WRITESET_HISTORY = new Bound("applier.writesetHistory", 25_000, 1, 100_000_000);
    /** {@code applier.largeTransactionBytes}: a transaction estimated larger is streamed to its worker in chunks. */
    public static final Bound LARGE_TRANSACTION_BYTES = new Bound("applier.largeTransactionBytes", 4L << 20, 1024,
            1L << 40);
    /** {@code applier.queueBytes}: decoded data (estimated) the ring may hold before the reader waits. */
    public static final Bound QUEUE_BYTES = new Bound("applier.queueBytes", 64L << 20, 1024, 1L << 40);
    /** {@code applier.retries}: like MySQL's {@code replica_transaction_retries}. */
    public static final Bound RETRIES = new Bound("applier.retries", 10, 0, 1_000_000);
    /** {@code applier.stopTimeoutSeconds}: how long a stop waits for the workers' transactions in flight. */
    public static final Bound STOP_TIMEOUT_SECONDS = new Bound("applier.stopTimeoutSeconds", 30, 1, 3600);
    /** {@code applier.scheduler}'s default. */
    public static final SchedulerKind SCHEDULER = SchedulerKind.SERIAL;
    /** {@code applier.preserveCommitOrder}'s default. */
    public static final boolean PRESERVE_COMMIT_ORDER = true;

    private ApplierSettings() {
    }

    /**
     * A numeric setting's config key, default and inclusive range.
     *
     * @param key          the config key, for messages
     * @param defaultValue the value when the setting is not given
     * @param min          the smallest value allowed
     * @param max          the largest value allowed
     */
    public record Bound(String key, long defaultValue, long min, long max) {
        /**
         * Returns {@code value} if it is in range.
         *
         * @throws IllegalArgumentException naming the key and the range otherwise
         */
        public long check(long value) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(key + " must be between " + min + " and " + max + ", not " + value);
            }
            return value;
        }

        /** {@link #check} for an int setting. */
        public int checkInt(long value) {
            return Math.toIntExact(check(value));
        }

        /** The default of an int setting. */
        public int defaultInt() {
            return Math.toIntExact(defaultValue);
        }
    }
}
