package dev.binrelay.benchmarks.differential;

/** The column type families the schema generator draws value columns from, with their SQL types. */
enum ColumnKind {
    TINYINT("TINYINT"),
    SMALLINT_UNSIGNED("SMALLINT UNSIGNED"),
    MEDIUMINT("MEDIUMINT"),
    INT_UNSIGNED("INT UNSIGNED"),
    BIGINT("BIGINT"),
    BIGINT_UNSIGNED("BIGINT UNSIGNED"),
    DECIMAL("DECIMAL(14,4)"),
    FLOAT("FLOAT"),
    DOUBLE("DOUBLE"),
    DATE("DATE"),
    TIME("TIME(3)"),
    DATETIME("DATETIME(6)"),
    TIMESTAMP("TIMESTAMP(6) NULL"),
    YEAR("YEAR"),
    CHAR("CHAR(5)"),
    VARCHAR("VARCHAR(24)"),
    TEXT("TEXT"),
    BLOB("BLOB"),
    BINARY("BINARY(4)"),
    VARBINARY("VARBINARY(12)"),
    ENUM("ENUM('a','b','c')"),
    SET("SET('x','y','z')"),
    JSON("JSON"),
    BIT("BIT(10)");

    private final String sqlType;

    ColumnKind(String sqlType) {
        this.sqlType = sqlType;
    }

    /** The column's type in CREATE TABLE; text kinds get their collation from the table. */
    String sqlType(String collation) {
        return switch (this) {
            case CHAR, VARCHAR, TEXT -> sqlType + " " + Collations.clause(collation);
            default -> sqlType;
        };
    }
}
