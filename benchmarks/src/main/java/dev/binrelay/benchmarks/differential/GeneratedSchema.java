package dev.binrelay.benchmarks.differential;

import java.util.List;

/**
 * The schemas and tables of one round, in creation order (parents before children).
 *
 * @param schemas the databases
 * @param tables  every table
 */
record GeneratedSchema(List<String> schemas, List<TableSpec> tables) {

    /** The statements that create it all, run on the source. */
    List<String> createStatements() {
        List<String> statements = new java.util.ArrayList<>();
        for (String schema : schemas) {
            statements.add("CREATE DATABASE `" + schema + "`");
        }
        tables.forEach(table -> statements.add(table.createSql()));
        return statements;
    }
}
