package dev.binrelay.cli;

import dev.binrelay.engine.ApplierState;
import dev.binrelay.engine.ReaderState;
import dev.binrelay.engine.ReplicaStatus;
import java.util.Locale;

/**
 * The verdict of {@code GET /health}: healthy only while the source reader is connected, the applier runs and the lag
 * is at most {@code http.maxLagSeconds}, so that a load balancer sends reads only to a replica that keeps up.
 *
 * @param healthy whether all three hold
 * @param reason  one line: what is wrong, or what was checked
 */
record HealthCheck(boolean healthy, String reason) {

    /** Judges {@code status} against {@code maxLagSeconds}. */
    static HealthCheck of(ReplicaStatus status, int maxLagSeconds) {
        ReaderState source = status.source().state();
        ApplierState applier = status.applier().state();
        Double lag = status.applier().lagSeconds();
        if (applier != ApplierState.RUNNING) {
            String error = status.applier().lastError() == null ? "" : ": " + status.applier().lastError().message();
            return new HealthCheck(false, "applier " + lower(applier) + error);
        }
        if (source != ReaderState.CONNECTED) {
            String error = status.source().lastError().isEmpty() ? "" : ": " + status.source().lastError();
            return new HealthCheck(false, "source reader " + lower(source) + error);
        }
        if (lag == null) {
            return new HealthCheck(false, "lag unknown");
        }
        String lagText = String.format(Locale.ROOT, "lag %.2f s", lag);
        if (lag > maxLagSeconds) {
            return new HealthCheck(false, lagText + " exceeds http.maxLagSeconds " + maxLagSeconds);
        }
        return new HealthCheck(true, "source connected, applier running, " + lagText);
    }

    private static String lower(Enum<?> state) {
        return state.name().toLowerCase(Locale.ROOT);
    }
}
