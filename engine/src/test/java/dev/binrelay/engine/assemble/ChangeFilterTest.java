package dev.binrelay.engine.assemble;

import dev.binrelay.engine.ReplicaException;
import dev.binrelay.engine.ReplicationFilter;
import dev.binrelay.engine.event.StatementChange;
import dev.binrelay.engine.event.StatementContext;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.binrelay.checkpoint.Gtid;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** DDL statements judged by the tables and databases they change, and rewritten. */
class ChangeFilterTest {
    private static final Gtid GTID = new Gtid(UUID.fromString("3e11fa47-71ca-11e1-9e33-c80aa9429562"), 7);
    private static final StatementContext CONTEXT = new StatementContext(0, 0, true, true, false, true, 1, 1, 255, 0,
            0, 0, null, 0, null, 0, null, null);

    private final ChangeFilter filter = new ChangeFilter(ReplicationFilter.builder()
            .ignoreTable("shop.audit").ignoreDb("crm").rewriteDb("prod", "staging").build());

    private StatementChange run(String database, String sql) {
        return filter.statement(GTID, new StatementChange(database, sql, CONTEXT), 0);
    }

    @Test
    void keepsDdlWhoseTablesAreAllKept() {
        assertThat(run("shop", "CREATE TABLE orders (id INT PRIMARY KEY)")).isNotNull();
        assertThat(run("crm", "ALTER TABLE shop.orders ADD COLUMN x INT")).isNotNull();
        assertThat(run("shop", "DROP TABLE IF EXISTS orders, shop.items")).isNotNull();
        assertThat(run("shop", "RENAME TABLE orders TO orders_old, items TO items_old")).isNotNull();
    }

    @Test
    void dropsDdlWhoseTablesAreAllFiltered() {
        assertThat(run("shop", "CREATE TABLE audit (id INT)")).isNull();
        assertThat(run("shop", "TRUNCATE TABLE `audit`")).isNull();
        assertThat(run("shop", "CREATE INDEX i ON audit (id)")).isNull();
        assertThat(run("shop", "DROP INDEX i ON shop.audit")).isNull();
        assertThat(run("", "CREATE TABLE crm.users (id INT)")).isNull();
        assertThat(run("shop", "CREATE DEFINER=`root`@`%` SQL SECURITY DEFINER VIEW crm.v AS SELECT 1")).isNull();
        assertThat(run("shop", "CREATE TRIGGER tr BEFORE INSERT ON audit FOR EACH ROW SET @x = 1")).isNull();
        assertThat(run("shop", "DROP TRIGGER crm.tr")).isNull();
        assertThat(run("shop", "CREATE DATABASE crm")).isNull();
        assertThat(run("shop", "ALTER SCHEMA crm CHARACTER SET utf8mb4")).isNull();
        assertThat(run("crm", "ALTER DATABASE CHARACTER SET utf8mb4")).as("the default database").isNull();
        assertThat(run("shop", "DROP DATABASE IF EXISTS crm")).isNull();
    }

    @Test
    void aStatementNamingNoTableIsJudgedByItsDefaultDatabase() {
        assertThat(run("crm", "CREATE USER u IDENTIFIED BY 'x'")).isNull();
        assertThat(run("shop", "CREATE USER u IDENTIFIED BY 'x'")).isNotNull();
    }

    @Test
    void refusesDdlChangingKeptAndFilteredTablesNamingBoth() {
        assertThatThrownBy(() -> run("shop", "DROP TABLE orders, audit"))
                .isInstanceOf(ReplicaException.class)
                .hasMessageContaining(GTID.toString())
                .hasMessageContaining("DROP TABLE orders, audit")
                .hasMessageContaining("shop.orders, which the filters keep")
                .hasMessageContaining("shop.audit, which they filter out");
        assertThatThrownBy(() -> run("shop", "RENAME TABLE orders TO crm.orders"))
                .hasMessageContaining("crm.orders, which they filter out");
        assertThatThrownBy(() -> run("shop", "ALTER TABLE orders RENAME TO audit"))
                .isInstanceOf(ReplicaException.class);
    }

    @Test
    void rewritesTheDefaultDatabaseAndQualifiedNamesInTableNamePositionOnly() {
        StatementChange plain = run("prod", "CREATE TABLE t (id INT)");
        assertThat(plain.database()).isEqualTo("staging");
        assertThat(plain.sql()).isEqualTo("CREATE TABLE t (id INT)");

        StatementChange qualified = run("", "CREATE TABLE prod.t (id INT, p INT, "
                + "FOREIGN KEY (p) REFERENCES `prod`.parent (id)) COMMENT 'prod.t stays'");
        assertThat(qualified.sql()).isEqualTo("CREATE TABLE `staging`.t (id INT, p INT, "
                + "FOREIGN KEY (p) REFERENCES `staging`.parent (id)) COMMENT 'prod.t stays'");

        assertThat(run("x", "RENAME TABLE prod.a TO prod.b").sql())
                .isEqualTo("RENAME TABLE `staging`.a TO `staging`.b");
        assertThat(run("x", "CREATE TABLE prod.c LIKE prod.a").sql())
                .isEqualTo("CREATE TABLE `staging`.c LIKE `staging`.a");
        assertThat(run("x", "CREATE DATABASE IF NOT EXISTS prod").sql())
                .isEqualTo("CREATE DATABASE IF NOT EXISTS `staging`");
        assertThat(run("x", "ALTER TABLE prod.a RENAME COLUMN prod TO b").sql())
                .isEqualTo("ALTER TABLE `staging`.a RENAME COLUMN prod TO b");
    }

    @Test
    void withoutRulesStatementsPassUntouched() {
        StatementChange statement = new StatementChange("crm", "DROP TABLE a, b", CONTEXT);
        assertThat(new ChangeFilter(ReplicationFilter.NONE).statement(GTID, statement, 0)).isSameAs(statement);
    }
}
