package dev.binrelay.engine.pipeline;

import dev.binrelay.engine.event.Transaction;
import static org.assertj.core.api.Assertions.assertThat;

import dev.binrelay.checkpoint.Gtid;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The figures the status computes (lag, apply rate), without a database. */
class StatusFiguresTest {
    private static final long HEARTBEAT_MILLIS = 1_000;
    private static final long NOW_MICROS = 1_700_000_000_000_000L;
    private static final long NOW_MILLIS = NOW_MICROS / 1000;
    private static final long SECOND = 1_000_000_000L;

    @Test
    void lagIsMeasuredFromTheOldestPendingTransactionsCommitTimestamp() {
        assertThat(Lag.seconds(true, NOW_MICROS - 2_500_000, true, NOW_MILLIS, HEARTBEAT_MILLIS, NOW_MICROS))
                .isEqualTo(2.5);
        // Even with the reader silent: what is pending is the better measure.
        assertThat(Lag.seconds(true, NOW_MICROS - 2_500_000, false, NOW_MILLIS - 60_000, HEARTBEAT_MILLIS,
                NOW_MICROS)).isEqualTo(2.5);
        // A source clock ahead of ours never makes the lag negative.
        assertThat(Lag.seconds(true, NOW_MICROS + 3_000_000, true, NOW_MILLIS, HEARTBEAT_MILLIS, NOW_MICROS))
                .isZero();
    }

    @Test
    void withNothingPendingASourceHeardWithinAHeartbeatMeansCaughtUp() {
        assertThat(Lag.seconds(true, 0, true, NOW_MILLIS - HEARTBEAT_MILLIS - Lag.SLACK_MILLIS, HEARTBEAT_MILLIS,
                NOW_MICROS)).isZero();
    }

    @Test
    void withNothingPendingLongerSilenceCountsBeyondOneHeartbeat() {
        assertThat(Lag.seconds(true, 0, true, NOW_MILLIS - 7_000, HEARTBEAT_MILLIS, NOW_MICROS)).isEqualTo(6.0);
        assertThat(Lag.seconds(true, 0, false, NOW_MILLIS - 4_000, HEARTBEAT_MILLIS, NOW_MICROS)).isEqualTo(3.0);
    }

    @Test
    void lagIsUnknownWhenNotRunning() {
        assertThat(Lag.seconds(false, NOW_MICROS - 1, true, NOW_MILLIS, HEARTBEAT_MILLIS, NOW_MICROS)).isNull();
    }

    @Test
    void lagUsesTheImmediateCommitTimestampThenTheOriginalThenReceipt() {
        assertThat(Lag.commitMicros(transaction(10, 20), 99)).isEqualTo(20);
        assertThat(Lag.commitMicros(transaction(10, 0), 99)).isEqualTo(10);
        assertThat(Lag.commitMicros(transaction(0, 0), 99)).isEqualTo(99);
    }

    @Test
    void rateAveragesTheLastTenSecondsAndForgetsOlderOnes() {
        ApplyRate rate = new ApplyRate(0);
        rate.add(500, SECOND / 2);
        assertThat(rate.perSecond(SECOND / 2)).as("over the half second since start").isEqualTo(1000.0);
        for (int s = 1; s < 20; s++) {
            rate.add(100, s * SECOND + 1);
        }
        // Seconds 11..19 whole and second 20 not begun: 9 x 100 over 9 s.
        assertThat(rate.perSecond(20 * SECOND)).isEqualTo(100.0);
        assertThat(rate.perSecond(40 * SECOND)).as("idle for 20 s").isZero();
    }

    private static final Gtid GTID = new Gtid(UUID.fromString("3e11fa47-71ca-11e1-9e33-c80aa9429562"), 7);

    private static Transaction transaction(long originalMicros, long immediateMicros) {
        return new Transaction(GTID, 0, 1, originalMicros, immediateMicros, List.of(), 0);
    }
}
