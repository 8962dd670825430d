package dev.binrelay.engine.event;

/**
 * One row inserted, updated or deleted on the source.
 *
 * <p>Images hold one value per source column (columns absent from a minimal image are {@code null} and flagged in
 * {@code present*}). Values are decoded exactly: {@code Long} or {@code java.math.BigInteger} (unsigned BIGINT and
 * BIT(64) above {@link Long#MAX_VALUE}) for integers, BIT, SET (its bit set, as MySQL's signed number) and ENUM (its
 * index); {@code BigDecimal}; {@code Float};
 * {@code Double}; {@code byte[]} for every character and binary string, BLOB, TEXT and GEOMETRY (the bytes as
 * stored, in the column's charset); {@link BinaryJson} for JSON (MySQL's binary form); {@code String} for temporal
 * values as MySQL literals (TIMESTAMP in UTC); {@code Integer} for YEAR.
 *
 * @param table         the source table
 * @param kind          insert, update or delete
 * @param before        the before image (update, delete), otherwise null
 * @param after         the after image (insert, update), otherwise null
 * @param presentBefore which columns the before image carries
 * @param presentAfter  which columns the after image carries
 * @param context       the source session's settings for the rows event (shared by all its rows)
 */
public record RowChange(SourceTable table, Kind kind, Object[] before, Object[] after,
                        java.util.BitSet presentBefore, java.util.BitSet presentAfter, RowContext context)
        implements Change {

    /** The statement kind a row change becomes on the target. */
    public enum Kind { INSERT, UPDATE, DELETE }
}
