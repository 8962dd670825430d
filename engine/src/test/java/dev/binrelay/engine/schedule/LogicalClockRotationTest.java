package dev.binrelay.engine.schedule;

import dev.binrelay.engine.SchedulerKind;
import dev.binrelay.engine.assemble.TransactionAssembler;
import dev.binrelay.engine.decode.SourceQuery;
import dev.binrelay.engine.event.Transaction;
import dev.binrelay.engine.pipeline.TransactionSlot;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventData;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.FormatDescriptionEventData;
import com.github.shyiko.mysql.binlog.event.GtidEventData;
import com.github.shyiko.mysql.binlog.event.MySqlGtid;
import com.github.shyiko.mysql.binlog.event.RotateEventData;
import com.github.shyiko.mysql.binlog.event.XidEventData;
import dev.binrelay.checkpoint.GtidSet;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The logical clock's numbers restart in each binary log file. A new file is known from its ROTATE and
 * FORMAT_DESCRIPTION events, not guessed from a sequence number that stops growing: after a crash with relaxed commit
 * order left gaps, the new file's first number can be larger than the old file's last one.
 */
class LogicalClockRotationTest {
    private static final UUID SOURCE = UUID.fromString("3e11fa47-71ca-11e1-9e33-c80aa9429562");

    private final List<Transaction> delivered = new ArrayList<>();
    private final TransactionAssembler assembler = new TransactionAssembler(GtidSet.empty(), delivered::add,
            Long.MAX_VALUE);
    private final Scheduling scheduling = new Scheduling(SchedulerKind.LOGICAL_CLOCK, new LogicalClockScheduler(1024),
            4, 1);
    private long gno;

    @Test
    void theFirstTransactionOfANewFileWaitsForEverythingBeforeItEvenWithALargerSequenceNumber() {
        transaction(2, 3);
        transaction(49, 50);
        send(EventType.ROTATE, rotate("binlog.000002"));
        send(EventType.FORMAT_DESCRIPTION, new FormatDescriptionEventData());
        transaction(2, 60);
        transaction(60, 61);

        assertThat(waits(0)).isEqualTo(-1);
        assertThat(waits(1)).as("old file: 50 may depend on 49, which is before the window").isEqualTo(0);
        assertThat(waits(2)).as("new file's first transaction (60, last_committed 2) waits for all before it")
                .isEqualTo(1);
        assertThat(waits(3)).as("the new file's window starts afresh: 61 depends on 60").isEqualTo(2);
    }

    @Test
    void aReconnectionsFormatDescriptionAloneAlsoStartsAFreshWindow() {
        transaction(0, 5);
        transaction(0, 6);
        send(EventType.FORMAT_DESCRIPTION, new FormatDescriptionEventData());
        transaction(0, 7);

        assertThat(waits(0)).isEqualTo(-1);
        assertThat(waits(1)).isEqualTo(-1);
        assertThat(waits(2)).as("nothing is known about what came before a new description").isEqualTo(1);
    }

    private long waits(int index) {
        TransactionSlot slot = new TransactionSlot();
        scheduling.place(delivered.get(index), index, slot);
        return slot.waitFor;
    }

    private void transaction(long lastCommitted, long sequenceNumber) {
        send(EventType.GTID, new GtidEventData(new MySqlGtid(SOURCE, ++gno), (byte) 0, lastCommitted, sequenceNumber,
                0, 0, 0, 0, 0));
        send(EventType.QUERY, new SourceQuery(1, 0, 0, "shop", "BEGIN".getBytes(StandardCharsets.UTF_8), -1, null));
        send(EventType.XID, new XidEventData());
    }

    private static RotateEventData rotate(String file) {
        RotateEventData rotate = new RotateEventData();
        rotate.setBinlogFilename(file);
        rotate.setBinlogPosition(4);
        return rotate;
    }

    private void send(EventType type, EventData data) {
        EventHeaderV4 header = new EventHeaderV4();
        header.setEventType(type);
        assembler.accept(new Event(header, data));
    }
}
