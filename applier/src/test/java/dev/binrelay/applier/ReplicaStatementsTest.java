package dev.binrelay.applier;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How replicated statements are adapted for a replica, without a database (the replication tests run them). */
class ReplicaStatementsTest {

    @Test
    void aTriggerBodyRunsOnlyOutsideApplierSessions() {
        assertThat(ReplicaStatements.forTarget("CREATE DEFINER=`root`@`localhost` TRIGGER d.trg AFTER INSERT ON d.t "
                + "FOR EACH ROW INSERT INTO d.audit (note) VALUES (CONCAT('for each row ', NEW.id))", 0))
                .isEqualTo("CREATE DEFINER=`root`@`localhost` TRIGGER d.trg AFTER INSERT ON d.t FOR EACH ROW "
                        + "IF @binrelay_applier IS NULL THEN INSERT INTO d.audit (note) VALUES (CONCAT('for each row ', "
                        + "NEW.id))\n; END IF");
        assertThat(ReplicaStatements.forTarget("CREATE DEFINER='app'@'%' TRIGGER t2 BEFORE UPDATE ON t FOR EACH ROW "
                + "FOLLOWS t1 BEGIN SET NEW.a = 1; END -- done", 0))
                .isEqualTo("CREATE DEFINER='app'@'%' TRIGGER t2 BEFORE UPDATE ON t FOR EACH ROW FOLLOWS t1 "
                        + "IF @binrelay_applier IS NULL THEN BEGIN SET NEW.a = 1; END -- done\n; END IF");
    }

    @Test
    void anEventIsCreatedDisabledOnTheReplicaWhateverItsStatus() {
        assertThat(ReplicaStatements.forTarget("CREATE DEFINER=`root`@`localhost` EVENT d.ev ON SCHEDULE EVERY 1 "
                + "SECOND DO INSERT INTO d.ticks VALUES (NULL)", 0))
                .isEqualTo("CREATE DEFINER=`root`@`localhost` EVENT d.ev ON SCHEDULE EVERY 1 SECOND DISABLE ON SLAVE "
                        + "DO INSERT INTO d.ticks VALUES (NULL)");
        assertThat(ReplicaStatements.forTarget("CREATE EVENT e ON SCHEDULE AT (NOW() + INTERVAL 1 DAY) "
                + "ON COMPLETION PRESERVE ENABLE COMMENT 'do it' DO DELETE FROM t", 0))
                .isEqualTo("CREATE EVENT e ON SCHEDULE AT (NOW() + INTERVAL 1 DAY) ON COMPLETION PRESERVE "
                        + "DISABLE ON SLAVE COMMENT 'do it' DO DELETE FROM t");
        assertThat(ReplicaStatements.forTarget("ALTER EVENT d.ev ENABLE", 0)).isEqualTo("ALTER EVENT d.ev DISABLE ON "
                + "SLAVE");
        assertThat(ReplicaStatements.forTarget("ALTER EVENT d.ev DISABLE ON REPLICA COMMENT 'x'", 0))
                .isEqualTo("ALTER EVENT d.ev DISABLE ON SLAVE COMMENT 'x'");
        assertThat(ReplicaStatements.forTarget("ALTER EVENT d.ev RENAME TO d.ev2", 0))
                .isEqualTo("ALTER EVENT d.ev RENAME TO d.ev2");
    }

    @Test
    void theCreatePartOfAnAtomicCreateTableSelectRunsAsAPlainCreateTable() {
        assertThat(ReplicaStatements.forTarget("CREATE TABLE `d`.`c` (\n  `id` int NOT NULL\n) START TRANSACTION", 0))
                .isEqualTo("CREATE TABLE `d`.`c` (\n  `id` int NOT NULL\n)");
    }

    @Test
    void viewsRoutinesAndOtherStatementsRunAsLogged() {
        for (String sql : new String[] {
                "CREATE ALGORITHM=UNDEFINED DEFINER=`root`@`localhost` SQL SECURITY DEFINER VIEW `d`.`v` AS SELECT 1",
                "CREATE DEFINER=`root`@`localhost` PROCEDURE p() BEGIN INSERT INTO t VALUES (1); END",
                "CREATE TABLE t (a INT, comment VARCHAR(9) DEFAULT 'FOR EACH ROW')",
                "DROP TRIGGER trg",
                "GRANT SELECT ON d.* TO 'app'@'%'"}) {
            assertThat(ReplicaStatements.forTarget(sql, 0)).isEqualTo(sql);
        }
    }
}
