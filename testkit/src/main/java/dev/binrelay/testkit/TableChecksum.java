package dev.binrelay.testkit;

import dev.binrelay.schema.ColumnShape;
import dev.binrelay.schema.Identifiers;
import dev.binrelay.schema.TableShapes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * An ordered row hash of a table: SHA-256 over every column's bytes (as MySQL returns them, NULL distinguished from
 * empty) of every row in primary-key order. Two tables hash alike only if they hold the same rows, byte for byte.
 *
 * @param rows   the row count
 * @param sha256 the hash, hex
 */
public record TableChecksum(long rows, String sha256) {

    /** Hashes {@code schema.table}, ordered by its primary key (or by every column if it has none). */
    public static TableChecksum of(Connection connection, String schema, String table) throws SQLException {
        List<String> order = orderColumns(connection, schema, table);
        MessageDigest digest = newDigest();
        long rows = 0;
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT * FROM " + Identifiers.qualified(schema, table)
                     + " ORDER BY " + String.join(", ", order))) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                rows++;
                for (int i = 1; i <= columns; i++) {
                    byte[] value = result.getBytes(i);
                    if (value == null) {
                        digest.update((byte) 0);
                    } else {
                        digest.update((byte) 1);
                        digest.update(Integer.toString(value.length).getBytes());
                        digest.update(value);
                    }
                }
            }
        }
        return new TableChecksum(rows, HexFormat.of().formatHex(digest.digest()));
    }

    /** The base tables of a schema, by name. */
    public static List<String> tables(Connection connection, String schema) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT table_name FROM information_schema.tables WHERE "
                     + "table_schema = '" + schema.replace("'", "''") + "' AND table_type = 'BASE TABLE' "
                     + "ORDER BY table_name")) {
            while (result.next()) {
                tables.add(result.getString(1));
            }
        }
        return tables;
    }

    /** The primary key's columns (MySQL's COLUMN_KEY {@code PRI}) in table order, else every column. */
    private static List<String> orderColumns(Connection connection, String schema, String table) throws SQLException {
        List<ColumnShape> columns = TableShapes.columns(connection, schema, table);
        if (columns.isEmpty()) {
            throw new SQLException("table " + schema + "." + table + " does not exist");
        }
        List<String> key = columns.stream().filter(column -> "PRI".equals(column.columnKey()))
                .map(column -> Identifiers.quote(column.name())).toList();
        return key.isEmpty() ? columns.stream().map(column -> Identifiers.quote(column.name())).toList() : key;
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
