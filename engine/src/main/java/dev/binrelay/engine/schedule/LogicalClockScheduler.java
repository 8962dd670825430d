package dev.binrelay.engine.schedule;

import dev.binrelay.engine.event.Transaction;

/**
 * The source's own dependency clock: a transaction may start once every transaction with
 * {@code sequence_number <= last_committed} has committed. The counters restart in each binary log file: the first
 * transaction after a ROTATE or FORMAT_DESCRIPTION event ({@link Transaction#startsBinlogFile()}) waits for
 * everything before it and starts a new window. A sequence number that does not grow does the same (a file boundary
 * the reader did not see). Growth alone proves nothing: after a crash with relaxed commit order the new file's first
 * numbers can be larger than the old file's last ones.
 *
 * <p>Keeps a window of (source sequence number, ring sequence) pairs, both increasing, to translate the source's
 * numbers into ring sequences; a dependency older than the window is treated as "everything before the window".
 */
public final class LogicalClockScheduler implements Scheduler {
    private final long[] sourceNumbers;
    private final long[] ringSequences;
    private final int mask;
    private long count;

    public LogicalClockScheduler(int window) {
        int size = Integer.highestOneBit(Math.max(2, window - 1)) << 1;
        this.sourceNumbers = new long[size];
        this.ringSequences = new long[size];
        this.mask = size - 1;
    }

    @Override
    public long dependency(Transaction transaction, long sequence) {
        long number = transaction.sequenceNumber();
        long lastCommitted = transaction.lastCommitted();
        if (number <= 0 || lastCommitted < 0 || lastCommitted >= number) {
            reset();
            return sequence - 1; // no usable clock (an old source): serial
        }
        if (transaction.startsBinlogFile() || count > 0 && number <= sourceNumbers[(int) ((count - 1) & mask)]) {
            reset();
            record(number, sequence);
            return sequence - 1; // a new binary log file: nothing known about what came before
        }
        long dependency = firstAbove(lastCommitted, sequence) - 1;
        record(number, sequence);
        return dependency;
    }

    @Override
    public void reset() {
        count = 0;
    }

    private void record(long number, long sequence) {
        sourceNumbers[(int) (count & mask)] = number;
        ringSequences[(int) (count & mask)] = sequence;
        count++;
    }

    /** The ring sequence of the first remembered transaction numbered above {@code lastCommitted}, else this one's. */
    private long firstAbove(long lastCommitted, long sequence) {
        long oldest = Math.max(0, count - sourceNumbers.length);
        long low = oldest;
        long high = count; // exclusive
        while (low < high) {
            long middle = (low + high) >>> 1;
            if (sourceNumbers[(int) (middle & mask)] <= lastCommitted) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low == count ? sequence : ringSequences[(int) (low & mask)];
    }
}
