package dev.binrelay.cli.daemon;

import dev.binrelay.cli.config.BinrelayConfig;
import dev.binrelay.cli.config.ConfigException;
import dev.binrelay.engine.SchedulerKind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.binrelay.engine.Replica;
import dev.binrelay.engine.ReplicaState;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReplicaFactoryTest {
    private static BinrelayConfig config(int workers) {
        return config(workers, Set.of());
    }

    private static BinrelayConfig config(int workers, Set<Integer> skipErrors) {
        return new BinrelayConfig(
                new BinrelayConfig.Source("127.0.0.1", 3306, "repl", "pw", 1001, "", 5),
                new BinrelayConfig.Target("jdbc:mysql://127.0.0.1:3307/", "binrelay", "pw"),
                BinrelayConfig.Applier.defaults(workers, SchedulerKind.SERIAL, skipErrors),
                new BinrelayConfig.Checkpoint("binrelay", "default"),
                new BinrelayConfig.Progress(5),
                BinrelayConfig.Snapshot.never(), BinrelayConfig.Http.OFF);
    }

    @Test
    void buildsAReplicaWithoutConnecting() {
        Replica replica = ReplicaFactory.create(config(1));

        assertThat(replica.state()).isEqualTo(ReplicaState.NEW);
    }

    @Test
    void aValueTheEngineRefusesIsAConfigErrorNamingTheKey() {
        assertThatThrownBy(() -> ReplicaFactory.create(config(0)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("applier.workers");
    }

    @Test
    void ignoreServerIdsTheEngineRefusesAreAConfigErrorNamingTheKey() {
        BinrelayConfig valid = config(1);
        BinrelayConfig.Source source = valid.source();
        BinrelayConfig invalid = new BinrelayConfig(new BinrelayConfig.Source(source.host(), source.port(),
                source.user(), source.password(), source.serverId(), source.startGtids(), source.heartbeatSeconds(),
                source.tls(), java.util.List.of(0L), source.position()), valid.target(), valid.applier(), valid.checkpoint(),
                valid.progress(), valid.snapshot(), valid.http());

        assertThatThrownBy(() -> ReplicaFactory.create(invalid))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("source.ignoreServerIds");
    }

    @Test
    void skipErrorsReachTheApplierAndCodesItCannotSkipAreConfigErrors() {
        assertThat(ReplicaFactory.targetSettings(config(1, Set.of(1062, 1032))).skipErrors())
                .containsExactlyInAnyOrder(1062, 1032);
        assertThatThrownBy(() -> ReplicaFactory.create(config(1, Set.of(1062, 1213))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("applier.skipErrors: 1213 (deadlock)");
        assertThatThrownBy(() -> ReplicaFactory.create(config(1, Set.of(2013))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("applier.skipErrors: 2013 is a client error");
    }
}
