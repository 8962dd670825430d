package dev.binrelay.applier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.binrelay.engine.Replica;
import dev.binrelay.engine.ReplicaState;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every MySQL column type at its edges (and NULL) is inserted, updated column by column and deleted on the source,
 * in tables with a primary key, with only a unique key and with no key at all, in every row image the source can
 * log; the target must end with the same bytes in every column, invisible and generated ones included.
 */
class TypeMatrixReplicationTest {
    @RegisterExtension
    static final ReplicaFixture fixture = new ReplicaFixture();

    /** The source session's time zone: TIMESTAMP values are written in it and must still arrive as the same instant. */
    private static final String SOURCE_TIME_ZONE = "+05:30";

    /** The matrix: each column's type and the values it takes besides NULL, as SQL expressions. */
    private static final List<TypedColumn> MATRIX = matrix();

    static Stream<Arguments> binlogModes() {
        return Stream.of("FULL", "MINIMAL", "NOBLOB").flatMap(image -> Stream.of("FULL", "MINIMAL")
                .map(metadata -> Arguments.of(image, metadata)));
    }

    @ParameterizedTest(name = "binlog_row_image={0}, binlog_row_metadata={1}")
    @MethodSource("binlogModes")
    void everyTypeAtItsEdgesReplicatesByteForByte(String rowImage, String rowMetadata) throws Exception {
        String previousMetadata = fixture.source().queryString("SELECT @@global.binlog_row_metadata");
        fixture.source().execute("SET GLOBAL binlog_row_metadata = '" + rowMetadata + "'");
        Replica replica = fixture.startReplica();
        try {
            fixture.source().execute(schema().toArray(String[]::new));
            try (Connection writer = sourceSession(rowImage)) {
                writeMatrix(writer, "typed", true);
                writeMatrix(writer, "typed_nokey", false);
                writeLargeValues(writer);
                writeGeneratedAndInvisibleColumns(writer);
                writeAutoIncrement(writer);
                writeUniqueKeyTables(writer);
            }
            fixture.awaitCaughtUp(replica);
            for (String table : List.of("typed", "typed_nokey", "big", "gen", "gen_nokey", "inv", "ai", "uk2",
                    "nuk")) {
                ExactTableContents.assertSame(fixture.source(), fixture.target(), "m", table);
            }
        } finally {
            replica.stop();
            fixture.source().execute("SET GLOBAL binlog_row_metadata = '" + previousMetadata + "'");
        }
    }

    @Test
    void jsonHoldingBinaryDataThatNoSqlExpressionBuildsIsRefusedNamingTableColumnAndGtid() throws Exception {
        Replica replica = fixture.startReplica();
        try {
            fixture.source().execute("CREATE DATABASE refuse",
                    "CREATE TABLE refuse.t (id INT PRIMARY KEY, blob_value BLOB, doc JSON)",
                    "INSERT INTO refuse.t (id, blob_value) VALUES (1, x'00ff')");
            fixture.awaitCaughtUp(replica);
            // A BLOB column's value inside JSON keeps its field type (BLOB); SQL can only build a VARBINARY one.
            fixture.source().execute("UPDATE refuse.t SET doc = JSON_ARRAY(blob_value) WHERE id = 1");
            String gtid = fixture.lastSourceGtid().toString();

            assertThat(replica.awaitTermination(Duration.ofSeconds(30))).isTrue();
            assertThat(replica.state()).isEqualTo(ReplicaState.FAILED);
            assertThat(replica.failure()).hasMessageContaining("GTID " + gtid).hasMessageContaining("refuse.t")
                    .hasMessageContaining("column doc").hasMessageContaining("field type 252");
            assertThat(fixture.target().queryString("SELECT COUNT(*) FROM refuse.t WHERE doc IS NULL")).isEqualTo("1");
        } finally {
            replica.stop();
        }
    }

