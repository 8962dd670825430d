package dev.binrelay.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.binrelay.engine.SchedulerKind;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole harness at tiny sizes, so that it cannot rot: one topology, a backlog of two seconds, decode only,
 * catch-up of the native replica and of two schedulers, a short keep-up window and a short lag window at 80% of the
 * native replica's rate. Asserts that every output exists and
 * that every target matched its source; never anything about speed.
 */
class BenchmarkSmokeTest {

    @Test
    void fullRunAtTinySizesWritesEveryOutputAndEveryTargetMatches(@TempDir Path out) throws Exception {
        BenchSettings settings = new BenchSettings("oltp_write_only", 2, 200, 4, 2, 0, 2, 50, 2, List.of(2),
                List.of(SchedulerKind.SERIAL, SchedulerKind.WRITESET), List.of(Durability.RELAXED), "COMMIT_ORDER", 16,
                true, out);
        StringWriter printed = new StringWriter();
        Benchmark benchmark = new Benchmark(Benchmark.Mode.FULL, settings, new PrintWriter(printed));
        Path folder = benchmark.run("bench full (smoke test)");
        System.out.print(printed); // kept in the surefire report, for a failure

        assertThat(benchmark.allTargetsMatched()).isTrue();
        assertThat(folder.resolve("results.md")).isNotEmptyFile();
        assertThat(folder.resolve("catchup-relaxed.png")).isNotEmptyFile();
        assertThat(printed.toString()).contains("### Catch-up", "### Decode only", "### Lag and keep-up");
        JsonNode results = new ObjectMapper().readTree(Files.readString(folder.resolve("results.json")));

        JsonNode backlog = results.get("backlogs").get(0);
        assertThat(backlog.get("transactions").asLong()).isPositive();
        JsonNode catchUp = results.get("catchUp");
        assertThat(catchUp).hasSize(3); // native x2, serial x1, writeset x2
        for (JsonNode run : catchUp) {
            assertThat(run.get("status").asText()).as(run.toString()).isEqualTo(BenchResults.OK);
            assertThat(run.get("transactions").asLong()).isEqualTo(backlog.get("transactions").asLong());
            assertThat(run.get("txPerSecond").asDouble()).isPositive();
        }
        for (JsonNode run : results.get("decode")) {
            assertThat(run.get("status").asText()).as(run.toString()).isEqualTo(BenchResults.OK);
            assertThat(run.get("transactions").asLong()).isEqualTo(backlog.get("transactions").asLong());
            assertThat(run.get("rowEvents").asLong()).isGreaterThanOrEqualTo(4 * run.get("transactions").asLong());
        }
        assertThat(results.get("lag")).hasSize(4); // keep-up and lag at 80% of native, each for both replicas
        for (JsonNode window : results.get("lag")) {
            assertThat(window.get("status").asText()).as(window.toString()).isEqualTo(BenchResults.OK);
            assertThat(window.get("samples").asInt()).isPositive();
            assertThat(window.get("written").asLong()).as(window.toString()).isPositive();
            assertThat(window.get("appliedAtEnd").asLong()).as(window.toString())
                    .isBetween(0L, window.get("written").asLong());
        }
        assertThat(results.get("lag").get(0).get("rate").asInt()).as("keep-up: the source at full speed").isZero();
        double nativeRate = 0;
        for (JsonNode run : catchUp) {
            if (run.get("replica").asText().equals("native")) {
                nativeRate = run.get("txPerSecond").asDouble();
            }
        }
        assertThat(nativeRate).isPositive();
        assertThat(results.get("lag").get(2).get("rate").asInt()).as("80%% of the native replica's rate")
                .isEqualTo((int) Math.max(1, Math.round(nativeRate * Benchmark.LAG_SHARE)));
    }
}
