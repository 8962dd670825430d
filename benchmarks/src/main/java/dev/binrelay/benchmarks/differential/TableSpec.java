package dev.binrelay.benchmarks.differential;

import java.util.List;

/**
 * One generated table and what the workload may write to it.
 *
 * @param schema       the database
 * @param name         the table
 * @param shape        how rows are identified
 * @param collation    the collation of its text key columns ({@code tag}, {@code u}, {@code p})
 * @param uniqueText   has {@code u VARCHAR(8) NULL UNIQUE}: the column key swaps move values through
 * @param prefixUnique has {@code p TEXT} with {@code UNIQUE (p(3))}
 * @param functional   has {@code f INT} with the functional {@code UNIQUE ((ABS(f)))}
 * @param parent       the table {@code pid} references, qualified, or null
 * @param values       the value columns {@code c0, c1, ...} and their kinds
 * @param createSql    its CREATE TABLE
 */
record TableSpec(String schema, String name, TableShape shape, String collation, boolean uniqueText,
                 boolean prefixUnique, boolean functional, String parent, List<ColumnKind> values,
                 String createSql) {

    /** {@code `schema`.`name`}. */
    String qualified() {
        return "`" + schema + "`.`" + name + "`";
    }

    /** Whether {@code id} is unique and never NULL, so that a parent table can reference it. */
    boolean referenceable() {
        return shape == TableShape.PRIMARY_KEY || shape == TableShape.NOT_NULL_UNIQUE;
    }
}
