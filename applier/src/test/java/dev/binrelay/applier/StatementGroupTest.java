package dev.binrelay.applier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.engine.Replica;
import dev.binrelay.engine.SchedulerKind;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A transaction's row statements travel to the target as one text of several statements ({@link StatementGroup}),
 * consecutive inserts as one multi-row INSERT: transactions of every mix and size, with values that hold the
 * characters a statement text is made of, arrive exactly under concurrency; a statement of a group that matches no
 * row, or fails on the target, stops the replica with a message naming its table and the error code.
 */
class StatementGroupTest {
    @RegisterExtension
    static final ReplicaFixture fixture = new ReplicaFixture();

    private static final String[] TABLES = {
        "CREATE TABLE shop.docs (id INT PRIMARY KEY, body VARBINARY(64), note TEXT, price DECIMAL(10,2), "
                + "code CHAR(6) NOT NULL, UNIQUE KEY (code))",
        "CREATE TABLE shop.tally (id INT PRIMARY KEY, n BIGINT NOT NULL)",
        "CREATE TABLE shop.log (at BIGINT NOT NULL, what VARCHAR(40))" // no key: found by its whole image
    };
    /** What statement texts are made of: separators, quotes, escapes, placeholders, comments and NUL. */
    private static final String[] AWKWARD = {";", "'", "\"", "\\", "?", "--", "/*", "*/", ";\nDELETE FROM shop.tally;",
        "\u0000", "`", "é", "\u00a0", "%", "_"};

    @Test
    void mixedTransactionsOfEverySizeArriveExactlyUnderConcurrency() throws Exception {
        fixture.source().execute("CREATE DATABASE shop", TABLES[0], TABLES[1], TABLES[2]);
        fixture.target().execute("CREATE DATABASE shop", TABLES[0], TABLES[1], TABLES[2]);
        fixture.fixStartPositionNow();
        try (var connection = fixture.source().connect(); Statement statement = connection.createStatement()) {
            for (int id = 0; id < 40; id++) {
                statement.execute("INSERT INTO shop.tally VALUES (" + id + ", 0)"); // replicated
            }
        }
        Replica replica = fixture.startReplica(builder -> builder.scheduler(SchedulerKind.WRITESET).workers(4));
        try {
            // Four clients; each transaction mixes inserts in runs of 1 to 260 rows (across the 200 rows of one
            // multi-row INSERT and the 50 statements of one text), updates, deletes and keyless rows.
            SourceClients.run(fixture.source(), 4, 40, 17, () -> true, (statement, random, client, transaction) -> {
                int base = (client * 1000 + transaction) * 300;
                int rows = random.nextInt(4) == 0 ? 1 + random.nextInt(260) : 1 + random.nextInt(3);
                try (PreparedStatement insert = statement.getConnection().prepareStatement(
                        "INSERT INTO shop.docs VALUES (?, ?, ?, ?, ?)")) {
                    for (int i = 0; i < rows; i++) {
                        int id = base + i;
                        insert.setInt(1, id);
                        insert.setBytes(2, awkwardBytes(random));
                        insert.setString(3, awkwardText(random));
                        insert.setBigDecimal(4, java.math.BigDecimal.valueOf(random.nextInt(100000), 2));
                        insert.setString(5, Integer.toString(id, 36));
                        insert.executeUpdate();
                    }
                }
                for (int i = 0; i < 1 + random.nextInt(6); i++) {
                    statement.executeUpdate("UPDATE shop.tally SET n = n + 1 WHERE id = " + random.nextInt(40));
                }
                statement.executeUpdate("INSERT INTO shop.log VALUES (" + base + ", '" + client + "'), (" + base
                        + ", '" + client + "')"); // two identical keyless rows
                statement.executeUpdate("DELETE FROM shop.log WHERE at = " + base + " LIMIT 1");
                if (rows > 1) {
                    statement.executeUpdate("UPDATE shop.docs SET note = CONCAT(note, ';'), body = NULL WHERE id = "
                            + (base + 1));
                    statement.executeUpdate("DELETE FROM shop.docs WHERE id = " + base);
                }
            });
            fixture.awaitCaughtUp(replica);
            for (String table : new String[] {"docs", "tally", "log"}) {
                ExactTableContents.assertSame(fixture.source(), fixture.target(), "shop", table);
            }
            assertThat(fixture.targetCheckpoint()).isEqualTo(GtidSet.parse(fixture.source().gtidExecuted()));
            assertThat(fixture.target().queryString("SELECT COUNT(*) FROM shop.docs")).as("rows copied")
                    .isNotEqualTo("0");
        } finally {
            replica.stop();
        }
    }

