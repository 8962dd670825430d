package dev.binrelay.devtools;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DemoCommandTest {
    @Test
    void shortDemoReplicatesEverythingAndSaysMatch() {
        CommandResult result = CommandResult.run("demo", "--seconds", "2", "--threads", "2");

        assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
        assertThat(result.out())
                .contains("binrelay caught up")
                .containsPattern("customers +\\d+ +\\d+ +[0-9a-f]{12} +[0-9a-f]{12} +MATCH")
                .containsPattern("orders +\\d+ +\\d+ +[0-9a-f]{12} +[0-9a-f]{12} +MATCH")
                .containsPattern("events +\\d+ +\\d+ +[0-9a-f]{12} +[0-9a-f]{12} +MATCH")
                .containsPattern("verdict: MATCH — 3 tables, \\d+ rows, source and target identical");
        assertThat(result.err()).isEmpty();
    }
}
