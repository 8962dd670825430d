package dev.binrelay.devtools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.testkit.TableChecksum;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerificationTest {
    private static final GtidSet ALL = GtidSet.parse("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-100");
    private static final TableChecksum TEN_ROWS = new TableChecksum(10, "ab".repeat(32));
    private static final TableChecksum OTHER = new TableChecksum(10, "cd".repeat(32));

    @Test
    void identicalTablesAndGtidsMatch() {
        Verification verification = new Verification("shop", List.of(
                new TableComparison("customers", TEN_ROWS, TEN_ROWS),
                new TableComparison("orders", TEN_ROWS, TEN_ROWS)), ALL, ALL, ALL);

        assertThat(verification.matches()).isTrue();
        assertThat(verification.verdict()).isEqualTo("verdict: MATCH — 2 tables, 20 rows, source and target "
                + "identical");
        assertThat(printed(verification)).contains("customers", "abababababab  abababababab  MATCH");
    }

    @Test
    void differentRowsDiffer() {
        Verification verification = new Verification("shop", List.of(
                new TableComparison("customers", TEN_ROWS, OTHER),
                new TableComparison("orders", TEN_ROWS, TEN_ROWS)), ALL, ALL, ALL);

        assertThat(verification.matches()).isFalse();
        assertThat(verification.verdict()).isEqualTo("verdict: DIFFERENT — 1 of 2 tables differ");
        assertThat(printed(verification)).contains("abababababab  cdcdcdcdcdcd  DIFFER");
    }

    @Test
    void tableMissingOnTheTargetDiffers() {
        Verification verification = new Verification("shop", List.of(
                new TableComparison("events", TEN_ROWS, null)), ALL, ALL, ALL);

        assertThat(verification.matches()).isFalse();
        assertThat(printed(verification)).contains("(missing)");
    }

    @Test
    void unappliedTransactionsDiffer() {
        GtidSet behind = GtidSet.parse("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-97");
        Verification verification = new Verification("shop", List.of(
                new TableComparison("orders", TEN_ROWS, TEN_ROWS)), ALL, behind, behind);

        assertThat(verification.matches()).isFalse();
        assertThat(verification.verdict()).isEqualTo("verdict: DIFFERENT — 0 of 1 tables differ, checkpoint differs "
                + "from the source's gtid_executed (3 transactions not applied)");
    }

    @Test
    void noTablesIsNotAMatch() {
        assertThat(new Verification("shop", List.of(), ALL, ALL, ALL).matches()).isFalse();
    }

    private static String printed(Verification verification) {
        StringWriter text = new StringWriter();
        verification.printTo(new PrintWriter(text));
        return text.toString();
    }
}