    @Test
    void partialJsonUpdatesAreRefusedNamingTableAndGtid() throws Exception {
        Replica replica = fixture.startReplica();
        try {
            fixture.source().execute("CREATE DATABASE partial",
                    "CREATE TABLE partial.t (id INT PRIMARY KEY, doc JSON)",
                    "INSERT INTO partial.t VALUES (1, '{\"a\": \"long enough to be updated in place\"}')");
            fixture.awaitCaughtUp(replica);
            fixture.source().execute("SET SESSION binlog_row_image = 'MINIMAL', "
                    + "binlog_row_value_options = 'PARTIAL_JSON'", "UPDATE partial.t SET doc = JSON_SET(doc, '$.a', 'x')");

            assertThat(replica.awaitTermination(Duration.ofSeconds(30))).isTrue();
            assertThat(replica.state()).isEqualTo(ReplicaState.FAILED);
            assertThat(replica.failure()).hasMessageContaining("partial.t").hasMessageContaining("PARTIAL_JSON")
                    .hasMessageContaining(fixture.source().serverUuid());
        } finally {
            replica.stop();
        }
    }

    /** The columns and values of the matrix; each column also takes NULL. */
    private static List<TypedColumn> matrix() {
        List<TypedColumn> columns = new ArrayList<>(List.of(
                column("ti", "TINYINT", "-128", "127", "0"),
                column("ti_u", "TINYINT UNSIGNED", "0", "255", "1"),
                column("si", "SMALLINT", "-32768", "32767", "0"),
                column("si_u", "SMALLINT UNSIGNED", "65535", "0"),
                column("mi", "MEDIUMINT", "-8388608", "8388607", "0"),
                column("mi_u", "MEDIUMINT UNSIGNED", "16777215", "0"),
                column("i", "INT", "-2147483648", "2147483647", "0"),
                column("i_u", "INT UNSIGNED", "4294967295", "0"),
                column("bi", "BIGINT", "-9223372036854775808", "9223372036854775807", "0"),
                column("bi_u", "BIGINT UNSIGNED", "18446744073709551615", "9223372036854775808", "0"),
                column("d65_30", "DECIMAL(65,30)", "9".repeat(35) + "." + "9".repeat(30),
                        "-" + "9".repeat(35) + "." + "9".repeat(30), "0", "-0." + "0".repeat(29) + "1",
                        "12345.678900000000000000000000000001"),
                column("d65_0", "DECIMAL(65,0)", "9".repeat(65), "-" + "9".repeat(65), "0", "-1"),
                column("d10_10", "DECIMAL(10,10)", "0.9999999999", "-0.9999999999", "0.0000000001", "0"),
                column("f", "FLOAT", "3.4e38", "-3.4e38", "1.175494e-38", "0.1", "-0.0e0", "0", "16777217"),
                column("db", "DOUBLE", "1.7976931348623157e308", "-1.7976931348623157e308", "1e-308", "4.9e-324",
                        "0.1e0", "-0.0e0", "0.30000000000000004e0", "0"),
                column("b1", "BIT(1)", "b'1'", "b'0'"),
                column("b7", "BIT(7)", "b'1111111'", "b'0'", "b'1010101'"),
                column("b8", "BIT(8)", "b'11111111'", "b'10000000'", "b'0'"),
                column("b63", "BIT(63)", "b'" + "1".repeat(63) + "'", "b'0'", "b'1" + "0".repeat(62) + "'"),
                column("b64", "BIT(64)", "b'" + "1".repeat(64) + "'", "b'1" + "0".repeat(63) + "'", "b'0'"),
                column("yr", "YEAR", "1901", "2155", "0", "2000"),
                column("dt", "DATE", "'1000-01-01'", "'9999-12-31'", "'0000-00-00'", "'2020-00-15'",
                        "'2020-05-00'", "'2024-02-29'"),
                column("c_utf8mb4", "CHAR(10) CHARACTER SET utf8mb4", "'a  '", "'\uD83D\uDE00\uD834\uDD1E\u4e2d'",
                        "''", "'A'"),
                column("v_utf8mb4_bin", "VARCHAR(300) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin",
                        "'\uD83D\uDE00 \uD834\uDD1E \u00e9'", "'trailing  '", "''", "'a\\'b\"c\\\\d'", "'A '",
                        "REPEAT('\u00e9', 300)"),
                // 255 characters of 4 bytes: a CHAR logged with a two-byte length.
                column("c255_utf8mb4", "CHAR(255) CHARACTER SET utf8mb4", "REPEAT('\uD83D\uDE00', 255)", "'x '"),
                column("t_utf8mb4", "TEXT CHARACTER SET utf8mb4", "'emoji \uD83D\uDE00 \uD834\uDD1E'",
                        "REPEAT('x\uD83D\uDE00', 300)", "''", "'a '", "'A'"),
                column("v_latin1", "VARCHAR(20) CHARACTER SET latin1", "'caf\u00e9 \u00ff'", "'A '", "'a'"),
                column("c_gbk", "CHAR(10) CHARACTER SET gbk", "'\u4e2d\u6587\u6d4b\u8bd5'", "'\u6c49\u5b57 '"),
                column("t_gbk", "TEXT CHARACTER SET gbk", "'\u7b80\u4f53\u4e2d\u6587\u6587\u672c'", "''"),
                column("bn8", "BINARY(8)", "x'00'", "x'0020'", "x'FF00000000000000'", "x''", "x'2020'"),
                column("vb", "VARBINARY(20)", "x'000020'", "x'2000'", "x'00'", "x''"),
                column("bl", "BLOB", "x'00FF0020'", "x''", "REPEAT(x'00', 1000)", "x'20'"),
                // '' is a member (index 3); 'zz' is not: a non-strict source stores ENUM's error value (index 0).
                column("en", "ENUM('x','y','')", "'x'", "'y'", "''", "'zz'"),
                column("st", "SET('a','b','c')", "''", "'a,c'", "'a,b,c'"),
                // 64 members: the last one is the sign bit of the logged bit set.
                column("st64", "SET(" + IntStream.range(0, 64).mapToObj(i -> "'m" + i + "'")
                        .collect(Collectors.joining(",")) + ")", "'m63'", "'m0,m63'", "''", "'" + IntStream.range(0, 64)
                        .mapToObj(i -> "m" + i).collect(Collectors.joining(",")) + "'"),
                column("js", "JSON", json("{\"a\": 1, \"b\": [true, false, null], \"c\": {\"d\": \"\u00e9\uD83D\uDE00\"}}"),
                        json("[]"), json("{}"), json("null"), json("true"), json("123"), json("\"scalar\""),
                        json("[18446744073709551615, 9223372036854775807, -9223372036854775808, 4294967295, "
                                + "4294967296, -1, 65535, 65536, -32769]"),
                        json("[1.5, -0.0, 1e-308, 1.7976931348623157e308, 0.30000000000000004, "
                                + "1.2345678901234567e-300, 100.0, 5e-324]"),
                        json("{\"q\": \"a \\\"quoted\\\" \\\\ string\\n\\t\\u0001\", \"\": \"empty key\", "
                                + "\"\uD834\uDD1E\": [[], {}]}"),
                        "JSON_OBJECT('dec', CAST(1.50 AS DECIMAL(5,2)), 'big', CAST(12345678901234567890.123456789 AS "
                                + "DECIMAL(40,9)), 'neg', CAST(-0.001 AS DECIMAL(4,3)), 'u', CAST(5 AS UNSIGNED), "
                                + "'i', 5000000000, 'date', CAST('2020-01-02' AS DATE), 'time', CAST('-10:00:00.5' "
                                + "AS TIME(1)), 'dt', CAST('2020-01-02 03:04:05.123456' AS DATETIME(6)), 'bin', "
                                + "_binary X'00FF', 'double', 0.1e0)",
                        "JSON_ARRAY(1.0, CAST(-1.5 AS DECIMAL(3,1)), 18446744073709551615)",
                        "(SELECT JSON_ARRAY(t) FROM JSON_TABLE('[\"2020-01-01 10:00:00.5\"]', '$[*]' COLUMNS "
                                + "(t TIMESTAMP(6) PATH '$')) AS jt)"),
                column("geo", "GEOMETRY", "ST_GeomFromText('POINT(1 2)')",
                        "ST_GeomFromText('LINESTRING(0 0, 1 1, 2 2)', 4326)",
                        "ST_GeomFromText('POLYGON((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 3 2, 3 3, 2 2))')",
                        "ST_GeomFromText('MULTIPOINT((1 1), (2 2))', 3857)",
                        "ST_GeomFromText('GEOMETRYCOLLECTION(POINT(1 1), LINESTRING(0 0, 1 1))')",
                        "ST_GeomFromText('GEOMETRYCOLLECTION EMPTY')"),
                column("pt", "POINT SRID 4326", "ST_GeomFromText('POINT(45 90)', 4326)",
                        "ST_GeomFromText('POINT(-89.5 -179.5)', 4326)"),
                column("ls", "LINESTRING", "ST_GeomFromText('LINESTRING(0 0, 1 1, 2 2)')"),
                column("pg", "POLYGON", "ST_GeomFromText('POLYGON((0 0, 1 0, 1 1, 0 0))')"),
                column("mp", "MULTIPOINT", "ST_GeomFromText('MULTIPOINT((1 1), (2 2))')"),
                column("gc", "GEOMETRYCOLLECTION", "ST_GeomFromText('GEOMETRYCOLLECTION(POINT(1 1))')",
                        "ST_GeomFromText('GEOMETRYCOLLECTION EMPTY')"),
                column("tm", "TIME", "'-838:59:59'", "'838:59:59'", "'00:00:00'", "'-00:00:01'", "'24:00:00'")));
        for (int fsp = 0; fsp <= 6; fsp++) {
            if (fsp > 0) {
                columns.add(column("tm" + fsp, "TIME(" + fsp + ")", "'-838:59:58.987654'", "'838:59:58.123456'",
                        "'-00:00:01.5'", "'00:00:00.000001'", "'-12:34:56.654321'"));
            }
            columns.add(column("dtm" + fsp, "DATETIME(" + fsp + ")", "'1000-01-01 00:00:00'",
                    "'9999-12-31 23:59:59.499999'", "'0000-00-00 00:00:00'", "'2020-00-15 10:00:00.5'",
                    "'2020-05-00 00:00:00'", "'2024-02-29 12:34:56.123456'"));
            // In the source session's zone (+05:30): the smallest and largest TIMESTAMP, zero, a leap day.
            columns.add(column("ts" + fsp, "TIMESTAMP(" + fsp + ") NULL DEFAULT NULL", "'1970-01-01 05:30:01'",
                    "'2038-01-19 08:44:07.499999'", "'0000-00-00 00:00:00'", "'2024-02-29 12:34:56.123456'",
                    "'2000-01-01 00:00:00.000001'"));
        }
        return List.copyOf(columns);
    }

