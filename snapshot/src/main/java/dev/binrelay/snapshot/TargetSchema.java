package dev.binrelay.snapshot;

import dev.binrelay.schema.Identifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the copied schemas, tables and views on the target from the source's own CREATE statements. A table that
 * already exists is kept if it is empty (a first run interrupted before the copy began left it) and refused if it
 * holds rows, which the copy would mix with its own.
 */
final class TargetSchema {
    private static final Logger LOG = LoggerFactory.getLogger(TargetSchema.class);
    private static final int ER_NO_SUCH_TABLE = 1146;

    private TargetSchema() {
    }

    static void create(Connection target, Map<String, String> schemas, List<TableDefinition> tables,
                       List<SchemaReader.View> views) throws SQLException {
        try (Statement statement = target.createStatement()) {
            for (String createSchema : schemas.values()) {
                statement.execute(createSchema);
            }
            for (TableDefinition table : tables) {
                if (holdsRows(statement, table)) {
                    throw new SnapshotException("target table " + table.targetDisplayName() + " already exists and "
                            + "holds rows: a snapshot copies only into missing or empty tables (drop or empty it, or "
                            + "leave its schema out of snapshot.schemas)");
                }
            }
            for (TableDefinition table : tables) {
                if (!exists(target, table.targetSchema(), table.name())) {
                    statement.execute("USE " + Identifiers.quote(table.targetSchema()));
                    statement.execute(table.createSql());
                }
            }
            createViews(target, statement, views);
        }
        target.commit();
    }

    /**
     * Creates the views that do not exist yet. A view may select from another view created after it in name order:
     * those failing are tried again while each round creates at least one.
     */
    private static void createViews(Connection target, Statement statement, List<SchemaReader.View> views)
            throws SQLException {
        List<SchemaReader.View> left = new ArrayList<>();
        for (SchemaReader.View view : views) {
            if (!exists(target, view.targetSchema(), view.name())) {
                left.add(view);
            }
        }
        while (!left.isEmpty()) {
            List<SchemaReader.View> failed = new ArrayList<>();
            SQLException last = null;
            for (SchemaReader.View view : left) {
                try {
                    statement.execute("USE " + Identifiers.quote(view.targetSchema()));
                    statement.execute(view.createSql());
                } catch (SQLException e) {
                    failed.add(view);
                    last = e;
                }
            }
            if (failed.size() == left.size()) {
                SchemaReader.View view = failed.get(0);
                throw new SnapshotException("cannot create view " + view.targetSchema() + "." + view.name()
                        + " on the target: " + last.getMessage() + " (error " + last.getErrorCode() + ")", last);
            }
            left = failed;
        }
        if (!views.isEmpty()) {
            LOG.info("{} views created on the target", views.size());
        }
    }

    private static boolean holdsRows(Statement statement, TableDefinition table) throws SQLException {
        try (ResultSet row = statement.executeQuery("SELECT 1 FROM " + table.targetQuotedName() + " LIMIT 1")) {
            return row.next();
        } catch (SQLException e) {
            if (e.getErrorCode() == ER_NO_SUCH_TABLE || e.getErrorCode() == 1049) {
                return false;
            }
            throw e;
        }
    }

    private static boolean exists(Connection target, String schema, String name) throws SQLException {
        try (PreparedStatement statement = target.prepareStatement("SELECT 1 FROM information_schema.TABLES WHERE "
                + "TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
            statement.setString(1, schema);
            statement.setString(2, name);
            try (ResultSet row = statement.executeQuery()) {
                return row.next();
            }
        }
    }
}
