package dev.binrelay.engine.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What ROW format logs as statements versus what only statement-based logging writes. */
class QueryKindTest {
    private static final long ANSI_QUOTES = SqlTokenizer.MODE_ANSI_QUOTES;

    @Test
    void ddlDclAndTheCreatePartOfAnAtomicCreateTableSelectAreStatements() {
        for (String sql : new String[] {
                "CREATE TABLE t (id INT PRIMARY KEY, note VARCHAR(10) DEFAULT 'select')",
                "CREATE TABLE `d`.`c` (\n  `id` int NOT NULL\n) START TRANSACTION",
                "CREATE TABLE t2 LIKE t1",
                "CREATE TABLE p (a INT) PARTITION BY RANGE (a) (PARTITION p0 VALUES LESS THAN (10))",
                "ALTER TABLE t ADD COLUMN `select` INT",
                "CREATE ALGORITHM=UNDEFINED DEFINER=`root`@`localhost` SQL SECURITY DEFINER VIEW v AS SELECT 1",
                "CREATE USER 'app'@'%' IDENTIFIED WITH 'caching_sha2_password' AS '$A$005$x'",
                "GRANT SELECT ON d.* TO 'app'@'%'",
                "/* app */ DROP TABLE t",
                "TRUNCATE TABLE t",
                "CREATE DEFINER=`root`@`localhost` TRIGGER trg AFTER INSERT ON t FOR EACH ROW INSERT INTO a VALUES (1)"}) {
            assertThat(QueryKind.of(sql, 0)).as(sql).isEqualTo(QueryKind.STATEMENT);
        }
    }

    @Test
    void rowChangingStatementsAreRecognisedBehindCommentsAndExecutableComments() {
        for (String sql : new String[] {
                "INSERT INTO t VALUES (1)",
                "  update t SET a = 1",
                "/* app */ DELETE FROM t",
                "-- note\nREPLACE INTO t VALUES (1)",
                "# note\nLOAD DATA INFILE 'x' INTO TABLE t",
                "/*!80000 INSERT INTO t VALUES (1) */",
                "SELECT `d`.`f`(1)",
                "WITH x AS (SELECT 1) UPDATE t, x SET t.a = 1",
                "(SELECT 1)",
                "CREATE TABLE t2 SELECT * FROM t1",
                "CREATE TABLE t2 (a INT) IGNORE SELECT a FROM t1",
                "CREATE TEMPORARY TABLE t2 AS SELECT 1",
                "CREATE TABLE t2 TABLE t1"}) {
            assertThat(QueryKind.of(sql, 0)).as(sql).isEqualTo(QueryKind.ROW_CHANGING_STATEMENT);
        }
    }

    @Test
    void quotingFollowsTheStatementsSqlMode() {
        String sql = "CREATE TABLE t (\"select\" INT)";
        assertThat(QueryKind.of(sql, 0)).isEqualTo(QueryKind.STATEMENT); // a string: not valid, but not a query
        assertThat(QueryKind.of(sql, ANSI_QUOTES)).isEqualTo(QueryKind.STATEMENT);
        assertThat(QueryKind.of("CREATE TABLE t (a VARCHAR(9) DEFAULT 'it\\'s') SELECT 1", 0))
                .isEqualTo(QueryKind.ROW_CHANGING_STATEMENT);
        assertThat(QueryKind.of("CREATE TABLE t (a VARCHAR(9) DEFAULT 'x\\') COMMENT ' SELECT')",
                SqlTokenizer.MODE_NO_BACKSLASH_ESCAPES)).isEqualTo(QueryKind.STATEMENT);
    }

    @Test
    void savepointsAndRollbacksToThemAreTheirOwnKinds() {
        assertThat(QueryKind.of("SAVEPOINT `s1`", 0)).isEqualTo(QueryKind.SAVEPOINT);
        assertThat(QueryKind.of("RELEASE SAVEPOINT s1", 0)).isEqualTo(QueryKind.SAVEPOINT);
        assertThat(QueryKind.of("ROLLBACK TO `s1`", 0)).isEqualTo(QueryKind.ROLLBACK_TO_SAVEPOINT);
        assertThat(QueryKind.of("ROLLBACK WORK TO SAVEPOINT s1", 0)).isEqualTo(QueryKind.ROLLBACK_TO_SAVEPOINT);
    }
}
