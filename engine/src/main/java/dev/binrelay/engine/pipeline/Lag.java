package dev.binrelay.engine.pipeline;

import dev.binrelay.engine.event.Transaction;

/**
 * Seconds behind the source (README, "Lag"). From the commit timestamp the source wrote into the GTID event of the
 * oldest transaction received and not yet committed on the target: {@code now - timestamp}. With nothing pending,
 * the source's silence decides: it sends a heartbeat only when it has nothing newer, so hearing from it within a
 * heartbeat period (plus slack) proves the replica caught up (0); longer silence means it may be behind without
 * knowing by how much, and the lag is the silence beyond one heartbeat period.
 */
public final class Lag {
    /** Network and scheduling delay allowed on top of the heartbeat period before silence counts as lag. */
    static final long SLACK_MILLIS = 1_000;

    private Lag() {
    }

    /**
     * @param running             whether the replica runs (else the lag is unknown: null)
     * @param oldestPendingMicros commit timestamp of the oldest transaction received and not committed, 0 if none
     * @param connected           whether the reader is connected
     * @param lastHeardMillis     when the reader last received an event or heartbeat (or connected, if later)
     * @param heartbeatMillis     the heartbeat period asked of the source
     * @param nowMicros           the current time, epoch microseconds
     */
    public static Double seconds(boolean running, long oldestPendingMicros, boolean connected, long lastHeardMillis,
                          long heartbeatMillis, long nowMicros) {
        if (!running) {
            return null;
        }
        if (oldestPendingMicros > 0) {
            return Math.max(0, nowMicros - oldestPendingMicros) / 1_000_000.0;
        }
        long silenceMillis = nowMicros / 1000 - lastHeardMillis;
        if (connected && silenceMillis <= heartbeatMillis + SLACK_MILLIS) {
            return 0.0;
        }
        return Math.max(0, silenceMillis - heartbeatMillis) / 1000.0;
    }

    /** The timestamp lag is measured from: immediate commit (the server we read), else original, else receipt. */
    static long commitMicros(Transaction transaction, long receivedMicros) {
        if (transaction.immediateCommitMicros() > 0) {
            return transaction.immediateCommitMicros();
        }
        return transaction.originalCommitMicros() > 0 ? transaction.originalCommitMicros() : receivedMicros;
    }
}
