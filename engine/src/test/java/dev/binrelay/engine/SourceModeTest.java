package dev.binrelay.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.binrelay.checkpoint.BinlogPosition;
import org.junit.jupiter.api.Test;

class SourceModeTest {
    private static final BinlogPosition START = new BinlogPosition("binlog.000003", 157);

    @Test
    void autoFollowsTheSourcesGtidMode() {
        assertThat(SourceMode.AUTO.byPosition("OFF", null, "db:3306")).isTrue();
        assertThat(SourceMode.AUTO.byPosition("OFF_PERMISSIVE", START, "db:3306")).isTrue();
        assertThat(SourceMode.AUTO.byPosition("ON", null, "db:3306")).isFalse();
    }

    @Test
    void autoWithAStartFileOnAGtidSourceAsksForPositionMode() {
        assertThatThrownBy(() -> SourceMode.AUTO.byPosition("ON", START, "db:3306"))
                .isInstanceOf(ReplicaException.class)
                .hasMessageContaining("gtid_mode=ON")
                .hasMessageContaining("set source.mode: position");
    }

    @Test
    void gtidModeNeedsGtidsOnTheSource() {
        assertThatThrownBy(() -> SourceMode.GTID.byPosition("OFF", null, "db:3306"))
                .isInstanceOf(ReplicaException.class)
                .hasMessageContaining("source db:3306 has gtid_mode=OFF");
    }

    @Test
    void positionModeWorksWhateverTheGtidMode() {
        assertThat(SourceMode.POSITION.byPosition("ON", START, "db:3306")).isTrue();
        assertThat(SourceMode.POSITION.byPosition("OFF", null, "db:3306")).isTrue();
    }
}
