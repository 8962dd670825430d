/**
 * What binrelay knows of a table's shape, read from {@code information_schema}, and how it quotes identifiers; plain
 * JDBC, depends on nothing else of binrelay's.
 */
module dev.binrelay.schema {
    requires transitive java.sql;

    exports dev.binrelay.schema;
}
