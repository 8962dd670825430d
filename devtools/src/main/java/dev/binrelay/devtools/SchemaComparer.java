package dev.binrelay.devtools;

import dev.binrelay.cli.config.BinrelayConfig;
import dev.binrelay.checkpoint.CheckpointStore;
import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.testkit.EmbeddedMySql;
import dev.binrelay.testkit.TableChecksum;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Compares a schema on the source and on the target table by table, and the target's checkpoint with the source. */
final class SchemaComparer {
    private SchemaComparer() {
    }

    /**
     * Compares {@code schema} on both servers.
     *
     * @param applied    what the replica reports as applied
     * @param checkpoint the checkpoint settings, to read the checkpoint table the applier keeps on the target
     */
    static Verification compare(EmbeddedMySql source, EmbeddedMySql target, String schema, GtidSet applied,
                                BinrelayConfig.Checkpoint checkpoint) throws SQLException {
        try (Connection onSource = source.connect(); Connection onTarget = target.connect()) {
            List<String> sourceTables = TableChecksum.tables(onSource, schema);
            List<String> targetTables = TableChecksum.tables(onTarget, schema);
            TreeSet<String> names = new TreeSet<>(sourceTables);
            names.addAll(targetTables);
            List<TableComparison> tables = new ArrayList<>();
            for (String table : names) {
                tables.add(new TableComparison(table,
                        sourceTables.contains(table) ? TableChecksum.of(onSource, schema, table) : null,
                        targetTables.contains(table) ? TableChecksum.of(onTarget, schema, table) : null));
            }
            GtidSet stored = new CheckpointStore(checkpoint.schema(), checkpoint.channel()).load(onTarget);
            return new Verification(schema, tables, GtidSet.parse(source.gtidExecuted()), applied, stored);
        }
    }
}
