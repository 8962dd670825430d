package dev.binrelay.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.binrelay.engine.Replica;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * verify over MySQL's types: keyset pagination over a primary key of each type visits every row exactly once, and a
 * change of any column of any type, however small, is found.
 */
class TypeMatrixTest {
    @RegisterExtension
    static final ReplicaPair servers = new ReplicaPair();

    private static final int KEY_ROWS = 60;

    /** A primary key type and the SQL value of row {@code n} (1 to 60, all distinct). */
    private record KeyType(String table, String columnType, String value) {
    }

    private static final List<KeyType> KEY_TYPES = List.of(
            new KeyType("k_int", "INT", "n * 37 % 1000 - 500"),
            new KeyType("k_bigint_unsigned", "BIGINT UNSIGNED", "18446744073709551615 - n * 1000003"),
            new KeyType("k_varchar_ci", "VARCHAR(20) CHARACTER SET utf8mb4",
                    "CONCAT(ELT(1 + n % 4, '\u00e9', 'E', 'z', '\u00c4'), '-', n)"),
            new KeyType("k_varchar_latin1", "VARCHAR(20) CHARACTER SET latin1",
                    "CONCAT(ELT(1 + n % 3, '\u00fc', 'u', '\u00df'), n)"),
            new KeyType("k_varchar_bin", "VARCHAR(20) COLLATE utf8mb4_bin", "CONCAT(IF(n % 2, 'a', 'A'), n)"),
            new KeyType("k_char", "CHAR(3)", "LPAD(n, 3, 'x')"),
            new KeyType("k_varbinary", "VARBINARY(8)",
                    "CONCAT(IF(n % 2, X'00', X'FF'), UNHEX(LPAD(HEX(n * 4099 % 65536), 4, '0')))"),
            new KeyType("k_decimal", "DECIMAL(10,3)", "n * 1.001 - 30"),
            new KeyType("k_double", "DOUBLE", "CAST(n AS DOUBLE) / 7 - 3"),
            new KeyType("k_date", "DATE", "DATE '2000-01-01' + INTERVAL n * 97 DAY"),
            new KeyType("k_datetime", "DATETIME(6)", "TIMESTAMP '2020-01-01 00:00:00' + INTERVAL n * 1000001 "
                    + "MICROSECOND"),
            new KeyType("k_timestamp", "TIMESTAMP(6)", "TIMESTAMP '2021-06-01 00:00:00' + INTERVAL n * 7 SECOND"),
            new KeyType("k_time", "TIME(6)", "MAKETIME(n - 30, n % 60, 0)"),
            new KeyType("k_year", "YEAR", "1901 + n"),
            new KeyType("k_float", "FLOAT", "CAST(n AS FLOAT) / 3"));

    @Test
    void keysetPaginationOverEveryKeyTypeVisitsEachRowOnce() throws Exception {
        Replica replica = servers.startReplica();
        try {
            List<String> statements = new ArrayList<>(List.of("CREATE DATABASE keys_db",
                    "CREATE TABLE keys_db.composite_desc (a VARCHAR(10), b INT, v INT, PRIMARY KEY (a, b DESC))",
                    "INSERT INTO keys_db.composite_desc WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 "
                            + "FROM s WHERE n < " + KEY_ROWS + ") SELECT CONCAT('g', n % 4), n, n FROM s",
                    "CREATE TABLE keys_db.k_enum (k ENUM('x', 'y', 'z', 'a') PRIMARY KEY, v INT)",
                    "INSERT INTO keys_db.k_enum VALUES ('a', 1), ('x', 2), ('z', 3)"));
            for (KeyType type : KEY_TYPES) {
                statements.add("CREATE TABLE keys_db." + type.table() + " (k " + type.columnType()
                        + " PRIMARY KEY, v INT)");
                statements.add("INSERT INTO keys_db." + type.table() + " WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL "
                        + "SELECT n + 1 FROM s WHERE n < " + KEY_ROWS + ") SELECT " + type.value() + ", n FROM s");
            }
            servers.source().execute(statements.toArray(String[]::new));
            servers.awaitCaughtUp(replica);

            VerifyReport report = servers.verifier().chunkRows(7).build().verify();

            for (TableReport table : report.tables()) {
                String count = servers.source().queryString("SELECT COUNT(*) FROM keys_db." + table.table());
                assertThat(table.identical()).as(table.toString()).isTrue();
                assertThat(table.rows()).as(table.name() + " rows visited").isEqualTo(Long.parseLong(count));
                // ENUM keys sort by index but compare as text; FLOAT keys print inexactly: one chunk each.
                boolean paginated = !table.table().equals("k_enum") && !table.table().equals("k_float");
                assertThat(table.chunking()).as(table.name()).isEqualTo(paginated ? TableReport.Chunking.PRIMARY_KEY
                        : TableReport.Chunking.ONE_CHUNK_KEY_TYPE);
                assertThat(table.chunks()).as(table.name()).isEqualTo(paginated ? KEY_ROWS / 7 + 1 : 1);
            }
            assertThat(report.tables()).hasSize(KEY_TYPES.size() + 2);
        } finally {
            replica.stop();
        }
    }

    /** A column, its value on the source and a slightly different one planted on the target. */
    private record Change(String column, String sourceValue, String targetValue) {
    }

