package dev.binrelay.applier;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.binrelay.checkpoint.Gtid;
import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.engine.Replica;
import dev.binrelay.engine.ReplicaState;
import dev.binrelay.engine.SchedulerKind;
import dev.binrelay.engine.WorkerStatus;
import dev.binrelay.testkit.EmbeddedMySql;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * {@code applier.skipErrors}: a row change the target refuses with a listed error is skipped, logged and counted, and
 * the rest of its transaction is applied, as MySQL's {@code replica_skip_errors} does; anything else still stops the
 * replica, and DDL is never skipped.
 */
class SkipErrorsTest {
    @RegisterExtension
    static final ReplicaFixture fixture = new ReplicaFixture();

    private final ListAppender<ILoggingEvent> skipLog = new ListAppender<>();
    private final Logger skipLogger = (Logger) LoggerFactory.getLogger(RowErrorSkipper.class);

    @BeforeEach
    void captureSkipLog() {
        skipLog.start();
        skipLogger.addAppender(skipLog);
    }

    @AfterEach
    void releaseSkipLog() {
        skipLogger.detachAppender(skipLog);
    }

    @Test
    void duplicateKeyIsSkippedLoggedAndCountedAndTheRestOfItsTransactionApplied() throws Exception {
        createOrdersOnBoth();
        fixture.target().execute("INSERT INTO shop.orders VALUES (2, 999)");
        fixture.fixStartPositionNow();
        Replica replica = startSkipping(builder -> builder.scheduler(SchedulerKind.WRITESET).workers(2), 1062);
        // One multi-row INSERT: without skipErrors it would reach the target as one multi-row statement.
        fixture.source().execute("BEGIN", "INSERT INTO shop.orders VALUES (1, 10), (2, 20), (3, 30)",
                "UPDATE shop.orders SET total = 11 WHERE id = 1", "COMMIT");
        Gtid skipping = fixture.lastSourceGtid();
        fixture.source().execute("INSERT INTO shop.orders VALUES (4, 40)");

        fixture.awaitCaughtUp(replica);
        assertThat(fixture.target().queryString("SELECT GROUP_CONCAT(id, ':', total ORDER BY id) FROM shop.orders"))
                .isEqualTo("1:11,2:999,3:30,4:40");
        assertThat(fixture.targetCheckpoint()).isEqualTo(GtidSet.parse(fixture.source().gtidExecuted()));
        assertThat(replica.state()).isEqualTo(ReplicaState.RUNNING);
        assertThat(replica.status().applier().skippedErrors()).isEqualTo(1);
        assertThat(replica.status().workers().stream().mapToLong(WorkerStatus::skippedErrors).sum()).isEqualTo(1);
        assertThat(skipWarnings()).singleElement().asString().contains("GTID " + skipping, "INSERT on shop.orders",
                "skipped (applier.skipErrors)", "target error 1062", "Duplicate entry '2'");
        replica.stop();
    }

    @Test
    void updateOfARowTheTargetLacksIsSkippedAs1032() throws Exception {
        createOrdersOnBoth();
        fixture.fixStartPositionNow();
        Replica replica = startSkipping(builder -> { }, 1032);
        fixture.source().execute("INSERT INTO shop.orders VALUES (1, 10), (2, 20)");
        fixture.awaitCaughtUp(replica);
        fixture.target().execute("DELETE FROM shop.orders WHERE id = 2");
        fixture.source().execute("BEGIN", "UPDATE shop.orders SET total = 21 WHERE id = 2",
                "UPDATE shop.orders SET total = 11 WHERE id = 1", "INSERT INTO shop.orders VALUES (3, 30)", "COMMIT");
        Gtid skipping = fixture.lastSourceGtid();

        fixture.awaitCaughtUp(replica);
        assertThat(fixture.target().queryString("SELECT GROUP_CONCAT(id, ':', total ORDER BY id) FROM shop.orders"))
                .isEqualTo("1:11,3:30");
        assertThat(replica.status().applier().skippedErrors()).isEqualTo(1);
        assertThat(skipWarnings()).singleElement().asString().contains("GTID " + skipping, "UPDATE on shop.orders",
                "target error 1032", "no row matching");
        replica.stop();
    }

