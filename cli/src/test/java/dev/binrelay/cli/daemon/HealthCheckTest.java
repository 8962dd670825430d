package dev.binrelay.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.binrelay.engine.ApplierState;
import dev.binrelay.engine.ApplierStatus;
import dev.binrelay.engine.ApplyError;
import dev.binrelay.engine.ReaderState;
import dev.binrelay.engine.ReplicaState;
import dev.binrelay.engine.ReplicaStatus;
import dev.binrelay.engine.SourceStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HealthCheckTest {
    @Test
    void healthyWhileConnectedRunningAndWithinTheLag() {
        HealthCheck health = HealthCheck.of(status(ReaderState.CONNECTED, ApplierState.RUNNING, 30.0, null), 30);

        assertThat(health).isEqualTo(new HealthCheck(true, "source connected, applier running, lag 30.00 s"));
    }

    @Test
    void lagBeyondTheLimitIsUnhealthy() {
        HealthCheck health = HealthCheck.of(status(ReaderState.CONNECTED, ApplierState.RUNNING, 30.5, null), 30);

        assertThat(health).isEqualTo(new HealthCheck(false, "lag 30.50 s exceeds http.maxLagSeconds 30"));
    }

    @Test
    void aPausedOrFailedApplierIsUnhealthyWithItsError() {
        assertThat(HealthCheck.of(status(ReaderState.CONNECTED, ApplierState.PAUSED, 0.0, null), 30))
                .isEqualTo(new HealthCheck(false, "applier paused"));
        ApplyError error = new ApplyError("uuid:5", "shop.items", 1062, "Duplicate entry", Instant.EPOCH);
        assertThat(HealthCheck.of(status(ReaderState.CONNECTED, ApplierState.ERROR, null, error), 30))
                .isEqualTo(new HealthCheck(false, "applier error: Duplicate entry"));
    }

    @Test
    void aSourceReaderNotConnectedIsUnhealthyWithItsError() {
        HealthCheck health = HealthCheck.of(status(ReaderState.CONNECTING, ApplierState.RUNNING, 0.0, null), 30);

        assertThat(health).isEqualTo(new HealthCheck(false, "source reader connecting: Connection refused"));
    }

    @Test
    void unknownLagIsUnhealthy() {
        assertThat(HealthCheck.of(status(ReaderState.CONNECTED, ApplierState.RUNNING, null, null), 30).healthy())
                .isFalse();
    }

    private static ReplicaStatus status(ReaderState reader, ApplierState applier, Double lag, ApplyError error) {
        SourceStatus source = new SourceStatus(reader, "db:3306", "", "binlog.000001", 4, "", null,
                reader == ReaderState.CONNECTED ? "" : "Connection refused", null);
        ApplierStatus applierStatus = new ApplierStatus(applier, "", "", lag, 0, 0, 0, 0, 0, 1024, 0, error);
        return new ReplicaStatus(ReplicaState.RUNNING, source, applierStatus, null, List.of());
    }
}