    private static final List<Change> CHANGES = List.of(
            new Change("c_tinyint", "5", "6"),
            new Change("c_bigint", "18446744073709551615", "18446744073709551614"),
            new Change("c_decimal", "1.0000000001", "1.0000000002"),
            new Change("c_float", "1.5", "1.25"),
            new Change("c_double", "0.1", "0.1 + 1e-15"),
            new Change("c_bit", "b'1010101010'", "b'1010101011'"),
            new Change("c_date", "'2024-02-29'", "'2024-03-01'"),
            new Change("c_datetime", "'2024-02-29 23:59:59.999999'", "'2024-02-29 23:59:59.999998'"),
            new Change("c_timestamp", "'2038-01-19 03:14:07.000001'", "'2038-01-19 03:14:07.000002'"),
            new Change("c_time", "'-838:59:59.000000'", "'-838:59:58.999999'"),
            new Change("c_year", "2024", "2025"),
            new Change("c_char", "'ab'", "'aB'"),
            new Change("c_varchar", "'abc'", "'abc '"),
            new Change("c_latin1", "'\u00e9'", "'e'"),
            new Change("c_binary", "X'01020304'", "X'01020305'"),
            new Change("c_varbinary", "X'00'", "X'0000'"),
            new Change("c_text", "'text'", "NULL"),
            new Change("c_blob", "X'00'", "X''"),
            new Change("c_longtext", "REPEAT('long ', 50000)", "CONCAT(REPEAT('long ', 49999), 'lonG ')"),
            new Change("c_json", "'{\"a\": 1}'", "'{\"a\": 1.0}'"),
            new Change("c_enum", "'a'", "'b'"),
            new Change("c_set", "'x'", "'x,y'"),
            new Change("c_point", "ST_GeomFromText('POINT(1 2)')", "ST_GeomFromText('POINT(1 3)')"));

    @Test
    void aSmallChangeOfAnyColumnTypeIsFoundAndNothingElse() throws Exception {
        Replica replica = servers.startReplica();
        try {
            StringBuilder columns = new StringBuilder();
            StringBuilder names = new StringBuilder();
            StringBuilder values = new StringBuilder();
            Map<String, String> types = Map.ofEntries(Map.entry("c_tinyint", "TINYINT"),
                    Map.entry("c_bigint", "BIGINT UNSIGNED"), Map.entry("c_decimal", "DECIMAL(30,10)"),
                    Map.entry("c_float", "FLOAT"), Map.entry("c_double", "DOUBLE"), Map.entry("c_bit", "BIT(10)"),
                    Map.entry("c_date", "DATE"), Map.entry("c_datetime", "DATETIME(6)"),
                    Map.entry("c_timestamp", "TIMESTAMP(6) NULL"), Map.entry("c_time", "TIME(6)"),
                    Map.entry("c_year", "YEAR"), Map.entry("c_char", "CHAR(5)"),
                    Map.entry("c_varchar", "VARCHAR(30) CHARACTER SET utf8mb4"),
                    Map.entry("c_latin1", "VARCHAR(30) CHARACTER SET latin1"), Map.entry("c_binary", "BINARY(4)"),
                    Map.entry("c_varbinary", "VARBINARY(10)"), Map.entry("c_text", "TEXT"),
                    Map.entry("c_blob", "BLOB"), Map.entry("c_longtext", "LONGTEXT"), Map.entry("c_json", "JSON"),
                    Map.entry("c_enum", "ENUM('a','b')"), Map.entry("c_set", "SET('x','y')"),
                    Map.entry("c_point", "POINT"));
            for (Change change : CHANGES) {
                columns.append(", ").append(change.column()).append(' ').append(types.get(change.column()));
                names.append(", ").append(change.column());
                values.append(", ").append(change.sourceValue());
            }
            List<String> statements = new ArrayList<>(List.of("CREATE DATABASE types_db",
                    "CREATE TABLE types_db.t (id INT PRIMARY KEY" + columns + ", c_generated INT AS (id * 2) VIRTUAL)",
                    "INSERT INTO types_db.t (id) VALUES (1000)")); // every column NULL, left alone
            for (int id = 0; id <= CHANGES.size() + 1; id++) {
                statements.add("INSERT INTO types_db.t (id" + names + ") VALUES (" + id + values + ")");
            }
            // The '#' separator moved between two adjacent text columns: the same bytes concatenated.
            statements.add("UPDATE types_db.t SET c_varchar = 'a#', c_latin1 = 'b' WHERE id = " + (CHANGES.size() + 1));
            servers.source().execute(statements.toArray(String[]::new));
            servers.awaitCaughtUp(replica);
            List<String> planted = new ArrayList<>();
            for (int i = 0; i < CHANGES.size(); i++) {
                Change change = CHANGES.get(i);
                planted.add("UPDATE types_db.t SET " + change.column() + " = " + change.targetValue() + " WHERE id = "
                        + (i + 1));
            }
            planted.add("UPDATE types_db.t SET c_varchar = 'a', c_latin1 = '#b' WHERE id = " + (CHANGES.size() + 1));
            servers.target().execute(planted.toArray(String[]::new));

            VerifyReport report = servers.verifier().chunkRows(5).build().verify();

            TableReport table = report.tables().get(0);
            assertThat(table.unverified()).isEmpty();
            List<String> expected = new ArrayList<>();
            for (int id = 1; id <= CHANGES.size() + 1; id++) {
                expected.add("different id=" + id);
            }
            assertThat(table.differences()).extracting(row -> row.kind().label() + " " + row.describe())
                    .containsExactlyElementsOf(expected);
            assertThat(table.unlistedDifferences()).isZero();
            assertThat(table.rows()).isEqualTo(CHANGES.size() + 3);
        } finally {
            replica.stop();
        }
    }
}
