package dev.binrelay.applier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.engine.Replica;
import dev.binrelay.engine.SchedulerKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The catch-up window of a resumed snapshot: its transactions meet a target on which some rows were copied before
 * them (older) and some after them (newer). Applied idempotently they converge on the source; outside the window a
 * duplicate still stops the replica.
 */
class IdempotentWindowTest {
    @RegisterExtension
    static final ReplicaFixture fixture = new ReplicaFixture();

    private static final String TABLE = "CREATE TABLE shop.items (id INT PRIMARY KEY, v VARCHAR(20) NOT NULL, "
            + "u INT NOT NULL, UNIQUE KEY (u))";

    @Test
    void windowTransactionsReplayOverNewerRowsAndConverge() throws Exception {
        fixture.source().execute("CREATE DATABASE shop", TABLE,
                "INSERT INTO shop.items VALUES (1,'a',1),(2,'a',2),(3,'a',3),(4,'a',4),(5,'a',5),(6,'a',6),"
                        + "(7,'a',7),(8,'a',8),(9,'a',9),(10,'a',10)");
        fixture.target().execute("CREATE DATABASE shop", TABLE);
        fixture.fixStartPositionNow();
        GtidSet first = GtidSet.parse(fixture.source().gtidExecuted());
        copyRows("id <= 5", "INSERT"); // the chunks copied before the window, at the first snapshot

        fixture.source().execute(
                "UPDATE shop.items SET v = CONCAT(v, 'b')",
                "INSERT INTO shop.items VALUES (11,'new',11),(12,'new',12)",
                "DELETE FROM shop.items WHERE id IN (2, 9)",
                "UPDATE shop.items SET id = 20 WHERE id = 3",
                "UPDATE shop.items SET u = 50 WHERE id = 1",
                "INSERT INTO shop.items VALUES (13,'takes u=1',1)",
                "BEGIN",
                "UPDATE shop.items SET u = 108 WHERE id = 8",
                "UPDATE shop.items SET u = 8 WHERE id = 4",
                "COMMIT",
                "DELETE FROM shop.items WHERE id = 12");
        GtidSet window = GtidSet.parse(fixture.source().gtidExecuted()).subtract(first);
        // The chunks copied after the window, at the second snapshot; REPLACE, as a resumed copy writes them.
        copyRows("id > 5", "REPLACE");

        JdbcApplier applier = new JdbcApplier(fixture.targetSettings());
        applier.applyIdempotently(window);
        Replica replica = fixture.startReplica(applier, builder -> builder.scheduler(SchedulerKind.WRITESET)
                .workers(4));
        try {
            fixture.awaitCaughtUp(replica);
            fixture.assertTablesMatch("shop");
            assertThat(fixture.targetCheckpoint()).isEqualTo(GtidSet.parse(fixture.source().gtidExecuted()));

            // After the window the applier is strict again: a row the target already holds is a duplicate.
            fixture.target().execute("INSERT INTO shop.items VALUES (30, 'target only', 30)");
            fixture.source().execute("INSERT INTO shop.items VALUES (30, 'source', 31)");
            ReplicaFixture.assertFailsWith(replica, "INSERT on shop.items", "target error 1062");
        } finally {
            replica.stop();
        }
    }

    @Test
    void anUpdateOfAMissingRowOutsideTheWindowStillFails() throws Exception {
        fixture.source().execute("CREATE DATABASE shop", TABLE, "INSERT INTO shop.items VALUES (1,'a',1)");
        fixture.target().execute("CREATE DATABASE shop", TABLE);
        fixture.fixStartPositionNow();
        JdbcApplier applier = new JdbcApplier(fixture.targetSettings());
        applier.applyIdempotently(GtidSet.parse(fixture.source().gtidExecuted())); // earlier transactions only
        Replica replica = fixture.startReplica(applier);
        try {
            fixture.source().execute("UPDATE shop.items SET v = 'b' WHERE id = 1");
            ReplicaFixture.assertFailsWith(replica, "UPDATE on shop.items", "no row matching", "1032");
        } finally {
            replica.stop();
        }
    }

    /** Copies the source rows matching {@code where} to the target with {@code verb} (INSERT or REPLACE). */
    private static void copyRows(String where, String verb) throws SQLException {
        try (Connection source = fixture.source().connect(); Connection target = fixture.target().connect();
             Statement select = source.createStatement();
             ResultSet rows = select.executeQuery("SELECT id, v, u FROM shop.items WHERE " + where);
             PreparedStatement insert = target.prepareStatement(verb + " INTO shop.items VALUES (?, ?, ?)")) {
            while (rows.next()) {
                insert.setInt(1, rows.getInt(1));
                insert.setString(2, rows.getString(2));
                insert.setInt(3, rows.getInt(3));
                insert.executeUpdate();
            }
        }
    }
}
