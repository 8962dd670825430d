package dev.binrelay.schema;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IdentifiersTest {

    @Test
    void quotesInBackquotesAndDoublesInnerBackquotes() {
        assertThat(Identifiers.quote("t")).isEqualTo("`t`");
        assertThat(Identifiers.quote("a`b")).isEqualTo("`a``b`");
        assertThat(Identifiers.quote("``")).isEqualTo("``````");
        assertThat(Identifiers.quote("it's \"x\"")).isEqualTo("`it's \"x\"`");
    }

    @Test
    void qualifiesATableByItsSchema() {
        assertThat(Identifiers.qualified("s`1", "t.2")).isEqualTo("`s``1`.`t.2`");
    }
}
