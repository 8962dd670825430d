package dev.binrelay.benchmarks.differential;

/** How a generated table identifies its rows. */
enum TableShape {
    /** {@code id INT PRIMARY KEY}. */
    PRIMARY_KEY,
    /** {@code PRIMARY KEY (id, tag)}, {@code tag} a collation-insensitive text. */
    COMPOSITE_KEY,
    /** No key at all: rows match by every column. */
    KEYLESS,
    /** {@code id INT NOT NULL UNIQUE} and no primary key (InnoDB uses it as the clustered index). */
    NOT_NULL_UNIQUE,
    /** {@code id INT NULL UNIQUE} and no primary key: NULL ids never collide. */
    NULLABLE_UNIQUE
}
