package dev.binrelay.applier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.binrelay.engine.event.RowChange;
import dev.binrelay.engine.event.RowContext;
import dev.binrelay.engine.event.SourceTable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The literal each kind of row value becomes in a statement text, at the edges where a careless formatting would
 * change the value: unsigned BIGINT logged as negative, BINARY(n) padding, negative zero, a double that MySQL would
 * read as an exact DECIMAL, text with quotes and backslashes; and placeholders in a statement whose names hold a
 * {@code ?} themselves. That the target stores what the source has is {@link TypeMatrixReplicationTest}'s and
 * {@link StatementGroupTest}'s to show, against real servers.
 */
class SqlLiteralsTest {
    private static final TargetColumn INT = column("n", "int", null, false, 0);
    private static final TargetColumn UNSIGNED_BIGINT = column("u", "bigint", null, true, 0);
    private static final TargetColumn BINARY_4 = column("b", "binary", "binary", false, 4);
    private static final TargetColumn VARCHAR = column("v", "varchar", "utf8mb4", false, 40);
    private static final TargetColumn DOUBLE = column("d", "double", null, false, 0);

    @Test
    void numbersKeepTheirExactValue() {
        assertThat(literal(null, INT)).isEqualTo("NULL");
        assertThat(literal(-5L, INT)).isEqualTo("-5");
        assertThat(literal(-1L, UNSIGNED_BIGINT)).as("unsigned BIGINT logged as negative")
                .isEqualTo("18446744073709551615");
        assertThat(literal(new BigInteger("18446744073709551615"), UNSIGNED_BIGINT)).isEqualTo("18446744073709551615");
        assertThat(literal(new BigDecimal("-12.50"), INT)).isEqualTo("-12.50");
        assertThat(literal(new BigDecimal("1E+3"), INT)).as("no exponent in a DECIMAL").isEqualTo("1000");
        assertThat(literal(2024, INT)).isEqualTo("2024");
    }

    @Test
    void doublesAreFloatingPointLiterals() {
        assertThat(literal(0.1d, DOUBLE)).as("with an exponent, not read as DECIMAL 0.1").isEqualTo("0.1E0");
        assertThat(literal(1.0e10d, DOUBLE)).isEqualTo("1.0E10");
        assertThat(literal(-2.5e-7d, DOUBLE)).isEqualTo("-2.5E-7");
        assertThat(literal(0.1f, DOUBLE)).as("a FLOAT as its exact double").isEqualTo("0.10000000149011612E0");
        assertThat(literal(-0.0d, DOUBLE)).as("the sign of zero survives as a string").isEqualTo("'-0'");
        assertThatThrownBy(() -> literal(Double.NaN, DOUBLE)).hasMessageContaining("column d")
                .hasMessageContaining("NaN");
    }

    @Test
    void bytesAreHexadecimalAndBinaryIsPadded() {
        assertThat(literal(new byte[] {0, '\'', '\\', ';', (byte) 0xC3, (byte) 0xA9}, VARCHAR))
                .isEqualTo("X'00275C3BC3A9'");
        assertThat(literal(new byte[0], VARCHAR)).isEqualTo("X''");
        assertThat(literal(new byte[] {'a', 'b'}, BINARY_4)).as("padded as stored").isEqualTo("X'61620000'");
    }

    @Test
    void textIsPlainOnlyWhenNoCharsetOrModeCanChangeIt() {
        assertThat(literal("2024-02-29 23:59:59.999999", VARCHAR)).isEqualTo("'2024-02-29 23:59:59.999999'");
        assertThat(literal("-838:59:59", VARCHAR)).isEqualTo("'-838:59:59'");
        String json = "{\"a\": \"it's \\\\ é\"}";
        assertThat(literal(json, VARCHAR)).isEqualTo("_utf8mb4 X'" + hex(json.getBytes(StandardCharsets.UTF_8)) + "'");
    }

    @Test
    void valuesGoInPlaceOfThePlaceholdersOnly() {
        SourceTable source = new SourceTable("s?", "t?", new int[] {3, 15}, List.of("id?", "v?"));
        TargetTable target = new TargetTable("s?", "t?", List.of(column("id?", "int", null, false, 0),
                column("v?", "varchar", "utf8mb4", false, 40)), new int[] {0}, List.of(new int[] {0}));
        TablePlan plan = TablePlan.build(source, target);
        BitSet all = new BitSet();
        all.set(0, 2);
        RowChange update = new RowChange(source, RowChange.Kind.UPDATE, new Object[] {7L, "x".getBytes()},
                new Object[] {8L, "?".getBytes()}, all, all, new RowContext(true, true, 0));
        TablePlan.RowStatement statement = plan.statementFor(update);
        assertThat(SqlLiterals.rowText(update, statement)).isEqualTo("UPDATE `s?`.`t?` SET `id?` = 8, `v?` = X'3F'"
                + " WHERE `id?` = 7");

        RowChange insert = new RowChange(source, RowChange.Kind.INSERT, null, new Object[] {9L, null}, null, all,
                new RowContext(true, true, 0));
        TablePlan.RowStatement insertStatement = plan.statementFor(insert);
        StringBuilder tuple = new StringBuilder();
        SqlLiterals.appendRow(tuple, insertStatement.tuplePieces(), insert, insertStatement);
        assertThat(SqlLiterals.rowText(insert, insertStatement)).isEqualTo("INSERT INTO `s?`.`t?` (`id?`, `v?`) "
                + "VALUES (9, NULL)");
        assertThat(tuple).hasToString("(9, NULL)");
    }

    private static String literal(Object value, TargetColumn column) {
        StringBuilder sql = new StringBuilder();
        SqlLiterals.append(sql, value, column);
        return sql.toString();
    }

    private static TargetColumn column(String name, String type, String charset, boolean unsigned, long maxBytes) {
        return new TargetColumn(name, type, charset, charset == null ? null : charset + "_bin", false, unsigned, true,
                maxBytes);
    }

    private static String hex(byte[] bytes) {
        StringBuilder hex = new StringBuilder();
        for (byte b : bytes) {
            hex.append(String.format("%02X", b));
        }
        return hex.toString();
    }
}
