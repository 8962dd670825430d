package dev.binrelay.engine.apply;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which target errors a speculative run takes for a missed dependency, apart from conflicts and lost connections. */
class TransientErrorsTest {
    @Test
    void keyAndForeignKeyErrorsAreMissedDependenciesNotTransient() {
        for (int code : new int[] {1032, 1062, 1216, 1217, 1451, 1452, 1586}) {
            assertThat(TransientErrors.isMissedDependency(code)).as("error %d", code).isTrue();
            assertThat(TransientErrors.isTransient(code)).as("error %d", code).isFalse();
        }
        for (int code : new int[] {0, 1205, 1213, 1146, 1264, 2013}) {
            assertThat(TransientErrors.isMissedDependency(code)).as("error %d", code).isFalse();
        }
    }
}
