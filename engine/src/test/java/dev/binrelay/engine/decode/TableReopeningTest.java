package dev.binrelay.engine.decode;

import dev.binrelay.engine.apply.KeyFold;
import dev.binrelay.engine.apply.TableKeys;
import dev.binrelay.engine.assemble.TransactionAssembler;
import dev.binrelay.engine.event.Change;
import dev.binrelay.engine.event.RowChange;
import dev.binrelay.engine.event.SourceTable;
import dev.binrelay.engine.event.Transaction;
import dev.binrelay.engine.schedule.WritesetScheduler;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.testkit.EmbeddedMySql;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A source that reopens a table before every transaction ({@code FLUSH TABLES}: what a source with more tables than
 * its {@code table_definition_cache} does on its own) gives the table a new table id each time. What binrelay keeps
 * per table, the library's table maps, the assembler's decoders and the writeset's keys (and the applier's plans,
 * keyed by the same {@link SourceTable}), must stay one per table shape, not grow one per id.
 */
class TableReopeningTest {
    private static final int REOPENINGS = 300;
    private static EmbeddedMySql source;

    @BeforeAll
    static void startSource() {
        source = EmbeddedMySql.startSource();
    }

    @AfterAll
    static void stopSource() {
        source.close();
    }

    @Test
    void aTableReopenedBeforeEveryTransactionKeepsOneDecoderAndOneEntryPerShape() throws Exception {
        source.execute("CREATE DATABASE shop", "CREATE TABLE shop.t (id INT PRIMARY KEY, v VARCHAR(20))");
        String start = source.gtidExecuted();
        List<String> workload = new ArrayList<>();
        for (int i = 0; i < REOPENINGS; i++) {
            workload.add("FLUSH TABLES");
            workload.add("INSERT INTO shop.t VALUES (" + i + ", 'row " + i + "')");
        }
        workload.add("ALTER TABLE shop.t ADD COLUMN w INT NOT NULL DEFAULT 7");
        for (int i = REOPENINGS; i < REOPENINGS + 20; i++) {
            workload.add("FLUSH TABLES");
            workload.add("INSERT INTO shop.t VALUES (" + i + ", 'row " + i + "', " + i + ")");
        }
        source.execute(workload.toArray(String[]::new));
        int expected = 2 * (REOPENINGS + 20) + 1; // FLUSH TABLES is logged too

        List<Transaction> received = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch all = new CountDownLatch(expected);
        TransactionAssembler assembler = new TransactionAssembler(GtidSet.parse(start), transaction -> {
            received.add(transaction);
            all.countDown();
        }, Long.MAX_VALUE);
        Map<Long, TableMapEventData> libraryTableMaps = new ConcurrentHashMap<>();
        Set<Long> tableIds = ConcurrentHashMap.newKeySet();
        int[] largestLibraryMap = new int[1];
        BinaryLogClient client = new BinaryLogClient(source.host(), source.port(), source.user(), source.password());
        client.setServerId(4747);
        client.setKeepAlive(false);
        client.setGtidSet(start);
        client.setEventDeserializer(EventDecoding.newDeserializer(libraryTableMaps));
        client.registerEventListener(event -> {
            if (event.getHeader().getEventType() == EventType.TABLE_MAP) {
                tableIds.add(((TableMapEventData) event.getData()).getTableId());
            }
            largestLibraryMap[0] = Math.max(largestLibraryMap[0], libraryTableMaps.size());
            assembler.accept(event);
        });
        client.connect(10_000);
        try {
            assertThat(all.await(60, TimeUnit.SECONDS)).as("every transaction assembled").isTrue();
        } finally {
            client.disconnect();
        }

        assertThat(tableIds).as("the source gave the table a new id each time").hasSizeGreaterThan(REOPENINGS);
        Set<SourceTable> tables = Collections.newSetFromMap(new IdentityHashMap<>());
        WritesetScheduler writeset = new WritesetScheduler(table -> new TableKeys(List.<int[]>of(new int[] {0}),
                new KeyFold[table.columnTypes().length], true), 1000, sequence -> { });
        long sequence = 0;
        Object[] lastRow = null;
        for (Transaction transaction : received) {
            for (Change change : transaction.changes()) {
                if (change instanceof RowChange row) {
                    tables.add(row.table());
                    lastRow = row.after();
                }
            }
            if (transaction.changes().stream().allMatch(RowChange.class::isInstance)) {
                writeset.dependency(transaction, sequence++);
            }
        }
        assertThat(tables).as("one SourceTable per shape (before and after the ALTER)").hasSize(2);
        assertThat(writeset.tablesKnown()).isEqualTo(2);
        int[] cached = assembler.cachedTables();
        assertThat(cached[0] + cached[1]).as("table ids held by the assembler after the last transaction")
                .isLessThanOrEqualTo(1);
        assertThat(cached[2]).as("shapes held").isEqualTo(2);
        assertThat(largestLibraryMap[0]).as("the library's table maps at most").isLessThanOrEqualTo(1);
        long last = REOPENINGS + 19;
        assertThat(lastRow).as("the new shape decodes its third column").hasSize(3);
        assertThat(lastRow[0]).isEqualTo(last);
        assertThat(new String((byte[]) lastRow[1], StandardCharsets.UTF_8)).isEqualTo("row " + last);
        assertThat(lastRow[2]).isEqualTo(last);
        assertThat(new HashSet<>(received.stream().map(Transaction::gtid).toList())).hasSize(expected);
    }
}