    private static List<String> schema() {
        String columns = MATRIX.stream().map(c -> c.name() + " " + c.type()).collect(Collectors.joining(", "));
        return List.of("CREATE DATABASE m",
                "CREATE TABLE m.typed (id INT PRIMARY KEY, " + columns + ", w INT)",
                "CREATE TABLE m.typed_nokey (k INT, " + columns + ", w INT)",
                "CREATE TABLE m.big (id INT PRIMARY KEY, lt LONGTEXT CHARACTER SET utf8mb4, lb LONGBLOB, doc JSON, "
                        + "w INT)",
                "CREATE TABLE m.gen (id INT PRIMARY KEY, a INT, b INT, s BIGINT AS (a + b) STORED, "
                        + "p BIGINT AS (a * b) VIRTUAL, doc JSON, k VARCHAR(20) AS (doc ->> '$.k') VIRTUAL, "
                        + "w INT, INDEX (p), INDEX (k))",
                "CREATE TABLE m.gen_nokey (a INT, s BIGINT AS (a * 2) STORED, p BIGINT AS (a * 3) VIRTUAL, w INT)",
                // Invisible columns first and in the middle: positions must still line up.
                "CREATE TABLE m.inv (h VARCHAR(10) INVISIBLE, id INT PRIMARY KEY, a INT, "
                        + "d DATETIME(6) INVISIBLE DEFAULT '2000-01-01 00:00:00.5', e INT)",
                "CREATE TABLE m.ai (id INT AUTO_INCREMENT PRIMARY KEY, v INT)",
                // Two NOT NULL unique keys: MySQL picks z_first (defined first) to identify rows in a MINIMAL image,
                // though a_second sorts first by name.
                "CREATE TABLE m.uk2 (x INT NOT NULL, y INT NOT NULL, z VARCHAR(10), UNIQUE KEY z_first (x), "
                        + "UNIQUE KEY a_second (y))",
                // Only a nullable unique key: it cannot identify a row, so every column must.
                "CREATE TABLE m.nuk (a INT NULL, b INT, c TEXT, UNIQUE KEY (a))");
    }

