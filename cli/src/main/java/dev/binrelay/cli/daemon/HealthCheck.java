package dev.binrelay.cli.daemon;

import dev.binrelay.engine.ApplierState;
import dev.binrelay.engine.ReaderState;
import dev.binrelay.engine.ReplicaStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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

    /**
     * Judges every channel: healthy only when each is; the reason names each channel, the unhealthy ones first, such
     * as {@code channel shard2: applier error: ...; channel shard1: source connected, ...}.
     */
    static HealthCheck ofChannels(Map<String, ReplicaController> channels, int maxLagSeconds) {
        List<String> bad = new ArrayList<>();
        List<String> good = new ArrayList<>();
        channels.forEach((name, controller) -> {
            HealthCheck check = of(controller.replicaStatus(), maxLagSeconds);
            (check.healthy() ? good : bad).add("channel " + name + ": " + check.reason());
        });
        boolean healthy = bad.isEmpty();
        bad.addAll(good);
        return new HealthCheck(healthy, String.join("; ", bad));
    }

    private static String lower(Enum<?> state) {
        return state.name().toLowerCase(Locale.ROOT);
    }
}
