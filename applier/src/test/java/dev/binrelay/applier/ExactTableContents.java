package dev.binrelay.applier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.binrelay.testkit.EmbeddedMySql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A table's rows as the exact bytes MySQL returns for each column, invisible and generated columns included (which
 * {@code SELECT *} and {@link dev.binrelay.testkit.TableChecksum} leave out or cannot see), in a canonical order so
 * that two servers can be compared row by row, column by column.
 *
 * <p>JSON columns are read as their storage size, their text and the JSON type of every value inside them: text
 * alone cannot tell a DECIMAL from a DOUBLE or a DATE from a string, and neither can {@code CHECKSUM TABLE}.
 */
final class ExactTableContents {
    private static final HexFormat HEX = HexFormat.of();

    private ExactTableContents() {
    }

    /** Asserts that the table holds the same rows, byte for byte, on both servers, and the same CHECKSUM TABLE. */
    static void assertSame(EmbeddedMySql source, EmbeddedMySql target, String schema, String table)
            throws SQLException {
        try (Connection sourceConnection = connect(source); Connection targetConnection = connect(target)) {
            List<String> columns = columns(sourceConnection, schema, table);
            assertThat(columns(targetConnection, schema, table)).as("columns of %s.%s on the target", schema, table)
                    .isEqualTo(columns);
            List<List<String>> expected = rows(sourceConnection, schema, table, columns);
            List<List<String>> actual = rows(targetConnection, schema, table, columns);
            for (int row = 0; row < Math.min(expected.size(), actual.size()); row++) {
                for (int column = 0; column < columns.size(); column++) {
                    String want = expected.get(row).get(column);
                    String got = actual.get(row).get(column);
                    if (!want.equals(got)) {
                        fail("%s.%s, row %d (%s), column %s: source %s, target %s", schema, table, row,
                                abbreviate(String.join(" | ", expected.get(row))), columns.get(column).split(" ")[0],
                                abbreviate(want), abbreviate(got));
                    }
                }
            }
            assertThat(actual.size()).as("rows of %s.%s on the target", schema, table).isEqualTo(expected.size());
            assertThat(checksum(targetConnection, schema, table)).as("CHECKSUM TABLE %s.%s", schema, table)
                    .isEqualTo(checksum(sourceConnection, schema, table));
        }
    }

    private static Connection connect(EmbeddedMySql server) throws SQLException {
        Connection connection = server.connect();
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET SESSION time_zone = '+00:00', group_concat_max_len = 16777216");
        }
        return connection;
    }

    /** "name data_type" of every column, in ordinal order. */
    private static List<String> columns(Connection connection, String schema, String table) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT column_name, column_type, extra "
                     + "FROM information_schema.columns WHERE table_schema = '" + schema + "' AND table_name = '"
                     + table + "' ORDER BY ordinal_position")) {
            while (rows.next()) {
                columns.add(rows.getString(1) + " " + rows.getString(2) + " " + rows.getString(3));
            }
        }
        assertThat(columns).as("columns of %s.%s", schema, table).isNotEmpty();
        return columns;
    }

    /** Every row as one rendered value per column, sorted, so that tables without a key compare as multisets. */
    private static List<List<String>> rows(Connection connection, String schema, String table, List<String> columns)
            throws SQLException {
        List<String> select = new ArrayList<>();
        for (String column : columns) {
            String name = '`' + column.split(" ")[0] + '`';
            if (column.split(" ")[1].equals("json")) {
                String value = "r." + name;
                select.add("CONCAT_WS(' ~ ', JSON_STORAGE_SIZE(" + value + "), CAST(" + value + " AS CHAR), "
                        + "(SELECT GROUP_CONCAT(COALESCE(JSON_TYPE(jt.v), 'NULL') ORDER BY jt.n) FROM JSON_TABLE("
                        + "JSON_ARRAY(JSON_ARRAY(" + value + "), JSON_EXTRACT(" + value + ", '$**.*'), JSON_EXTRACT("
                        + value + ", '$**[*]')), '$[*][*]' COLUMNS (n FOR ORDINALITY, v JSON PATH '$')) AS jt))");
            } else {
                select.add("r." + name);
            }
        }
        List<List<String>> result = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT " + String.join(", ", select) + " FROM `" + schema
                     + "`.`" + table + "` AS r")) {
            while (rows.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= columns.size(); i++) {
                    byte[] value = rows.getBytes(i);
                    row.add(value == null ? "NULL" : "0x" + HEX.formatHex(value));
                }
                result.add(row);
            }
        }
        result.sort((a, b) -> String.join("|", a).compareTo(String.join("|", b)));
        return result;
    }

    private static long checksum(Connection connection, String schema, String table) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("CHECKSUM TABLE `" + schema + "`.`" + table + "`")) {
            rows.next();
            return rows.getLong(2);
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 600 ? text : text.substring(0, 600) + "... (" + text.length() + " chars)";
    }
}
