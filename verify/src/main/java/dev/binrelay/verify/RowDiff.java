package dev.binrelay.verify;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the rows that differ in one chunk from the per-row hashes of both sides: by primary key when the table has
 * one (missing, extra, different), otherwise as multisets of whole rows (missing or extra; a changed row is one of
 * each).
 */
final class RowDiff {
    private final ComparedTable table;
    private final List<String> identityColumns;

    RowDiff(ComparedTable table) {
        this.table = table;
        this.identityColumns = (table.key().isEmpty() ? table.columns() : table.key()).stream().map(Column::name)
                .toList();
    }

    /** One row: its identity (key values, or every column's value without a key) in full, and its hash. */
    record HashedRow(List<String> identity, String hash) {
    }

    /** Runs a {@link ChunkQueries#rowHashes} query. */
    List<HashedRow> read(Connection connection, ChunkQueries.Query query) throws SQLException {
        List<HashedRow> rows = new ArrayList<>();
        List<Column> identity = table.key().isEmpty() ? table.columns() : table.key();
        try (PreparedStatement statement = connection.prepareStatement(query.sql())) {
            query.bind(statement);
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    List<String> values = new ArrayList<>(identity.size());
                    for (int i = 0; i < identity.size(); i++) {
                        Column column = identity.get(i);
                        values.add(table.key().isEmpty() ? column.display(result, i + 1)
                                : Column.keyText(column.readKey(result, i + 1)));
                    }
                    rows.add(new HashedRow(values, result.getString(identity.size() + 1)));
                }
            }
        }
        return rows;
    }

    /** The differences between the source's and the target's rows, in the source's order, then the extra rows. */
    List<RowDifference> compare(List<HashedRow> source, List<HashedRow> target) {
        return table.key().isEmpty() ? compareMultisets(source, target) : compareByKey(source, target);
    }

    private List<RowDifference> compareByKey(List<HashedRow> source, List<HashedRow> target) {
        Map<List<String>, String> targetHashes = new LinkedHashMap<>();
        for (HashedRow row : target) {
            targetHashes.put(row.identity(), row.hash());
        }
        List<RowDifference> differences = new ArrayList<>();
        for (HashedRow row : source) {
            String targetHash = targetHashes.remove(row.identity());
            if (targetHash == null) {
                differences.add(difference(RowDifference.Kind.MISSING_ON_TARGET, row.identity()));
            } else if (!targetHash.equals(row.hash())) {
                differences.add(difference(RowDifference.Kind.DIFFERENT, row.identity()));
            }
        }
        for (List<String> extra : targetHashes.keySet()) {
            differences.add(difference(RowDifference.Kind.EXTRA_ON_TARGET, extra));
        }
        return differences;
    }

    /** Rows without a key have no identity but their content: each copy on one side needs a copy on the other. */
    private List<RowDifference> compareMultisets(List<HashedRow> source, List<HashedRow> target) {
        Map<String, Integer> targetCopies = new HashMap<>();
        for (HashedRow row : target) {
            targetCopies.merge(row.hash(), 1, Integer::sum);
        }
        List<RowDifference> differences = new ArrayList<>();
        Map<String, Integer> sourceCopies = new HashMap<>();
        for (HashedRow row : source) {
            int unmatched = targetCopies.getOrDefault(row.hash(), 0);
            if (unmatched > 0) {
                targetCopies.put(row.hash(), unmatched - 1);
            } else {
                differences.add(difference(RowDifference.Kind.MISSING_ON_TARGET, row.identity()));
            }
            sourceCopies.merge(row.hash(), 1, Integer::sum);
        }
        for (HashedRow row : target) {
            int unmatched = sourceCopies.getOrDefault(row.hash(), 0);
            if (unmatched > 0) {
                sourceCopies.put(row.hash(), unmatched - 1);
            } else {
                differences.add(difference(RowDifference.Kind.EXTRA_ON_TARGET, row.identity()));
            }
        }
        return differences;
    }

    private RowDifference difference(RowDifference.Kind kind, List<String> identity) {
        return new RowDifference(kind, identityColumns, identity.stream().map(Column::shortened).toList());
    }
}