    @Test
    void anUpdateInAGroupThatMatchesNoRowNamesItsTable() throws Exception {
        fixture.source().execute("CREATE DATABASE shop", TABLES[0], TABLES[1],
                "INSERT INTO shop.tally VALUES (1, 0), (2, 0)");
        fixture.target().execute("CREATE DATABASE shop", TABLES[0], TABLES[1],
                "INSERT INTO shop.tally VALUES (1, 0)"); // the target lacks row 2
        fixture.fixStartPositionNow();
        fixture.source().execute("BEGIN",
                "INSERT INTO shop.docs VALUES (1, 'a', 'a', 1, 'a')",
                "UPDATE shop.tally SET n = 5 WHERE id = 1",
                "UPDATE shop.tally SET n = 5 WHERE id = 2",
                "INSERT INTO shop.docs VALUES (2, 'b', 'b', 2, 'b')",
                "COMMIT");
        Replica replica = fixture.startReplica();
        try {
            ReplicaFixture.assertFailsWith(replica, "UPDATE on shop.tally", "no row matching", "1032");
        } finally {
            replica.stop();
        }
        assertThat(fixture.target().queryString("SELECT COUNT(*) FROM shop.docs")).as("nothing of it committed")
                .isEqualTo("0");
    }

    /**
     * A batch's transactions go to the target together: the one whose UPDATE matches no row is named, not the first
     * of those sent with it.
     */
    @Test
    void aRowMissingInALaterTransactionOfABatchNamesThatTransaction() throws Exception {
        fixture.source().execute("CREATE DATABASE shop", TABLES[1], "INSERT INTO shop.tally VALUES (1, 0), (2, 0), "
                + "(3, 0)");
        fixture.target().execute("CREATE DATABASE shop", TABLES[1], "INSERT INTO shop.tally VALUES (1, 0), (2, 0)");
        fixture.fixStartPositionNow();
        for (int id = 1; id <= 3; id++) {
            fixture.source().execute("UPDATE shop.tally SET n = 5 WHERE id = " + id); // a transaction each
        }
        GtidSet executed = GtidSet.parse(fixture.source().gtidExecuted());
        java.util.UUID source = java.util.UUID.fromString(fixture.source().queryString("SELECT @@server_uuid"));
        long third = executed.intervals(source).get(executed.intervals(source).size() - 1).end();
        Replica replica = fixture.startReplica(builder -> builder.workers(1));
        try {
            ReplicaFixture.assertFailsWith(replica, "GTID " + source + ":" + third + ": UPDATE on shop.tally",
                    "no row matching", "1032");
        } finally {
            replica.stop();
        }
    }

    @Test
    void aDuplicateInAGroupNamesTheTablesSentTogetherAndTheTargetError() throws Exception {
        fixture.source().execute("CREATE DATABASE shop", TABLES[0], TABLES[1],
                "INSERT INTO shop.tally VALUES (1, 0)");
        fixture.target().execute("CREATE DATABASE shop", TABLES[0], TABLES[1],
                "INSERT INTO shop.tally VALUES (1, 0)",
                "INSERT INTO shop.docs VALUES (7, 'target', 'only', 0, 'zz')"); // takes the key the source writes
        fixture.fixStartPositionNow();
        fixture.source().execute("BEGIN",
                "UPDATE shop.tally SET n = 5 WHERE id = 1",
                "INSERT INTO shop.docs VALUES (6, 'a', 'a', 1, 'a'), (7, 'b', 'b', 2, 'b')",
                "COMMIT");
        Replica replica = fixture.startReplica();
        try {
            ReplicaFixture.assertFailsWith(replica, "target error 1062", "shop.docs", "shop.tally",
                    "sent together");
        } finally {
            replica.stop();
        }
        assertThat(fixture.target().queryString("SELECT n FROM shop.tally WHERE id = 1"))
                .as("the update before the failing insert was rolled back with it").isEqualTo("0");
    }

    private static byte[] awkwardBytes(Random random) {
        if (random.nextInt(8) == 0) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        while (text.length() < 20) {
            text.append(AWKWARD[random.nextInt(AWKWARD.length)]);
        }
        byte[] bytes = text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256); // and any byte at all
        return bytes;
    }

    private static String awkwardText(Random random) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < random.nextInt(12); i++) {
            text.append(AWKWARD[random.nextInt(AWKWARD.length)]);
        }
        return text.toString();
    }
}
