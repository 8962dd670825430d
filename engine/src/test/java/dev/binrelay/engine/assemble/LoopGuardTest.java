package dev.binrelay.engine.assemble;

import dev.binrelay.engine.ReplicationFilter;
import dev.binrelay.engine.decode.EventDecoding;
import dev.binrelay.engine.decode.SourceQuery;
import dev.binrelay.engine.event.Change;
import dev.binrelay.engine.event.RowChange;
import dev.binrelay.engine.event.StatementChange;
import dev.binrelay.engine.event.StatementContext;
import dev.binrelay.engine.event.Transaction;
import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Which transactions the reader hands on, and with which origin, under loop prevention; without a server. */
class LoopGuardTest {
    private static final UUID SOURCE = UUID.fromString("3e11fa47-71ca-11e1-9e33-c80aa9429562");
    private static final long SOURCE_SERVER = 1;
    private static final long TARGET_SERVER = 2;
    private static final long USER_TABLE = 7;
    private static final long CHECKPOINT_TABLE = 8;
    private static final long MARKER_TABLE = 9;
    private static final String USER_SCHEMA = "shop";

    private final List<Transaction> delivered = new ArrayList<>();
    private long gno;
    private TransactionAssembler assembler;

    private void ignoring(Set<Long> serverIds) {
        assembler = new TransactionAssembler(GtidSet.empty(), delivered::add, Long.MAX_VALUE,
                ReplicationFilter.NONE, new LoopGuard("binrelay", serverIds), null);
    }

    @Test
    void anEchoOfTheTargetsOwnWriteIsHandedOnEmptyAndOtherOriginsWhole() {
        ignoring(Set.of(TARGET_SERVER));

        rowTransaction(SOURCE_SERVER, 10, TARGET_SERVER, 1); // binrelay applied it from the target: an echo
        rowTransaction(SOURCE_SERVER, 10, 3L, 2); // binrelay applied it from a third server
        rowTransaction(TARGET_SERVER, 10, null, 3); // native replication keeps the original server_id
        rowTransaction(SOURCE_SERVER, 10, null, 4); // the source's own write

        assertThat(delivered).hasSize(4);
        assertThat(delivered.get(0).changes()).isEmpty();
        assertThat(delivered.get(0).rowCount()).isZero();
        assertThat(delivered.get(0).originServerId()).isEqualTo(TARGET_SERVER);
        assertThat(userIds(delivered.get(1))).containsExactly(2);
        assertThat(delivered.get(1).originServerId()).isEqualTo(3);
        assertThat(delivered.get(2).changes()).isEmpty();
        assertThat(userIds(delivered.get(3))).containsExactly(4);
        assertThat(delivered.get(3).originServerId()).isEqualTo(SOURCE_SERVER);
    }

    @Test
    void aUserFilterThatKeepsOnlyOtherDatabasesDoesNotHideTheCheckpointRowsTheOriginIsReadFrom() {
        // doDb names only the user's database: without the guard seeing binrelay's schema first, the checkpoint row
        // would be filtered away with its origin, and the echo applied.
        assembler = new TransactionAssembler(GtidSet.empty(), delivered::add, Long.MAX_VALUE,
                ReplicationFilter.builder().doDb(USER_SCHEMA).build(), new LoopGuard("binrelay", Set.of(TARGET_SERVER)), null);

        rowTransaction(SOURCE_SERVER, 10, TARGET_SERVER, 1);
        rowTransaction(SOURCE_SERVER, 10, 3L, 2);

        assertThat(delivered).extracting(Transaction::echo).containsExactly(true, false);
        assertThat(delivered.get(0).changes()).isEmpty();
        assertThat(userIds(delivered.get(1))).containsExactly(2);
        assertThat(delivered.get(1).originServerId()).isEqualTo(3);
    }

    @Test
    void aTransactionOfOnlyTheCheckpointRowOfAnIgnoredOriginIsAnEchoSoItCannotPingPong() {
        ignoring(Set.of(TARGET_SERVER));

        // What binrelay writes for an empty transaction, or after a DDL: the checkpoint row alone.
        checkpointRowOnly(SOURCE_SERVER, TARGET_SERVER);
        rowTransaction(SOURCE_SERVER, 10, TARGET_SERVER, 1);
        rowTransaction(SOURCE_SERVER, 10, 3L, 2);

        assertThat(delivered).extracting(Transaction::echo).containsExactly(true, true, false);
        assertThat(delivered.get(0).originServerId()).isEqualTo(TARGET_SERVER);
        assertThat(delivered.get(2).originServerId()).isEqualTo(3);
    }

