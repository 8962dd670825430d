package dev.binrelay.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ApplierSettingsTest {
    @Test
    void theBuilderRefusesValuesOutsideTheSharedBoundsNamingTheKey() {
        assertThatThrownBy(() -> Replica.builder().writesetHistory(100_000_001))
                .hasMessage("applier.writesetHistory must be between 1 and 100000000, not 100000001");
        assertThatThrownBy(() -> Replica.builder().workers(1025))
                .hasMessage("applier.workers must be between 1 and 1024, not 1025");
        assertThatThrownBy(() -> Replica.builder().retries(-1))
                .hasMessage("applier.retries must be between 0 and 1000000, not -1");
        assertThatThrownBy(() -> Replica.builder().ringSize(1000))
                .hasMessage("applier.ringSize must be a power of two (such as 1024), not 1000");
        assertThatThrownBy(() -> Replica.builder().queueBytes(1023))
                .hasMessageStartingWith("applier.queueBytes must be between 1024 and ");
    }

    @Test
    void theBoundsAcceptTheirEndsAndDefaults() {
        for (ApplierSettings.Bound bound : new ApplierSettings.Bound[] {ApplierSettings.WORKERS,
                ApplierSettings.RING_SIZE, ApplierSettings.BATCH_SIZE, ApplierSettings.WRITESET_HISTORY,
                ApplierSettings.LARGE_TRANSACTION_BYTES, ApplierSettings.QUEUE_BYTES, ApplierSettings.RETRIES,
                ApplierSettings.STOP_TIMEOUT_SECONDS}) {
            assertThat(bound.check(bound.min())).as(bound.key()).isEqualTo(bound.min());
            assertThat(bound.check(bound.max())).as(bound.key()).isEqualTo(bound.max());
            assertThat(bound.check(bound.defaultValue())).as(bound.key()).isEqualTo(bound.defaultValue());
            assertThatThrownBy(() -> bound.check(bound.max() + 1)).hasMessageStartingWith(bound.key() + " must be");
        }
    }
}
