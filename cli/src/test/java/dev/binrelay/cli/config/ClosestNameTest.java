package dev.binrelay.cli.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClosestNameTest {
    private static final List<String> KNOWN = List.of("source.host", "source.port", "target.url");

    @Test
    void typoFindsTheIntendedName() {
        assertThat(ClosestName.to("source.hots", KNOWN)).contains("source.host");
        assertThat(ClosestName.to("target.URL", KNOWN)).contains("target.url");
    }

    @Test
    void unrelatedNameFindsNothing() {
        assertThat(ClosestName.to("metrics.enabled", KNOWN)).isEmpty();
        assertThat(ClosestName.to("x", KNOWN)).isEmpty();
    }

    @Test
    void distanceCountsEdits() {
        assertThat(ClosestName.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(ClosestName.distance("", "abc")).isEqualTo(3);
        assertThat(ClosestName.distance("same", "same")).isZero();
    }
}
