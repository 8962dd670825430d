package dev.binrelay.benchmarks;

import dev.binrelay.applier.JdbcApplier;
import dev.binrelay.applier.TargetSettings;
import dev.binrelay.engine.apply.Applier;
import dev.binrelay.engine.Replica;
import dev.binrelay.engine.SchedulerKind;
import dev.binrelay.engine.SourceSettings;
import dev.binrelay.engine.TlsSettings;
import dev.binrelay.testkit.EmbeddedMySql;
import java.time.Duration;

/** binrelay replicas as the benchmarks build them: engine defaults apart from scheduler, workers and batch size. */
final class BinrelayReplicas {
    /** binrelay's server_id on the source; testkit's servers use ids from 100 up. */
    private static final long SERVER_ID = 5151;

    private BinrelayReplicas() {
    }

    /** A replica from {@code source} through {@code applier}, starting after {@code startGtids} if its checkpoint is empty. */
    static Replica build(EmbeddedMySql source, String startGtids, Applier applier, SchedulerKind scheduler,
                         int workers, int batchSize) {
        // Without TLS, as the native replica's CHANGE REPLICATION SOURCE (SOURCE_SSL=0) reads: both alike.
        SourceSettings settings = SourceSettings.builder(source.host(), source.port()).user(source.user())
                .password(source.password()).serverId(SERVER_ID).startGtids(startGtids)
                .heartbeat(Duration.ofSeconds(5)).connectTimeout(Duration.ofSeconds(10)).tls(TlsSettings.DISABLED)
                .build();
        return Replica.builder().source(settings).applier(applier).scheduler(scheduler).workers(workers)
                .batchSize(batchSize).build();
    }

    /** The production applier on {@code target}. */
    static JdbcApplier jdbcApplier(EmbeddedMySql target) {
        return new JdbcApplier(new TargetSettings(target.jdbcUrl(), target.user(), target.password(), "binrelay",
                "default"));
    }
}
