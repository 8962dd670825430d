package dev.binrelay.applier;

import dev.binrelay.testkit.EmbeddedMySql;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One source session that changes schemas while clients write: a cycle of DDL steps (add, retype, reorder and drop
 * columns; plain and unique indexes; a new primary key and back; rename and rename back; truncate; tables, a database,
 * a view, a procedure and a function created, used and dropped). Each cycle works on the next table of the list, and
 * every step it starts also undoes itself later in the cycle, so the steps never fail on the source. The churn stops
 * between steps.
 *
 * <p>Tables are expected to look like {@code (id BIGINT, k INT NOT NULL, u VARCHAR, v VARCHAR, n INT NOT NULL)} with
 * primary key {@code (id)}, in schemas {@code ddl_a}, {@code ddl_b} and {@code ddl_c}.
 */
final class DdlChurn {
    private static final long PAUSE_MILLIS = 60;

    private final EmbeddedMySql source;
    private final List<String> tables;
    private final Set<String> stepsDone = new LinkedHashSet<>();
    private final List<String> failures = new ArrayList<>();
    private Thread thread;
    private volatile boolean running = true;
    private volatile long ddlStatements;

    DdlChurn(EmbeddedMySql source, List<String> tables) {
        this.source = source;
        this.tables = tables;
    }

    /** Every step of a cycle, by name, for a table {@code t}: the names say what it does. */
    static List<Step> steps(String t) {
        String moved = t + "_moved";
        return List.of(
                new Step("add column with default", "ALTER TABLE " + t + " ADD COLUMN extra INT NOT NULL DEFAULT 7"),
                new Step("modify column type", "ALTER TABLE " + t + " MODIFY COLUMN n BIGINT NOT NULL DEFAULT 0"),
                new Step("add index", "ALTER TABLE " + t + " ADD INDEX ix_n (n)"),
                new Step("add unique key", "ALTER TABLE " + t + " ADD UNIQUE KEY uk_u (u)"),
                new Step("change primary key", "ALTER TABLE " + t + " DROP PRIMARY KEY, ADD PRIMARY KEY (k, id)"),
                new Step("create database, table, rows", "CREATE DATABASE ddl_tmp",
                        "CREATE TABLE ddl_tmp.t (id INT PRIMARY KEY, v VARCHAR(20))",
                        "INSERT INTO ddl_tmp.t VALUES (1, 'a'), (2, 'b')", "UPDATE ddl_tmp.t SET v = 'c' WHERE id = 1"),
                new Step("rename table and back", "RENAME TABLE " + t + " TO " + moved, "DO SLEEP(0.05)",
                        "RENAME TABLE " + moved + " TO " + t),
                new Step("create index", "CREATE INDEX ix_v ON " + t + " (v)"),
                new Step("reorder columns", "ALTER TABLE " + t + " MODIFY COLUMN v VARCHAR(40) AFTER n"),
                new Step("create table", "CREATE TABLE ddl_c.scratch (id BIGINT PRIMARY KEY, k INT NOT NULL, "
                        + "u VARCHAR(40), v VARCHAR(40), n INT NOT NULL DEFAULT 0)"),
                new Step("create view", "CREATE VIEW ddl_a.recent AS SELECT id, v FROM ddl_a.t1 WHERE id > 10"),
                new Step("create procedure, call it", "CREATE PROCEDURE ddl_b.bump(IN step INT) "
                        + "UPDATE ddl_b.t1 SET n = n + step WHERE id <= 20", "CALL ddl_b.bump(2)"),
                new Step("create function, use it", "CREATE FUNCTION ddl_b.twice(x INT) RETURNS INT DETERMINISTIC "
                        + "RETURN x * 2", "UPDATE ddl_b.t1 SET n = ddl_b.twice(3) WHERE id <= 10"),
                new Step("create table as select", "CREATE TABLE ddl_c.snapshot (PRIMARY KEY (id)) "
                        + "AS SELECT id, v, n FROM ddl_c.t1"),
                new Step("truncate table", "TRUNCATE TABLE " + t),
                new Step("drop index", "ALTER TABLE " + t + " DROP INDEX ix_n"),
                new Step("drop unique key", "ALTER TABLE " + t + " DROP INDEX uk_u"),
                new Step("restore primary key", "ALTER TABLE " + t + " DROP PRIMARY KEY, ADD PRIMARY KEY (id)"),
                new Step("drop index (DROP INDEX)", "DROP INDEX ix_v ON " + t),
                new Step("restore column order", "ALTER TABLE " + t + " MODIFY COLUMN v VARCHAR(40) AFTER u"),
                new Step("restore column type", "ALTER TABLE " + t + " MODIFY COLUMN n INT NOT NULL DEFAULT 0"),
                new Step("drop column", "ALTER TABLE " + t + " DROP COLUMN extra"),
                new Step("drop view, procedure, function", "DROP VIEW ddl_a.recent", "DROP PROCEDURE ddl_b.bump",
                        "DROP FUNCTION ddl_b.twice"),
                new Step("drop tables", "DROP TABLE ddl_c.scratch", "DROP TABLE ddl_c.snapshot"),
                new Step("drop database", "DROP DATABASE ddl_tmp"));
    }

    void start() {
        thread = new Thread(this::churn, "ddl-churn");
        thread.start();
    }

    void stop() throws InterruptedException {
        running = false;
        thread.join();
    }

    /** The names of the steps that ran to the end at least once. */
    Set<String> stepsDone() {
        synchronized (stepsDone) {
            return Set.copyOf(stepsDone);
        }
    }

    /** Statements the source refused, with the error: none are expected. */
    List<String> failures() {
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }

    /** DDL statements run: each is a transaction of its own in the binary log. */
    long ddlStatements() {
        return ddlStatements;
    }

    private void churn() {
        try (Connection connection = source.connect(); Statement statement = connection.createStatement()) {
            for (int cycle = 0; running; cycle++) {
                for (Step step : steps(tables.get(cycle % tables.size()))) {
                    if (!running) {
                        return;
                    }
                    run(statement, step);
                    Thread.sleep(PAUSE_MILLIS);
                }
            }
        } catch (SQLException e) {
            synchronized (failures) {
                failures.add("connection: " + e.getMessage());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run(Statement statement, Step step) {
        for (String sql : step.statements()) {
            try {
                statement.execute(sql);
                if (!sql.matches("(INSERT|UPDATE|CALL|DO) .*")) {
                    ddlStatements++;
                }
            } catch (SQLException e) {
                synchronized (failures) {
                    failures.add(step.name() + ": " + sql + ": " + e.getErrorCode() + " " + e.getMessage());
                }
                return;
            }
        }
        synchronized (stepsDone) {
            stepsDone.add(step.name());
        }
    }

    /** A named group of statements run in order on one session. */
    record Step(String name, String... statements) {
    }
}