    @Test
    void theSourcesCompactionOfItsCheckpointIsRecordedLaterSoItCannotTrickleBackAndForth() {
        ignoring(Set.of(TARGET_SERVER));

        // The compactor's rows carry origin 0: the origin is the source's own, not ignored.
        checkpointRowOnly(SOURCE_SERVER, 0);
        rowTransaction(SOURCE_SERVER, 10, null, 1);

        assertThat(delivered).extracting(Transaction::echo).containsExactly(true, false);
        assertThat(delivered.get(0).changes()).isEmpty();
        assertThat(userIds(delivered.get(1))).containsExactly(1);
    }

    @Test
    void withNoServerIdsIgnoredTheEchoIsAppliedButTheCheckpointRowStillStaysBehind() {
        ignoring(Set.of());

        rowTransaction(SOURCE_SERVER, 10, TARGET_SERVER, 1);

        assertThat(userIds(delivered.get(0))).containsExactly(1);
        assertThat(delivered.get(0).changes()).hasSize(1); // the checkpoint row is not handed on
        assertThat(delivered.get(0).originServerId()).isEqualTo(TARGET_SERVER);
    }

    @Test
    void inABatchOfSeveralAppliedTransactionsOnlyTheEchoesAreDropped() {
        ignoring(Set.of(TARGET_SERVER));
        gtid(SOURCE_SERVER);
        send(EventType.QUERY, query("BEGIN", 10));
        mapTables();
        send(EventType.EXT_WRITE_ROWS, rows(CHECKPOINT_TABLE, 0, 0, 1, 1, (int) TARGET_SERVER));
        send(EventType.EXT_WRITE_ROWS, rows(USER_TABLE, 1));
        send(EventType.EXT_WRITE_ROWS, rows(CHECKPOINT_TABLE, 0, 0, 2, 2, 5));
        send(EventType.EXT_WRITE_ROWS, rows(USER_TABLE, 2));
        send(EventType.XID, new XidEventData());

        assertThat(userIds(delivered.get(0))).containsExactly(2);
        assertThat(delivered.get(0).rowCount()).isEqualTo(1);
        assertThat(delivered.get(0).originServerId()).isEqualTo(5);
    }

    @Test
    void aDdlTakesTheOriginOfTheMarkerItsSessionCommittedJustBefore() {
        ignoring(Set.of(TARGET_SERVER));

        marker(42, TARGET_SERVER);
        ddl(43, "CREATE TABLE other_session (id INT)"); // another session: the source's own DDL
        ddl(42, "CREATE TABLE echoed (id INT)");
        marker(44, TARGET_SERVER);
        rowTransaction(SOURCE_SERVER, 44, null, 1); // the marker's session went on without its DDL
        ddl(44, "CREATE TABLE after_rows (id INT)");

        List<String> statements = new ArrayList<>();
        for (Transaction transaction : delivered) {
            for (Change change : transaction.changes()) {
                if (change instanceof StatementChange statement) {
                    statements.add(statement.sql());
                }
            }
        }
        assertThat(statements).containsExactly("CREATE TABLE other_session (id INT)",
                "CREATE TABLE after_rows (id INT)");
        assertThat(delivered.get(2).originServerId()).isEqualTo(TARGET_SERVER);
        assertThat(delivered.get(2).changes()).isEmpty();
    }

    @Test
    void ddlOnTheCheckpointSchemaIsRecognisedWhetherQualifiedOrByDefaultDatabase() {
        assertThat(touches("", "CREATE DATABASE IF NOT EXISTS `binrelay`")).isTrue();
        assertThat(touches("", "CREATE TABLE IF NOT EXISTS `binrelay`.`gtid_executed` (channel VARCHAR(64))"))
                .isTrue();
        assertThat(touches("binrelay", "ALTER TABLE gtid_executed ADD COLUMN origin_server_id INT")).isTrue();
        assertThat(touches("shop", "/* x */ DROP TABLE IF EXISTS binrelay.ddl_in_progress")).isTrue();
        assertThat(touches("binrelay", "CREATE TABLE shop.t (id INT)")).isFalse();
        assertThat(touches("shop", "CREATE TABLE binrelay_old (id INT)")).isFalse();
        assertThat(touches("", "CREATE DATABASE binrelay2")).isFalse();
        assertThat(touches("binrelay", "GRANT SELECT ON binrelay.* TO someone")).isFalse();
    }

    private static boolean touches(String database, String sql) {
        return CheckpointSchemaStatements.touches(new StatementChange(database, sql, settings()), "binrelay");
    }