    @Test
    void anErrorNotListedStillStopsNamingGtidTableAndErrorAndCommitsNothingOfTheTransaction() throws Exception {
        createOrdersOnBoth();
        fixture.target().execute("INSERT INTO shop.orders VALUES (2, 999)");
        fixture.fixStartPositionNow();
        Replica replica = startSkipping(builder -> { }, 1032);
        fixture.source().execute("INSERT INTO shop.orders VALUES (1, 10), (2, 20)");
        Gtid failing = fixture.lastSourceGtid();

        ReplicaFixture.assertFailsWith(replica, "GTID " + failing, "INSERT on shop.orders", "target error 1062");
        assertThat(fixture.target().queryString("SELECT GROUP_CONCAT(id) FROM shop.orders")).isEqualTo("2");
        assertThat(fixture.targetCheckpoint().contains(failing)).isFalse();
        assertThat(skipWarnings()).isEmpty();
    }

    /**
     * A DDL statement the target refuses is never skipped, whatever skipErrors holds, and stops the replica again
     * after a restart: the refusal must not be taken for proof that it ran before the stop (the mark binrelay
     * leaves for a DDL cut short by a crash). An operator's skip of it clears such a mark.
     */
    @Test
    void ddlIsNeverSkippedAndARefusedDdlStopsAgainAfterARestart() throws Exception {
        fixture.source().execute("CREATE DATABASE shop");
        fixture.target().execute("CREATE DATABASE shop", "CREATE TABLE shop.orders (id INT PRIMARY KEY, note TEXT)");
        fixture.fixStartPositionNow();
        fixture.source().execute("CREATE TABLE shop.orders (id INT PRIMARY KEY)");
        Gtid failing = fixture.lastSourceGtid();

        ReplicaFixture.assertFailsWith(fixture.startReplicaExpectingFailure(skipping(1050)), "GTID " + failing,
                "target error 1050");
        ReplicaFixture.assertFailsWith(fixture.startReplicaExpectingFailure(skipping(1050)), "GTID " + failing,
                "target error 1050");
        assertThat(fixture.targetCheckpoint().contains(failing)).isFalse();
        assertThat(ddlMarks()).isEqualTo("0");
        assertThat(skipWarnings()).isEmpty();
    }

    @Test
    void markingAFailedDdlAppliedClearsItsMark() throws Exception {
        // A database the target lacks: error 1049, which a restart would not accept, so the mark stays.
        fixture.source().execute("CREATE DATABASE shop", "CREATE DATABASE elsewhere");
        fixture.target().execute("CREATE DATABASE shop");
        fixture.fixStartPositionNow();
        fixture.source().execute("CREATE TABLE elsewhere.t (id INT PRIMARY KEY)");
        Gtid failing = fixture.lastSourceGtid();
        ReplicaFixture.assertFailsWith(fixture.startReplicaExpectingFailure(new JdbcApplier(fixture.targetSettings())),
                "GTID " + failing, "target error 1049");
        assertThat(ddlMarks()).isEqualTo("1");

        try (JdbcApplier applier = new JdbcApplier(fixture.targetSettings())) {
            applier.openCheckpoint();
            applier.markApplied(GtidSet.of(failing));
        }

        assertThat(ddlMarks()).isEqualTo("0");
        fixture.source().execute("CREATE TABLE shop.orders (id INT PRIMARY KEY)", "INSERT INTO shop.orders VALUES (1)");
        Replica replica = fixture.startReplica();
        fixture.awaitCaughtUp(replica);
        assertThat(fixture.target().queryString("SELECT COUNT(*) FROM shop.orders")).isEqualTo("1");
        replica.stop();
    }

    private static void createOrdersOnBoth() {
        for (EmbeddedMySql server : List.of(fixture.source(), fixture.target())) {
            server.execute("CREATE DATABASE shop", "CREATE TABLE shop.orders (id INT PRIMARY KEY, total INT)");
        }
    }

    private static Replica startSkipping(java.util.function.Consumer<Replica.Builder> options, Integer... codes) {
        return fixture.startReplica(skipping(codes), options);
    }

    private static JdbcApplier skipping(Integer... codes) {
        TargetSettings plain = fixture.targetSettings();
        return new JdbcApplier(new TargetSettings(plain.url(), plain.user(), plain.password(),
                plain.checkpointSchema(), plain.channel(), Set.of(codes)));
    }

    private List<String> skipWarnings() {
        return skipLog.list.stream().filter(event -> event.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage).toList();
    }

    private static String ddlMarks() {
        return fixture.target().queryString("SELECT COUNT(*) FROM binrelay.ddl_in_progress");
    }
}
