package dev.binrelay.engine.decode;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.shyiko.mysql.binlog.BinaryLogFileReader;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.engine.assemble.TransactionAssembler;
import dev.binrelay.engine.event.Change;
import dev.binrelay.engine.event.RowChange;
import dev.binrelay.engine.event.Transaction;
import dev.binrelay.testkit.EmbeddedMySql;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A TABLE_MAP whose body repeats the last one of its table id is not decoded again ({@link TableMapReuse}): a real
 * binary log, with the same tables in many transactions, a table reopened (new ids), a table altered (new shape) and
 * two tables in one transaction, decodes to the very same events and rows as with every TABLE_MAP decoded.
 */
class TableMapReuseTest {

    @Test
    void repeatedTableMapsAreReusedAndEverythingDecodesAsWhenEachIsDecoded() throws Exception {
        byte[] binlog;
        try (EmbeddedMySql source = EmbeddedMySql.startSource()) {
            List<String> workload = new ArrayList<>(List.of("CREATE DATABASE shop",
                    "CREATE TABLE shop.t (id INT PRIMARY KEY, v VARCHAR(20), e ENUM('a','b'))",
                    "CREATE TABLE shop.u (id INT PRIMARY KEY, w BLOB)"));
            for (int i = 0; i < 50; i++) {
                workload.add("INSERT INTO shop.t (id, v, e) VALUES (" + i + ", 'row " + i + "', 'a')");
                workload.add("BEGIN");
                workload.add("UPDATE shop.t SET e = 'b' WHERE id = " + i);
                workload.add("INSERT INTO shop.u VALUES (" + i + ", REPEAT('x', " + i + "))");
                workload.add("COMMIT");
                if (i == 20) {
                    workload.add("FLUSH TABLES"); // new table ids from here
                }
                if (i == 30) {
                    workload.add("ALTER TABLE shop.t ADD COLUMN n INT NOT NULL DEFAULT 7"); // a new shape
                }
            }
            workload.add("DELETE FROM shop.t WHERE id < 10");
            source.execute(workload.toArray(String[]::new));
            String file = source.queryString("SHOW BINARY LOGS");
            source.execute("FLUSH BINARY LOGS");
            binlog = Files.readAllBytes(source.directory().resolve("data").resolve(file));
        }

        EventDeserializer reusing = EventDecoding.newDeserializer(new HashMap<>(), true);
        Decoded withReuse = decode(binlog, reusing);
        Decoded decodingEach = decode(binlog, EventDecoding.newDeserializer(new HashMap<>(), false));

        assertThat(((TableMapReuse) reusing).reused()).as("TABLE_MAPs not decoded again").isGreaterThan(100);
        assertThat(withReuse.tableMaps).as("every TABLE_MAP as decoded").isEqualTo(decodingEach.tableMaps);
        assertThat(withReuse.rows).as("every row").hasSize(decodingEach.rows.size()).isEqualTo(decodingEach.rows);
        assertThat(withReuse.rows).as("rows of both shapes of shop.t")
                .anyMatch(row -> row.startsWith("shop.t INSERT [35, [114, 111, 119, 32, 51, 53], 1, 7]"))
                .anyMatch(row -> row.startsWith("shop.t INSERT [5, [114, 111, 119, 32, 53], 1]"));
    }

    private static Decoded decode(byte[] binlog, EventDeserializer deserializer) throws Exception {
        Decoded decoded = new Decoded();
        TransactionAssembler assembler = new TransactionAssembler(GtidSet.empty(), transaction -> {
            for (Change change : transaction.changes()) {
                if (change instanceof RowChange row) {
                    decoded.rows.add(describe(transaction, row));
                }
            }
        }, 4L << 20);
        try (BinaryLogFileReader reader = new BinaryLogFileReader(new ByteArrayInputStream(binlog), deserializer)) {
            for (Event event = reader.readEvent(); event != null; event = reader.readEvent()) {
                if (event.getHeader().getEventType() == EventType.TABLE_MAP) {
                    decoded.tableMaps.add(event.getData().toString());
                }
                assembler.accept(event);
            }
        }
        return decoded;
    }

    private static String describe(Transaction transaction, RowChange row) {
        return row.table().qualifiedName() + " " + row.kind() + " " + Arrays.deepToString(row.after()) + " "
                + Arrays.deepToString(row.before()) + " " + row.table().columnNames() + " " + transaction.gtid();
    }

    private static final class Decoded {
        final List<String> tableMaps = new ArrayList<>();
        final List<String> rows = new ArrayList<>();
    }
}
