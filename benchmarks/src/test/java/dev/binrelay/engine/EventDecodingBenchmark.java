package dev.binrelay.engine;

import dev.binrelay.engine.assemble.TransactionAssembler;
import dev.binrelay.engine.decode.EventDecoding;
import dev.binrelay.engine.event.Transaction;
import com.github.shyiko.mysql.binlog.BinaryLogFileReader;
import com.github.shyiko.mysql.binlog.event.Event;
import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.testkit.EmbeddedMySql;
import java.io.InputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Binlog bytes to binrelay's model: the library's event parsing with binrelay's deserializers
 * ({@link EventDecoding}), then {@link TransactionAssembler} building {@link Transaction}s of decoded rows. The input
 * is a real binary log: a source started once per fork writes {@value #TRANSACTIONS} sysbench oltp_write_only
 * transactions (two updates, a delete, an insert of sbtest rows). Time per row event.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EventDecodingBenchmark {
    private static final int TRANSACTIONS = 2000;
    private static final int TABLE_SIZE = 1000;

    private byte[] binlog;
    private long rowEvents;

    @Setup
    public void writeBinlog() throws SQLException, IOException {
        try (EmbeddedMySql source = EmbeddedMySql.startSource()) {
            try (Connection connection = source.connect(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE DATABASE sbtest");
                statement.execute("CREATE TABLE sbtest.sbtest1 (id INT NOT NULL PRIMARY KEY, k INT NOT NULL, "
                        + "c CHAR(120) NOT NULL, pad CHAR(60) NOT NULL, KEY k_1 (k))");
                statement.execute("INSERT INTO sbtest.sbtest1 WITH RECURSIVE n (id) AS (SELECT 1 UNION ALL SELECT "
                        + "id + 1 FROM n WHERE id < " + TABLE_SIZE + ") SELECT id, id, REPEAT('c', 119), "
                        + "REPEAT('p', 59) FROM n");
                writeTransactions(connection);
                String file = source.queryString("SHOW BINARY LOGS");
                statement.execute("FLUSH BINARY LOGS");
                binlog = Files.readAllBytes(source.directory().resolve("data").resolve(file));
            }
            rowEvents = decode();
        }
    }

    @Benchmark
    public long decode() throws IOException {
        long[] rows = new long[1];
        TransactionAssembler assembler = new TransactionAssembler(GtidSet.empty(),
                transaction -> rows[0] += transaction.rowCount(), 4L << 20);
        try (BinaryLogFileReader reader = new BinaryLogFileReader(new Bytes(binlog),
                EventDecoding.newDeserializer())) {
            for (Event event = reader.readEvent(); event != null; event = reader.readEvent()) {
                assembler.accept(event);
            }
        }
        if (rowEvents != 0 && rows[0] != rowEvents) {
            throw new IllegalStateException("decoded " + rows[0] + " row events, expected " + rowEvents);
        }
        return rows[0];
    }

    private static void writeTransactions(Connection connection) throws SQLException {
        Random random = new Random(42);
        connection.setAutoCommit(false);
        try (PreparedStatement index = connection.prepareStatement("UPDATE sbtest.sbtest1 SET k = k + 1 WHERE id = ?");
             PreparedStatement nonIndex = connection.prepareStatement("UPDATE sbtest.sbtest1 SET c = ? WHERE id = ?");
             PreparedStatement delete = connection.prepareStatement("DELETE FROM sbtest.sbtest1 WHERE id = ?");
             PreparedStatement insert = connection.prepareStatement("INSERT INTO sbtest.sbtest1 VALUES (?, ?, ?, ?)")) {
            for (int i = 0; i < TRANSACTIONS; i++) {
                index.setInt(1, 1 + random.nextInt(TABLE_SIZE));
                index.executeUpdate();
                nonIndex.setString(1, Long.toString(random.nextLong()).repeat(6));
                nonIndex.setInt(2, 1 + random.nextInt(TABLE_SIZE));
                nonIndex.executeUpdate();
                int moved = 1 + random.nextInt(TABLE_SIZE);
                delete.setInt(1, moved);
                delete.executeUpdate();
                insert.setInt(1, moved);
                insert.setInt(2, random.nextInt(TABLE_SIZE));
                insert.setString(3, Long.toString(random.nextLong()).repeat(6));
                insert.setString(4, Long.toString(random.nextLong()));
                insert.executeUpdate();
                connection.commit();
            }
        }
    }

    /**
     * The binlog bytes as a stream without java.io.ByteArrayInputStream's per-read lock: the library reads byte by
     * byte, and from the server it reads an unsynchronized buffered socket stream, which this one stands in for.
     */
    private static final class Bytes extends InputStream {
        private final byte[] bytes;
        private int position;

        Bytes(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public int read() {
            return position < bytes.length ? bytes[position++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] target, int offset, int length) {
            if (position >= bytes.length) {
                return -1;
            }
            int count = Math.min(length, bytes.length - position);
            System.arraycopy(bytes, position, target, offset, count);
            position += count;
            return count;
        }
    }
}
