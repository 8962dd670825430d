package dev.binrelay.engine.assemble;

import dev.binrelay.engine.ReplicaException;
import dev.binrelay.engine.ReplicationFilter;
import dev.binrelay.engine.decode.EventDecoding;
import dev.binrelay.engine.decode.SourceQuery;
import dev.binrelay.engine.event.RowChange;
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

/** The reader's filtering: rows of filtered tables dropped, kept ones under the rewritten database, GTIDs kept. */
class FilteredAssemblyTest {
    private static final UUID SOURCE = UUID.fromString("3e11fa47-71ca-11e1-9e33-c80aa9429562");

    private final List<Transaction> delivered = new ArrayList<>();
    private final TransactionAssembler assembler = new TransactionAssembler(GtidSet.empty(), delivered::add,
            Long.MAX_VALUE, ReplicationFilter.builder().ignoreTable("staging.audit") // rules name the target
                    .rewriteDb("prod", "staging").build(), LoopGuard.none(), null);

    @Test
    void dropsRowsOfFilteredTablesAndCarriesKeptOnesUnderTheRewrittenDatabase() {
        gtid(1);
        send(EventType.QUERY, query("prod", "BEGIN"));
        send(EventType.TABLE_MAP, tableMap(7, "audit"));
        send(EventType.EXT_WRITE_ROWS, new EventDecoding.FlaggedRows(insert(7, 1), 0));
        send(EventType.TABLE_MAP, tableMap(8, "orders"));
        send(EventType.EXT_WRITE_ROWS, new EventDecoding.FlaggedRows(insert(8, 2), 0));
        send(EventType.XID, new XidEventData());

        assertThat(delivered).hasSize(1);
        assertThat(delivered.get(0).rowCount()).isEqualTo(1);
        RowChange row = (RowChange) delivered.get(0).changes().get(0);
        assertThat(row.table().qualifiedName()).isEqualTo("staging.orders");
        assertThat(row.after()).containsExactly(2L);
    }

    @Test
    void aTransactionEmptiedByTheFilterIsStillHandedOnForItsGtid() {
        gtid(2);
        send(EventType.QUERY, query("prod", "BEGIN"));
        send(EventType.TABLE_MAP, tableMap(7, "audit"));
        send(EventType.EXT_WRITE_ROWS, new EventDecoding.FlaggedRows(insert(7, 1), 0));
        send(EventType.XID, new XidEventData());
        gtid(3);
        send(EventType.QUERY, query("prod", "DROP TABLE audit"));

        assertThat(delivered).hasSize(2);
        assertThat(delivered).allSatisfy(transaction -> assertThat(transaction.changes()).isEmpty());
        assertThat(assembler.delivered().toString()).isEqualTo(SOURCE + ":2-3");
    }

    @Test
    void statementsRunInTheRewrittenDefaultDatabase() {
        gtid(4);
        send(EventType.QUERY, query("prod", "CREATE TABLE orders2 (id INT)"));

        StatementChange statement = (StatementChange) delivered.get(0).changes().get(0);
        assertThat(statement.database()).isEqualTo("staging");
    }

    @Test
    void aStatementTheFilterRefusesIsNotJudgedAgainOnceSkipped() {
        // GTID 5 names a kept and a filtered table: refused when first read. Once an operator skipped it (its GTID
        // recorded), reading it again (position mode and MariaDB re-read after a restart) must pass it by.
        assertThatThrownBy(() -> ddl(assembler, 5, "DROP TABLE audit, orders"))
                .isInstanceOf(ReplicaException.class)
                .hasMessageContaining("staging.audit");
        TransactionAssembler afterSkip = new TransactionAssembler(GtidSet.parse(SOURCE + ":5"), delivered::add,
                Long.MAX_VALUE, ReplicationFilter.builder().ignoreTable("staging.audit")
                        .rewriteDb("prod", "staging").build(), LoopGuard.none(), null);

        ddl(afterSkip, 5, "DROP TABLE audit, orders");
        ddl(afterSkip, 6, "CREATE TABLE orders3 (id INT)");

        assertThat(delivered).extracting(transaction -> transaction.gtid().transactionId()).containsExactly(6L);
    }

    private void ddl(TransactionAssembler to, long gno, String sql) {
        EventHeaderV4 gtidHeader = new EventHeaderV4();
        gtidHeader.setEventType(EventType.GTID);
        to.accept(new Event(gtidHeader, new GtidEventData(new MySqlGtid(SOURCE, gno), (byte) 0, 0, 0, 0, 0, 0, 0,
                0)));
        EventHeaderV4 header = new EventHeaderV4();
        header.setEventType(EventType.QUERY);
        to.accept(new Event(header, query("prod", sql)));
    }

    private void gtid(long gno) {
        send(EventType.GTID, new GtidEventData(new MySqlGtid(SOURCE, gno), (byte) 0, 0, 0, 0, 0, 0, 0, 0));
    }

    private void send(EventType type, EventData data) {
        EventHeaderV4 header = new EventHeaderV4();
        header.setEventType(type);
        assembler.accept(new Event(header, data));
    }

    private static SourceQuery query(String database, String sql) {
        return new SourceQuery(1, 0, 0, database, sql.getBytes(StandardCharsets.UTF_8), -1,
                new StatementContext(0, 0, true, true, false, true, 1, 1, 255, 255, 255, 0, null, 0, null, 0, null,
                        null));
    }

    private static TableMapEventData tableMap(long id, String table) {
        TableMapEventData map = new TableMapEventData();
        map.setTableId(id);
        map.setDatabase("prod");
        map.setTable(table);
        map.setColumnTypes(new byte[] {3});
        map.setColumnMetadata(new int[] {0});
        map.setColumnNullability(new BitSet());
        return map;
    }

    private static WriteRowsEventData insert(long tableId, int id) {
        WriteRowsEventData rows = new WriteRowsEventData();
        rows.setTableId(tableId);
        BitSet present = new BitSet();
        present.set(0);
        rows.setIncludedColumns(present);
        rows.setRows(List.<Serializable[]>of(new Serializable[] {id}));
        return rows;
    }
}
