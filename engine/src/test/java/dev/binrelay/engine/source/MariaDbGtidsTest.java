package dev.binrelay.engine.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.binrelay.checkpoint.GtidSet;
import org.junit.jupiter.api.Test;

class MariaDbGtidsTest {

    @Test
    void aMariaDbGtidBecomesARecognisableSyntheticUuid() {
        assertThat(MariaDbGtids.gtid(0, 7, 42).toString()).isEqualTo("6d617269-0000-0000-0000-000000000007:42");
        assertThat(MariaDbGtids.gtid(4294967295L, 1, 1).toString())
                .isEqualTo("6d617269-ffff-ffff-0000-000000000001:1");
        assertThat(MariaDbGtids.isMariaDb(MariaDbGtids.uuid(3, 9))).isTrue();
        assertThat(MariaDbGtids.isMariaDb(java.util.UUID.fromString("3e11fa47-71ca-11e1-9e33-c80aa9429562")))
                .isFalse();
    }

    @Test
    void aPositionStandsForEveryNumberUpToItInEachDomain() {
        assertThat(MariaDbGtids.fromPosition("0-7-5,1-8-2")).isEqualTo(GtidSet.parse(
                "6d617269-0000-0000-0000-000000000007:1-5,6d617269-0000-0001-0000-000000000008:1-2"));
        assertThat(MariaDbGtids.fromPosition("")).isEqualTo(GtidSet.empty());
        assertThatThrownBy(() -> MariaDbGtids.fromPosition("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5"))
                .hasMessageContaining("domain-server-sequence");
    }

    @Test
    void resumesAfterTheContiguousRunOfEachDomainWhateverServerLoggedIt() {
        // domain 0: 1-5 from server 7, 6-9 from server 8 after a failover, 12 applied ahead by a parallel worker
        GtidSet applied = GtidSet.parse("6d617269-0000-0000-0000-000000000007:1-5,"
                + "6d617269-0000-0000-0000-000000000008:6-9:12,6d617269-0000-0002-0000-000000000007:1-3");
        assertThat(MariaDbGtids.dumpPosition(applied)).isEqualTo("0-8-9,2-7-3");
    }

    @Test
    void aMySqlSetIsPassedOnAsItIs() {
        GtidSet mysql = GtidSet.parse("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5");
        assertThat(MariaDbGtids.dumpPosition(mysql)).isEqualTo(mysql.toString());
        assertThat(MariaDbGtids.dumpPosition(GtidSet.empty())).isEmpty();
    }
}
