package dev.binrelay.applier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.engine.Replica;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The catch-up window of a resumed snapshot on tables linked by foreign keys: its transactions are replayed without
 * deleting and re-inserting rows that others reference, and a child whose parent is gone on the target is skipped
 * inside the window only.
 */
class ReplayWithoutDestructionTest {
    @RegisterExtension
    static final ReplicaFixture fixture = new ReplicaFixture();

    private static final String PARENT = "CREATE TABLE shop.parent (id INT PRIMARY KEY, name VARCHAR(20) NOT NULL, "
            + "u INT NOT NULL, UNIQUE KEY (u))";

    private static String child(String onDelete) {
        return "CREATE TABLE shop.child (id INT PRIMARY KEY, parent_id INT NOT NULL, FOREIGN KEY (parent_id) "
                + "REFERENCES shop.parent (id) ON DELETE " + onDelete + ")";
    }

    @Test
    void anUpdateOfAParentInTheWindowKeepsItsCascadingChildren() throws Exception {
        GtidSet window = parentRenamedInWindow("CASCADE");
        Replica replica = fixture.startReplica(windowApplier(window));
        try {
            fixture.awaitCaughtUp(replica);
            assertThat(count("shop.child")).as("children on the target").isEqualTo(2);
            fixture.assertTablesMatch("shop");
            assertThat(fixture.targetCheckpoint()).isEqualTo(GtidSet.parse(fixture.source().gtidExecuted()));
        } finally {
            replica.stop();
        }
    }

    @Test
    void anUpdateOfAParentWithRestrictedChildrenInTheWindowCatchesUp() throws Exception {
        GtidSet window = parentRenamedInWindow("RESTRICT");
        Replica replica = fixture.startReplica(windowApplier(window));
        try {
            fixture.awaitCaughtUp(replica);
            fixture.assertTablesMatch("shop");
            assertThat(fixture.targetCheckpoint()).isEqualTo(GtidSet.parse(fixture.source().gtidExecuted()));
        } finally {
            replica.stop();
        }
    }

    @Test
    void aChildInsertWhoseParentTheCopyNoLongerSawIsSkippedInTheWindow() throws Exception {
        fixture.source().execute("CREATE DATABASE shop", PARENT, child("CASCADE"),
                "INSERT INTO shop.parent VALUES (1,'a',1),(2,'a',2)", "INSERT INTO shop.child VALUES (10,1)");
        fixture.target().execute("CREATE DATABASE shop", PARENT, child("CASCADE"));
        fixture.fixStartPositionNow();
        GtidSet first = GtidSet.parse(fixture.source().gtidExecuted());
        copy("child"); // copied before the window
        // The window: a child of parent 2, then parent 2's delete (which cascades to the child on the source).
        fixture.source().execute("INSERT INTO shop.child VALUES (20,2)", "DELETE FROM shop.parent WHERE id = 2");
        GtidSet window = GtidSet.parse(fixture.source().gtidExecuted()).subtract(first);
        copy("parent"); // copied after the window: parent 2 is gone

        Replica replica = fixture.startReplica(windowApplier(window));
        try {
            fixture.awaitCaughtUp(replica);
            fixture.assertTablesMatch("shop");
            assertThat(fixture.targetCheckpoint()).isEqualTo(GtidSet.parse(fixture.source().gtidExecuted()));
        } finally {
            replica.stop();
        }
    }

