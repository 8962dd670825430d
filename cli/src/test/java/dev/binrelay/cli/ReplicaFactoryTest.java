package dev.binrelay.cli;

import dev.binrelay.engine.SchedulerKind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.binrelay.engine.Replica;
import dev.binrelay.engine.ReplicaState;
import org.junit.jupiter.api.Test;

class ReplicaFactoryTest {
    private static BinrelayConfig config(int workers) {
        return new BinrelayConfig(
                new BinrelayConfig.Source("127.0.0.1", 3306, "repl", "pw", 1001, "", 5),
                new BinrelayConfig.Target("jdbc:mysql://127.0.0.1:3307/", "binrelay", "pw"),
                new BinrelayConfig.Applier(workers, SchedulerKind.SERIAL, 1024, true, ConfigLoader.DEFAULT_BATCH_SIZE, 25_000,
                        4L << 20, 64L << 20, 10, 30),
                new BinrelayConfig.Checkpoint("binrelay", "default"),
                new BinrelayConfig.Progress(5));
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
}
