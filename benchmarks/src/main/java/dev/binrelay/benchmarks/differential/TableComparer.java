package dev.binrelay.benchmarks.differential;

import dev.binrelay.testkit.EmbeddedMySql;
import dev.binrelay.testkit.TableChecksum;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;

/**
 * Byte-identical comparison of every row of every table of some schemas: each side's rows are read whole (every
 * column's bytes as the server returns them, NULL distinct from empty), sorted by all columns in byte order (not by
 * collation, under which {@code 'a'} and {@code 'A'} tie), and compared row by row. A difference names the table, the
 * row counts and the first differing row of each side.
 */
final class TableComparer {
    private static final Comparator<byte[]> CELL = Comparator.nullsFirst(Arrays::compareUnsigned);
    private static final Comparator<byte[][]> ROW = (a, b) -> {
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            int c = CELL.compare(a[i], b[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.length, b.length);
    };

    private TableComparer() {
    }

    /** The differences of {@code other} from {@code source} in {@code schemas}; empty when identical. */
    static List<String> differences(EmbeddedMySql source, EmbeddedMySql other, List<String> schemas)
            throws SQLException {
        List<String> differences = new ArrayList<>();
        try (Connection s = source.connect(); Connection o = other.connect()) {
            for (String schema : schemas) {
                TreeSet<String> tables = new TreeSet<>(TableChecksum.tables(s, schema));
                List<String> otherTables = TableChecksum.tables(o, schema);
                for (String extra : otherTables) {
                    if (!tables.contains(extra)) {
                        differences.add(schema + "." + extra + ": only on " + other);
                    }
                }
                for (String table : tables) {
                    if (!otherTables.contains(table)) {
                        differences.add(schema + "." + table + ": missing on " + other);
                        continue;
                    }
                    String difference = compare(s, o, schema, table);
                    if (difference != null) {
                        differences.add(schema + "." + table + ": " + difference);
                    }
                }
            }
        }
        return differences;
    }

    private static String compare(Connection source, Connection other, String schema, String table)
            throws SQLException {
        Rows expected = read(source, schema, table);
        Rows actual = read(other, schema, table);
        if (!expected.columns.equals(actual.columns)) {
            return "columns " + actual.columns + ", source " + expected.columns;
        }
        int common = Math.min(expected.rows.size(), actual.rows.size());
        for (int i = 0; i < common; i++) {
            if (ROW.compare(expected.rows.get(i), actual.rows.get(i)) != 0) {
                return actual.rows.size() + " rows, source " + expected.rows.size() + "; first difference at row "
                        + i + ": target " + render(actual.rows.get(i)) + ", source " + render(expected.rows.get(i));
            }
        }
        if (expected.rows.size() != actual.rows.size()) {
            List<byte[][]> longer = expected.rows.size() > common ? expected.rows : actual.rows;
            return actual.rows.size() + " rows, source " + expected.rows.size() + "; first row only on the "
                    + (longer == expected.rows ? "source" : "target") + ": " + render(longer.get(common));
        }
        return null;
    }

    private static Rows read(Connection connection, String schema, String table) throws SQLException {
        List<byte[][]> rows = new ArrayList<>();
        List<String> columns = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT * FROM `" + schema + "`.`" + table + "`")) {
            ResultSetMetaData meta = result.getMetaData();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                columns.add(meta.getColumnName(i));
            }
            while (result.next()) {
                byte[][] row = new byte[columns.size()][];
                for (int i = 0; i < row.length; i++) {
                    row[i] = result.getBytes(i + 1);
                }
                rows.add(row);
            }
        }
        rows.sort(ROW);
        return new Rows(columns, rows);
    }

    /** A row for a message: printable UTF-8 as text, anything else as hex. */
    private static String render(byte[][] row) {
        List<String> cells = new ArrayList<>();
        for (byte[] cell : row) {
            if (cell == null) {
                cells.add("NULL");
                continue;
            }
            String text = new String(cell, StandardCharsets.UTF_8);
            boolean printable = text.codePoints().allMatch(c -> c >= 0x20 && c != 0xFFFD);
            cells.add(printable ? "'" + text + "'" : "0x" + HexFormat.of().formatHex(cell));
        }
        return "(" + String.join(", ", cells) + ")";
    }

    private record Rows(List<String> columns, List<byte[][]> rows) {
    }
}