    /** A row transaction of session {@code thread}, with binrelay's checkpoint row first when {@code origin} is set. */
    private void rowTransaction(long headerServerId, long thread, Long origin, int id) {
        gtid(headerServerId);
        send(EventType.QUERY, query("BEGIN", thread));
        mapTables();
        if (origin != null) {
            send(EventType.EXT_WRITE_ROWS, rows(CHECKPOINT_TABLE, 0, 0, (int) gno, (int) gno, origin.intValue()));
        }
        send(EventType.EXT_WRITE_ROWS, rows(USER_TABLE, id));
        send(EventType.XID, new XidEventData());
    }

    /** A transaction holding only binrelay's checkpoint row, noting {@code origin}. */
    private void checkpointRowOnly(long headerServerId, long origin) {
        gtid(headerServerId);
        send(EventType.QUERY, query("BEGIN", 10));
        mapTables();
        send(EventType.EXT_WRITE_ROWS, rows(CHECKPOINT_TABLE, 0, 0, (int) gno, (int) gno, (int) origin));
        send(EventType.XID, new XidEventData());
    }

    /** binrelay's DDL marker, committed on the source by session {@code thread}. */
    private void marker(long thread, long origin) {
        gtid(SOURCE_SERVER);
        send(EventType.QUERY, query("BEGIN", thread));
        mapTables();
        send(EventType.EXT_WRITE_ROWS, rows(MARKER_TABLE, 0, 0, (int) origin));
        send(EventType.XID, new XidEventData());
    }

    private void ddl(long thread, String sql) {
        gtid(SOURCE_SERVER);
        send(EventType.QUERY, query(sql, thread));
    }

    private void mapTables() {
        send(EventType.TABLE_MAP, tableMap(USER_TABLE, "shop", "t", 1));
        send(EventType.TABLE_MAP, tableMap(CHECKPOINT_TABLE, "binrelay", "gtid_executed", 5));
        send(EventType.TABLE_MAP, tableMap(MARKER_TABLE, "binrelay", "ddl_in_progress", 3));
    }

    private static List<Integer> userIds(Transaction transaction) {
        List<Integer> ids = new ArrayList<>();
        for (Change change : transaction.changes()) {
            if (change instanceof RowChange row) {
                assertThat(row.table().schema()).isEqualTo("shop");
                ids.add(((Number) row.after()[0]).intValue());
            }
        }
        return ids;
    }

    private void gtid(long headerServerId) {
        EventHeaderV4 header = header(EventType.GTID);
        header.setServerId(headerServerId);
        assembler.accept(new Event(header, new GtidEventData(new MySqlGtid(SOURCE, ++gno), (byte) 0, 0, 0, 0, 0, 0,
                0, 0)));
    }

    private void send(EventType type, EventData data) {
        EventData wrapped = data instanceof WriteRowsEventData rows ? new EventDecoding.FlaggedRows(rows, 0) : data;
        assembler.accept(new Event(header(type), wrapped));
    }

    private static EventHeaderV4 header(EventType type) {
        EventHeaderV4 header = new EventHeaderV4();
        header.setEventType(type);
        header.setTimestamp(1_000_000);
        return header;
    }

    private static SourceQuery query(String sql, long thread) {
        return new SourceQuery(thread, 0, 0, "shop", sql.getBytes(StandardCharsets.UTF_8), -1, settings());
    }

    private static StatementContext settings() {
        return new StatementContext(0, 0, true, true, false, true, 1, 1, 255, 255, 255, 0, null, 0, null, 0, null,
                null);
    }

    /** A table of INT columns: the guard reads origin_server_id by position, whatever the other columns are. */
    private static TableMapEventData tableMap(long id, String schema, String table, int columns) {
        TableMapEventData map = new TableMapEventData();
        map.setTableId(id);
        map.setDatabase(schema);
        map.setTable(table);
        byte[] types = new byte[columns];
        java.util.Arrays.fill(types, (byte) 3);
        map.setColumnTypes(types);
        map.setColumnMetadata(new int[columns]);
        map.setColumnNullability(new BitSet());
        return map;
    }

    private static WriteRowsEventData rows(long tableId, int... values) {
        WriteRowsEventData rows = new WriteRowsEventData();
        rows.setTableId(tableId);
        BitSet present = new BitSet();
        present.set(0, values.length);
        rows.setIncludedColumns(present);
        Serializable[] row = new Serializable[values.length];
        for (int i = 0; i < values.length; i++) {
            row[i] = values[i];
        }
        rows.setRows(List.<Serializable[]>of(row));
        return rows;
    }
}
