package dev.binrelay.applier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.binrelay.checkpoint.Gtid;
import dev.binrelay.engine.Replica;
import dev.binrelay.engine.ReplicaState;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A crash between a DDL statement and its checkpoint leaves the statement applied on the target and its mark in
 * {@code ddl_in_progress}. On restart the statement runs again and fails with an error saying it already took
 * effect: for each kind of object that error is accepted (the DDL recorded as applied) instead of stopping the
 * replica until an operator skips it.
 */
class AlreadyAppliedDdlTest {
    @RegisterExtension
    static final ReplicaFixture fixture = new ReplicaFixture();

    private static final String TABLES = "CREATE TABLE shop.parent (id INT PRIMARY KEY)";
    private static final String CHILD = "CREATE TABLE shop.child (id INT PRIMARY KEY, parent_id INT, qty INT)";
    private static final String PARTITIONED = "CREATE TABLE shop.log (id INT NOT NULL, PRIMARY KEY (id)) "
            + "PARTITION BY RANGE (id) (PARTITION p0 VALUES LESS THAN (100), PARTITION p1 VALUES LESS THAN (200), "
            + "PARTITION p2 VALUES LESS THAN (300))";

    private static final String SRS_DEFINITION = "'GEOGCS[\"ddl rerun\",DATUM[\"World Geodetic System 1984\","
            + "SPHEROID[\"WGS 84\",6378137,298.257223563]],PRIMEM[\"Greenwich\",0],"
            + "UNIT[\"degree\",0.017453292519943278],AXIS[\"Lat\",NORTH],AXIS[\"Lon\",EAST]]'";

    /**
     * @param name     the case, with the target error the rerun raises
     * @param cleanup  statements run on both servers first (objects outside any database survive the fixture)
     * @param setup    statements run on both servers before the replica's start position
     * @param ddl      the statement replicated, already applied on the target when the replica starts
     */
    record Case(String name, List<String> cleanup, List<String> setup, String ddl) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("ADD FOREIGN KEY: 1826", List.of(), List.of(TABLES, CHILD),
                        "ALTER TABLE shop.child ADD CONSTRAINT fk_parent FOREIGN KEY (parent_id) "
                                + "REFERENCES shop.parent (id)"),
                new Case("ADD CHECK: 3822", List.of(), List.of(CHILD),
                        "ALTER TABLE shop.child ADD CONSTRAINT qty_positive CHECK (qty > 0)"),
                new Case("DROP CHECK: 3821", List.of(),
                        List.of(CHILD, "ALTER TABLE shop.child ADD CONSTRAINT qty_positive CHECK (qty > 0)"),
                        "ALTER TABLE shop.child DROP CHECK qty_positive"),
                new Case("DROP CONSTRAINT: 3940", List.of(),
                        List.of(CHILD, "ALTER TABLE shop.child ADD CONSTRAINT qty_positive CHECK (qty > 0)"),
                        "ALTER TABLE shop.child DROP CONSTRAINT qty_positive"),
                new Case("CREATE USER: 1396", List.of("DROP USER IF EXISTS 'ddl_rerun'@'%'"), List.of(),
                        "CREATE USER 'ddl_rerun'@'%' IDENTIFIED BY 'Rerun-pass-1'"),
                new Case("DROP USER: 1396", List.of("DROP USER IF EXISTS 'ddl_rerun'@'%'"),
                        List.of("CREATE USER 'ddl_rerun'@'%' IDENTIFIED BY 'Rerun-pass-1'"),
                        "DROP USER 'ddl_rerun'@'%'"),
                new Case("CREATE ROLE: 1396", List.of("DROP ROLE IF EXISTS 'ddl_rerun_role'"), List.of(),
                        "CREATE ROLE 'ddl_rerun_role'"),
                new Case("DROP ROLE: 1396", List.of("DROP ROLE IF EXISTS 'ddl_rerun_role'"),
                        List.of("CREATE ROLE 'ddl_rerun_role'"), "DROP ROLE 'ddl_rerun_role'"),
                new Case("ADD PARTITION: 1517", List.of(), List.of(PARTITIONED),
                        "ALTER TABLE shop.log ADD PARTITION (PARTITION p3 VALUES LESS THAN (400))"),
                new Case("DROP PARTITION: 1507", List.of(), List.of(PARTITIONED),
                        "ALTER TABLE shop.log DROP PARTITION p1"),
                new Case("CREATE TABLESPACE: 1813", List.of("DROP TABLESPACE ddl_rerun_ts"), List.of(),
                        "CREATE TABLESPACE ddl_rerun_ts ADD DATAFILE 'ddl_rerun_ts.ibd'"),
                new Case("DROP TABLESPACE: 3510", List.of("DROP TABLESPACE ddl_rerun_ts"),
                        List.of("CREATE TABLESPACE ddl_rerun_ts ADD DATAFILE 'ddl_rerun_ts.ibd'"),
                        "DROP TABLESPACE ddl_rerun_ts"),
                new Case("CREATE SPATIAL REFERENCE SYSTEM: 3712",
                        List.of("DROP SPATIAL REFERENCE SYSTEM IF EXISTS 100000001"), List.of(),
                        "CREATE SPATIAL REFERENCE SYSTEM 100000001 NAME 'ddl rerun' DEFINITION "
                                + SRS_DEFINITION),
                new Case("DROP SPATIAL REFERENCE SYSTEM: 3548",
                        List.of("DROP SPATIAL REFERENCE SYSTEM IF EXISTS 100000001"),
                        List.of("CREATE SPATIAL REFERENCE SYSTEM 100000001 NAME 'ddl rerun' DEFINITION "
                                + SRS_DEFINITION),
                        "DROP SPATIAL REFERENCE SYSTEM 100000001"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aDdlAppliedBeforeACrashIsRecordedAsAppliedOnRestart(Case scenario) throws Exception {
        for (var server : List.of(fixture.source(), fixture.target())) {
            for (String statement : scenario.cleanup()) {
                executeIgnoringFailure(server, statement);
            }
            server.execute("CREATE DATABASE shop");
            server.execute(scenario.setup().toArray(String[]::new));
        }
        try (JdbcApplier applier = new JdbcApplier(fixture.targetSettings())) {
            applier.openCheckpoint(); // creates binrelay.ddl_in_progress
        }
        fixture.fixStartPositionNow();
        fixture.source().execute(scenario.ddl());
        Gtid ddl = fixture.lastSourceGtid();
        // The crash: the statement ran on the target, its mark is left, its checkpoint row is not written.
        fixture.target().execute(scenario.ddl(), "REPLACE INTO binrelay.ddl_in_progress (channel, gtid) VALUES ('"
                + fixture.targetSettings().channel() + "', '" + ddl + "')");

        Replica replica = fixture.startReplica();
        try {
            fixture.awaitCaughtUp(replica);
            assertThat(replica.state()).isEqualTo(ReplicaState.RUNNING);
            assertThat(fixture.targetCheckpoint().contains(ddl)).isTrue();
            assertThat(fixture.target().queryString("SELECT COUNT(*) FROM binrelay.ddl_in_progress")).isEqualTo("0");
        } finally {
            replica.stop();
            for (var server : List.of(fixture.source(), fixture.target())) {
                for (String statement : scenario.cleanup()) {
                    executeIgnoringFailure(server, statement);
                }
            }
        }
    }

    private static void executeIgnoringFailure(dev.binrelay.testkit.EmbeddedMySql server, String statement) {
        try {
            server.execute(statement);
        } catch (RuntimeException e) {
            // DROP TABLESPACE has no IF EXISTS: absent is what cleanup wants.
        }
    }
}