    /** A session that logs in the given row image, writes TIMESTAMPs in a non-UTC zone and accepts zero dates. */
    private static Connection sourceSession(String rowImage) throws SQLException {
        Connection connection = fixture.source().connect();
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET SESSION binlog_row_image = '" + rowImage + "', time_zone = '" + SOURCE_TIME_ZONE
                    + "', sql_mode = 'NO_AUTO_VALUE_ON_ZERO'");
        }
        connection.setAutoCommit(false);
        return connection;
    }

    /**
     * Inserts rows that hold every value of every column (row r takes value r of each column, cycling through its
     * values and NULL), updates each column of each row to its next value, then the other column alone, then
     * deletes some rows. Without a key every row is inserted twice and each change hits one of the twins.
     */
    private static void writeMatrix(Connection writer, String table, boolean keyed) throws SQLException {
        int rows = MATRIX.stream().mapToInt(c -> c.values().size()).max().orElseThrow() + 1;
        String names = MATRIX.stream().map(TypedColumn::name).collect(Collectors.joining(", "));
        String rowKey = keyed ? "id" : "k";
        String oneRow = keyed ? "" : " LIMIT 1";
        try (Statement statement = writer.createStatement()) {
            for (int row = 0; row < rows; row++) {
                int r = row;
                String values = MATRIX.stream().map(c -> c.value(r)).collect(Collectors.joining(", "));
                String tuple = "(" + row + ", " + values + ", " + row + ")";
                statement.execute("INSERT INTO m." + table + " (" + rowKey + ", " + names + ", w) VALUES " + tuple
                        + (keyed ? "" : ", " + tuple));
            }
            writer.commit();
            for (TypedColumn column : MATRIX) {
                for (int row = 0; row < rows; row++) {
                    statement.execute("UPDATE m." + table + " SET " + column.name() + " = " + column.value(row + 1)
                            + " WHERE " + rowKey + " = " + row + oneRow);
                }
                writer.commit();
            }
            statement.execute("UPDATE m." + table + " SET w = w + 100" + (keyed ? "" : " WHERE k % 2 = 0"));
            for (int row = 0; row < rows; row += 3) {
                statement.execute("DELETE FROM m." + table + " WHERE " + rowKey + " = " + row + oneRow);
            }
            if (keyed) {
                statement.execute("INSERT INTO m.typed (id) VALUES (1000)"); // every other column takes its default
            }
            writer.commit();
        }
    }

    /** Values large enough to matter for NOBLOB and MINIMAL images, and JSON in MySQL's large storage format. */
    private static void writeLargeValues(Connection writer) throws SQLException {
        String bigArray = IntStream.range(0, 12_000).mapToObj(i -> i % 7 == 0 ? "-" + i * 100_003L : i + ".5")
                .collect(Collectors.joining(", ", "[", "]"));
        String bigObject = IntStream.range(0, 6_000).mapToObj(i -> "\"key" + i + "\": " + (i * 1_000_003L))
                .collect(Collectors.joining(", ", "{", "}"));
        try (Statement statement = writer.createStatement()) {
            statement.execute("INSERT INTO m.big VALUES (1, REPEAT('\uD83D\uDE00\uD834\uDD1E', 30000), "
                    + "REPEAT(x'00FF20', 40000), " + json(bigArray) + ", 1), (2, 'small', x'00', "
                    + json(bigObject) + ", 2), (3, NULL, NULL, NULL, 3)");
            statement.execute("UPDATE m.big SET w = w + 10");
            statement.execute("UPDATE m.big SET lt = CONCAT(lt, 'x'), doc = JSON_ARRAY_APPEND(doc, '$', 1.0) "
                    + "WHERE id = 1");
            statement.execute("UPDATE m.big SET lb = REPEAT(x'20', 70000), doc = JSON_SET(doc, '$.key1', 2.5) "
                    + "WHERE id = 2");
            statement.execute("DELETE FROM m.big WHERE id = 3");
            writer.commit();
        }
    }

    /** Generated columns the target must compute itself; invisible columns it must be sent. */
    private static void writeGeneratedAndInvisibleColumns(Connection writer) throws SQLException {
        try (Statement statement = writer.createStatement()) {
            statement.execute("INSERT INTO m.gen (id, a, b, doc, w) VALUES (1, 2, 3, '{\"k\": \"one\"}', 1), "
                    + "(2, NULL, 5, NULL, 2), (3, -4, 6, '{\"k\": 3}', 3)");
            statement.execute("UPDATE m.gen SET a = a + 1 WHERE id = 1");
            statement.execute("UPDATE m.gen SET doc = JSON_SET(doc, '$.k', 'changed') WHERE id = 3");
            statement.execute("UPDATE m.gen SET w = 20 WHERE id = 2");
            statement.execute("DELETE FROM m.gen WHERE id = 2");
            statement.execute("INSERT INTO m.gen_nokey (a, w) VALUES (1, 1), (1, 1), (NULL, 2), (3, 3)");
            statement.execute("UPDATE m.gen_nokey SET a = 10 WHERE a = 1 LIMIT 1");
            statement.execute("DELETE FROM m.gen_nokey WHERE a IS NULL");
            statement.execute("INSERT INTO m.inv (id, h, a, d, e) VALUES (1, 'hidden', 1, '2024-01-01 00:00:00.25', 1)");
            statement.execute("INSERT INTO m.inv (id, a) VALUES (2, 2), (3, 3)");
            statement.execute("UPDATE m.inv SET h = 'seen' WHERE id = 2");
            statement.execute("UPDATE m.inv SET d = '2030-12-31 23:59:59.75', e = 5 WHERE id = 1");
            statement.execute("UPDATE m.inv SET a = 30 WHERE id = 3");
            statement.execute("DELETE FROM m.inv WHERE id = 1");
            writer.commit();
        }
    }

    /** Explicit ids, a gap, generated ids after it, and id 0, which NO_AUTO_VALUE_ON_ZERO keeps. */
    private static void writeAutoIncrement(Connection writer) throws SQLException {
        try (Statement statement = writer.createStatement()) {
            statement.execute("INSERT INTO m.ai (id, v) VALUES (5, 1)");
            statement.execute("INSERT INTO m.ai (v) VALUES (2)");
            statement.execute("INSERT INTO m.ai (id, v) VALUES (100, 3)");
            statement.execute("INSERT INTO m.ai (v) VALUES (4), (5)");
            statement.execute("INSERT INTO m.ai (id, v) VALUES (0, 6)");
            statement.execute("DELETE FROM m.ai WHERE id = 101");
            statement.execute("INSERT INTO m.ai (v) VALUES (7)");
            statement.execute("UPDATE m.ai SET id = 50 WHERE id = 6");
            writer.commit();
        }
    }

    private static void writeUniqueKeyTables(Connection writer) throws SQLException {
        try (Statement statement = writer.createStatement()) {
            statement.execute("INSERT INTO m.uk2 VALUES (1, 10, 'a'), (2, 20, NULL), (3, 30, 'c')");
            statement.execute("UPDATE m.uk2 SET z = 'changed' WHERE x = 1");
            statement.execute("UPDATE m.uk2 SET y = y + 1 WHERE x = 2");
            statement.execute("UPDATE m.uk2 SET x = 4 WHERE x = 3");
            statement.execute("DELETE FROM m.uk2 WHERE x = 1");
            statement.execute("INSERT INTO m.nuk VALUES (NULL, 1, 'same'), (NULL, 1, 'same'), (1, 1, NULL), "
                    + "(2, NULL, 'a'), (NULL, 1, 'SAME')");
            statement.execute("UPDATE m.nuk SET b = 2 WHERE a IS NULL AND CAST(c AS BINARY) = 'same' LIMIT 1");
            statement.execute("UPDATE m.nuk SET c = 'x' WHERE a = 1");
            statement.execute("DELETE FROM m.nuk WHERE CAST(c AS BINARY) = 'SAME'");
            statement.execute("DELETE FROM m.nuk WHERE a IS NULL AND b = 1 LIMIT 1");
            writer.commit();
        }
    }

    /** A JSON document as an SQL string literal. */
    private static String json(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private static TypedColumn column(String name, String type, String... values) {
        return new TypedColumn(name, type, List.of(values));
    }

    /** A matrix column: its name, its type and its values besides NULL, as SQL expressions. */
    private record TypedColumn(String name, String type, List<String> values) {
        /** Value number {@code index}, cycling through the values and then NULL. */
        String value(int index) {
            int position = index % (values.size() + 1);
            return position == values.size() ? "NULL" : values.get(position);
        }
    }
}
