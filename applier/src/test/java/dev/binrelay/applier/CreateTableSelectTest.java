package dev.binrelay.applier;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How a logged CREATE TABLE ... SELECT becomes a statement the target runs alone. */
class CreateTableSelectTest {

    @Test
    void theStartTransactionMySqlAppendsIsRemoved() {
        String logged = "CREATE TABLE `copy` (\n  PRIMARY KEY (`id`)\n) START TRANSACTION";
        assertThat(CreateTableSelect.runnable(logged)).isEqualTo("CREATE TABLE `copy` (\n  PRIMARY KEY (`id`)\n)");
        assertThat(CreateTableSelect.runnable("create table t (id int)\n  start   transaction\n"))
                .isEqualTo("create table t (id int)");
    }

    @Test
    void otherStatementsAreLeftAlone() {
        for (String sql : new String[] {"CREATE TABLE t (c VARCHAR(10) COMMENT 'START TRANSACTION')",
                "ALTER TABLE t ADD COLUMN c INT", "CREATE TABLE t (id INT PRIMARY KEY)"}) {
            assertThat(CreateTableSelect.runnable(sql)).isEqualTo(sql);
        }
    }
}
