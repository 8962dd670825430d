package dev.binrelay.benchmarks;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * sysbench's {@code sbtestN} tables (id, k, c, pad with an index on k), spread over one schema or several, filled
 * with rows computed from their id, so that every server holds the same rows.
 */
final class SbtestTables {
    /** Rows per multi-row INSERT while filling: one statement per thousand rows, far below max_allowed_packet. */
    private static final int FILL_ROWS_PER_STATEMENT = 1000;

    private final List<String> tables;
    private final int tableSize;

    private SbtestTables(List<String> tables, int tableSize) {
        this.tables = List.copyOf(tables);
        this.tableSize = tableSize;
    }

    /** {@code sbtest.sbtest1} to {@code sbtest.sbtestN}, as sysbench creates them. */
    static SbtestTables inOneSchema(int count, int tableSize) {
        List<String> tables = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            tables.add("sbtest.sbtest" + i);
        }
        return new SbtestTables(tables, tableSize);
    }

    /** {@code sbtest1.sbtest1} to {@code sbtestN.sbtest1}: one table per schema. */
    static SbtestTables oneSchemaEach(int count, int tableSize) {
        List<String> tables = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            tables.add("sbtest" + i + ".sbtest1");
        }
        return new SbtestTables(tables, tableSize);
    }

    List<String> schemas() {
        LinkedHashSet<String> schemas = new LinkedHashSet<>();
        for (String table : tables) {
            schemas.add(table.substring(0, table.indexOf('.')));
        }
        return List.copyOf(schemas);
    }

    int tableSize() {
        return tableSize;
    }

    /** A table picked uniformly, as sysbench does. */
    String randomTable(ThreadLocalRandom random) {
        return tables.get(random.nextInt(tables.size()));
    }

    /** The first table, for workloads that concentrate on it. */
    String firstTable() {
        return tables.get(0);
    }

    /** An id picked uniformly among the initial rows. */
    int randomId(ThreadLocalRandom random) {
        return 1 + random.nextInt(tableSize);
    }

    void create(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String schema : schemas()) {
                statement.execute("CREATE DATABASE " + schema);
            }
            for (String table : tables) {
                statement.execute("CREATE TABLE " + table + " (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, "
                        + "k INT NOT NULL DEFAULT 0, c CHAR(120) NOT NULL DEFAULT '', pad CHAR(60) NOT NULL DEFAULT '', "
                        + "KEY k_1 (k))");
                fill(statement, table);
            }
        }
    }

    private void fill(Statement statement, String table) throws SQLException {
        for (int first = 1; first <= tableSize; first += FILL_ROWS_PER_STATEMENT) {
            int last = Math.min(tableSize, first + FILL_ROWS_PER_STATEMENT - 1);
            StringBuilder insert = new StringBuilder("INSERT INTO ").append(table).append(" VALUES ");
            for (int id = first; id <= last; id++) {
                insert.append(id > first ? "," : "").append('(').append(id).append(',')
                        .append((id * 2654435761L) % tableSize).append(",'").append(text(id, 120)).append("','")
                        .append(text(id * 7L, 60)).append("')");
            }
            statement.execute(insert.toString());
        }
    }

    /** sysbench's c and pad: groups of digits joined by dashes, from a seed. */
    static String text(long seed, int length) {
        StringBuilder text = new StringBuilder(length);
        long value = seed;
        while (text.length() < length) {
            value = value * 6364136223846793005L + 1442695040888963407L;
            text.append(Math.abs(value % 100_000_000_000L)).append('-');
        }
        return text.substring(0, length - 1);
    }
}
