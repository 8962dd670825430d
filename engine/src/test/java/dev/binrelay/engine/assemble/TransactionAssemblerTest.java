package dev.binrelay.engine.assemble;

import dev.binrelay.engine.ReplicaException;
import dev.binrelay.engine.decode.EventDecoding;
import dev.binrelay.engine.decode.SourceQuery;
import dev.binrelay.engine.event.Change;
import dev.binrelay.engine.event.RowChange;
import dev.binrelay.engine.event.RowContext;
import dev.binrelay.engine.event.StatementChange;
import dev.binrelay.engine.event.StatementContext;
import dev.binrelay.engine.event.Transaction;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventData;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.GtidEventData;
import com.github.shyiko.mysql.binlog.event.MySqlGtid;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import com.github.shyiko.mysql.binlog.event.XidEventData;
import dev.binrelay.checkpoint.GtidSet;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** QUERY and rows events in, transactions (or a refusal) out, without a server. */
class TransactionAssemblerTest {
    private static final UUID SOURCE = UUID.fromString("3e11fa47-71ca-11e1-9e33-c80aa9429562");
    private static final int LATIN1 = 8;
    private static final int UTF8MB4 = 255;
    private static final long SECONDS = 981_173_106L;

    private final List<Transaction> delivered = new ArrayList<>();
    private final TransactionAssembler assembler = new TransactionAssembler(GtidSet.empty(), delivered::add,
            Long.MAX_VALUE);

    @Test
    void aStatementCarriesItsDecodedTextAndSessionContextWithTheStartTimeFromHeaderAndMicroseconds() {
        gtid(1);
        byte[] latin1 = "ALTER TABLE t COMMENT 'caf\u00e9'".getBytes(StandardCharsets.ISO_8859_1);
        send(EventType.QUERY, new SourceQuery(1, 0, 0, "shop", latin1, 250_000, settings(LATIN1, 0)));

        assertThat(delivered).hasSize(1);
        StatementChange change = (StatementChange) delivered.get(0).changes().get(0);
        assertThat(change.sql()).isEqualTo("ALTER TABLE t COMMENT 'caf\u00e9'");
        assertThat(change.database()).isEqualTo("shop");
        assertThat(change.context().startMicros()).isEqualTo(SECONDS * 1_000_000 + 250_000);
        assertThat(change.context().clientCollation()).isEqualTo(LATIN1);
    }

    @Test
    void rowsCarryTheirEventsFlagsAndTimeAndSavepointsLeaveNothingToApply() {
        gtid(2);
        send(EventType.QUERY, query("BEGIN", 0));
        send(EventType.TABLE_MAP, tableMap());
        send(EventType.EXT_WRITE_ROWS, new EventDecoding.FlaggedRows(insert(1), 1 | 1 << 1));
        send(EventType.QUERY, query("SAVEPOINT `s1`", 0));
        send(EventType.EXT_WRITE_ROWS, new EventDecoding.FlaggedRows(insert(2), 1 << 2));
        send(EventType.XID, new XidEventData());

        assertThat(delivered).hasSize(1);
        List<Change> changes = delivered.get(0).changes();
        assertThat(changes).hasSize(2).allMatch(change -> change instanceof RowChange);
        assertThat(((RowChange) changes.get(0)).context()).isEqualTo(new RowContext(false, true, SECONDS));
        assertThat(((RowChange) changes.get(1)).context()).isEqualTo(new RowContext(true, false, SECONDS));
        assertThat(delivered.get(0).hasStatement()).isFalse();
    }

    @Test
    void aStatementFormatTransactionIsRefusedAtItsStatementNamingGtidStatementAndSetting() {
        gtid(3);
        send(EventType.QUERY, query("BEGIN", 0));
        send(EventType.INTVAR, null);
        assertThatThrownBy(() -> send(EventType.QUERY, query("INSERT INTO t (note) VALUES ('x')", 0)))
                .isInstanceOf(ReplicaException.class)
                .hasMessageContaining("GTID " + SOURCE + ":3")
                .hasMessageContaining("`INSERT INTO t (note) VALUES ('x')`")
                .hasMessageContaining("INTVAR")
                .hasMessageContaining("binlog_format=ROW");
        assertThat(delivered).isEmpty();
    }

    @Test
    void rowChangingStatementsWithoutVariableEventsAreRefusedToo() {
        gtid(4);
        send(EventType.QUERY, query("BEGIN", 0));
        assertThatThrownBy(() -> send(EventType.QUERY, query("UPDATE t SET a = a + 1", 0)))
                .isInstanceOf(ReplicaException.class).hasMessageContaining("`UPDATE t SET a = a + 1` as a statement");
        assertThat(delivered).isEmpty();
    }

    @Test
    void aRollbackToSavepointAndAStatementThatFailedOnTheSourceAreRefused() {
        gtid(5);
        send(EventType.QUERY, query("BEGIN", 0));
        assertThatThrownBy(() -> send(EventType.QUERY, query("ROLLBACK TO `s1`", 0)))
                .isInstanceOf(ReplicaException.class).hasMessageContaining("non-transactional");
        assembler.discardPartial();
        gtid(6);
        assertThatThrownBy(() -> send(EventType.QUERY, query("DROP TABLE t", 1051)))
                .isInstanceOf(ReplicaException.class).hasMessageContaining("with error 1051");
        assertThat(delivered).isEmpty();
    }

    private void gtid(long gno) {
        send(EventType.GTID, new GtidEventData(new MySqlGtid(SOURCE, gno), (byte) 0, 0, 0, 0, 0, 0, 0, 0));
    }

    private void send(EventType type, EventData data) {
        EventHeaderV4 header = new EventHeaderV4();
        header.setEventType(type);
        header.setTimestamp(SECONDS * 1000);
        assembler.accept(new Event(header, data));
    }

    private static SourceQuery query(String sql, int errorCode) {
        return new SourceQuery(1, 0, errorCode, "shop", sql.getBytes(StandardCharsets.UTF_8), -1,
                settings(UTF8MB4, 0));
    }

    private static StatementContext settings(int client, long sqlMode) {
        return new StatementContext(0, sqlMode, true, true, false, true, 1, 1, client, client, UTF8MB4, 0, null, 0,
                null, 0, null, null);
    }

    private static TableMapEventData tableMap() {
        TableMapEventData map = new TableMapEventData();
        map.setTableId(7);
        map.setDatabase("shop");
        map.setTable("t");
        map.setColumnTypes(new byte[] {3});
        map.setColumnMetadata(new int[] {0});
        map.setColumnNullability(new BitSet());
        return map;
    }

    private static WriteRowsEventData insert(int id) {
        WriteRowsEventData rows = new WriteRowsEventData();
        rows.setTableId(7);
        BitSet present = new BitSet();
        present.set(0);
        rows.setIncludedColumns(present);
        rows.setRows(List.<Serializable[]>of(new Serializable[] {id}));
        return rows;
    }
}