    @Test
    void windowUpdatesOfRowsTheTargetHoldsNewerOrNoLongerHoldsConverge() throws Exception {
        fixture.source().execute("CREATE DATABASE shop", PARENT, child("CASCADE"),
                "INSERT INTO shop.parent VALUES (1,'a',1),(2,'a',2)",
                "INSERT INTO shop.child VALUES (10,1),(20,2)");
        fixture.target().execute("CREATE DATABASE shop", PARENT, child("CASCADE"));
        fixture.fixStartPositionNow();
        GtidSet first = GtidSet.parse(fixture.source().gtidExecuted());
        copy("child"); // before the window
        fixture.source().execute(
                "UPDATE shop.parent SET name = 'b' WHERE id = 1",
                "UPDATE shop.parent SET name = 'b' WHERE id = 2",
                "UPDATE shop.parent SET name = 'c' WHERE id = 1",
                "DELETE FROM shop.child WHERE parent_id = 2",
                "DELETE FROM shop.parent WHERE id = 2",
                // A unique value held, in the target's newer copy, by another row: row 9's first state collides.
                "INSERT INTO shop.parent VALUES (9,'d',5)",
                "UPDATE shop.parent SET u = 6 WHERE id = 9",
                "INSERT INTO shop.parent VALUES (10,'e',5)",
                "INSERT INTO shop.child VALUES (30,10)");
        GtidSet window = GtidSet.parse(fixture.source().gtidExecuted()).subtract(first);
        copy("parent"); // after the window: parent 1 newer ('c'), parent 2 gone, 9 and 10 in their final state

        Replica replica = fixture.startReplica(windowApplier(window));
        try {
            fixture.awaitCaughtUp(replica);
            fixture.assertTablesMatch("shop");
            assertThat(fixture.targetCheckpoint()).isEqualTo(GtidSet.parse(fixture.source().gtidExecuted()));
        } finally {
            replica.stop();
        }
    }

    @Test
    void aChildWithoutParentOutsideTheWindowStillStopsTheReplica() throws Exception {
        fixture.source().execute("CREATE DATABASE shop", PARENT, child("CASCADE"),
                "INSERT INTO shop.parent VALUES (1,'a',1)");
        fixture.target().execute("CREATE DATABASE shop", PARENT, child("CASCADE")); // parent 1 never copied
        fixture.fixStartPositionNow();
        Replica replica = fixture.startReplica(windowApplier(GtidSet.parse(fixture.source().gtidExecuted())));
        try {
            fixture.source().execute("INSERT INTO shop.child VALUES (10,1)");
            ReplicaFixture.assertFailsWith(replica, "GTID " + fixture.lastSourceGtid(), "INSERT on shop.child",
                    "target error 1452");
        } finally {
            replica.stop();
        }
    }

    /** parent(1), child(10,1),(11,1) copied before the window; the window renames the parent. */
    private static GtidSet parentRenamedInWindow(String onDelete) throws SQLException {
        fixture.source().execute("CREATE DATABASE shop", PARENT, child(onDelete),
                "INSERT INTO shop.parent VALUES (1,'a',1)", "INSERT INTO shop.child VALUES (10,1),(11,1)");
        fixture.target().execute("CREATE DATABASE shop", PARENT, child(onDelete));
        fixture.fixStartPositionNow();
        GtidSet first = GtidSet.parse(fixture.source().gtidExecuted());
        copy("parent");
        copy("child");
        fixture.source().execute("UPDATE shop.parent SET name = 'b' WHERE id = 1");
        return GtidSet.parse(fixture.source().gtidExecuted()).subtract(first);
    }

    private static JdbcApplier windowApplier(GtidSet window) {
        JdbcApplier applier = new JdbcApplier(fixture.targetSettings());
        applier.applyIdempotently(window);
        return applier;
    }

    /** Copies a table's current source rows to the target as a snapshot chunk would (without foreign key checks). */
    private static void copy(String table) throws SQLException {
        try (Connection source = fixture.source().connect(); Connection target = fixture.target().connect();
             Statement select = source.createStatement();
             ResultSet rows = select.executeQuery("SELECT * FROM shop." + table)) {
            int columns = rows.getMetaData().getColumnCount();
            try (Statement settings = target.createStatement()) {
                settings.execute("SET foreign_key_checks = 0");
            }
            String marks = "?" + ", ?".repeat(columns - 1);
            try (PreparedStatement insert = target.prepareStatement("INSERT INTO shop." + table + " VALUES ("
                    + marks + ")")) {
                while (rows.next()) {
                    for (int i = 1; i <= columns; i++) {
                        insert.setObject(i, rows.getObject(i));
                    }
                    insert.executeUpdate();
                }
            }
        }
    }

    private static long count(String table) throws SQLException {
        try (Connection target = fixture.target().connect(); Statement statement = target.createStatement();
             ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
