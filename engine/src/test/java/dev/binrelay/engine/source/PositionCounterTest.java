package dev.binrelay.engine.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.binrelay.checkpoint.BinlogPosition;
import dev.binrelay.checkpoint.PositionAnchor;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PositionCounterTest {
    private static final UUID SOURCE = UUID.fromString("3e11fa47-71ca-11e1-9e33-c80aa9429562");

    @Test
    void numbersFromTheAnchorAndFollowsRotations() {
        PositionCounter counter = new PositionCounter(SOURCE,
                new PositionAnchor(2, 41, new BinlogPosition("binlog.000001", 900)));

        assertThat(counter.begin().transactionId()).isEqualTo(42);
        assertThat(counter.complete(1200)).isEqualTo(new BinlogPosition("binlog.000001", 1200));
        counter.rotate("binlog.000002");
        assertThat(counter.begin().transactionId()).isEqualTo(43);
        assertThat(counter.complete(500)).isEqualTo(new BinlogPosition("binlog.000002", 500));
        assertThat(counter.resumeFrom()).isEqualTo(new BinlogPosition("binlog.000002", 500));
        assertThat(counter.lastCompleteSeq()).isEqualTo(43);
    }

    @Test
    void aTransactionCutByALostConnectionGetsTheSameNumberWhenReadAgain() {
        PositionCounter counter = new PositionCounter(SOURCE, PositionAnchor.origin(new BinlogPosition("b.1", 4)));
        counter.begin();
        counter.complete(300);
        counter.rotate("b.2");
        assertThat(counter.begin().transactionId()).isEqualTo(2);

        counter.discardPartial();

        assertThat(counter.resumeFrom()).isEqualTo(new BinlogPosition("b.1", 300));
        assertThat(counter.begin().transactionId()).isEqualTo(2);
        assertThat(counter.complete(700)).isEqualTo(new BinlogPosition("b.1", 700));
    }
}
