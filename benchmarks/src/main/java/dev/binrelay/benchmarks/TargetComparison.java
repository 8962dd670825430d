package dev.binrelay.benchmarks;

import dev.binrelay.testkit.EmbeddedMySql;
import dev.binrelay.testkit.TableChecksum;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Whether a target holds what the source holds, table by table (testkit's ordered SHA-256 of every row). */
final class TargetComparison {

    private TargetComparison() {
    }

    /** The source's tables of these schemas that the target lacks or holds differently; empty when identical. */
    static List<String> differences(EmbeddedMySql source, EmbeddedMySql target, List<String> schemas)
            throws SQLException {
        List<String> differing = new ArrayList<>();
        try (Connection s = source.connect(); Connection t = target.connect()) {
            for (String schema : schemas) {
                for (String table : TableChecksum.tables(s, schema)) {
                    TableChecksum expected = TableChecksum.of(s, schema, table);
                    TableChecksum actual;
                    try {
                        actual = TableChecksum.of(t, schema, table);
                    } catch (SQLException e) {
                        differing.add(schema + "." + table + " (" + e.getMessage() + ")");
                        continue;
                    }
                    if (!expected.equals(actual)) {
                        differing.add(schema + "." + table + " (" + actual.rows() + " rows, source "
                                + expected.rows() + ")");
                    }
                }
            }
        }
        return differing;
    }
}
