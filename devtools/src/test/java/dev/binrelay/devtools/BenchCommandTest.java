package dev.binrelay.devtools;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The bench command's usage; the harness itself runs in benchmarks' BenchmarkSmokeTest. */
class BenchCommandTest {

    @Test
    void helpListsTheFourBenchmarks() {
        CommandResult result = CommandResult.run("bench", "--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("catchup", "lag", "decode", "full");
    }

    @Test
    void catchupHelpShowsTheOptionsAndDefaults() {
        CommandResult result = CommandResult.run("bench", "catchup", "--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("--workload", "--workers", "--schedulers", "--durability", "--tracking",
                "--out", "default: oltp_write_only", "--workers 4 --durability durable");
    }

    @Test
    void withoutABenchmarkItIsAUsageError() {
        assertThat(CommandResult.run("bench").exitCode()).isEqualTo(2);
    }

    @Test
    void badValuesAreUsageErrorsNamingTheOption() {
        CommandResult workers = CommandResult.run("bench", "catchup", "--workers", "4,0");
        CommandResult scheduler = CommandResult.run("bench", "full", "--schedulers", "writeset,fastest");
        CommandResult durability = CommandResult.run("bench", "lag", "--durability", "sometimes");
        CommandResult workload = CommandResult.run("bench", "decode", "--workload", "tpcc");

        assertThat(workers.exitCode()).isEqualTo(2);
        assertThat(workers.err()).contains("--workers must be between 1 and 64, not 0");
        assertThat(scheduler.exitCode()).isEqualTo(2);
        assertThat(scheduler.err()).contains("--schedulers: unknown scheduler 'fastest'");
        assertThat(durability.exitCode()).isEqualTo(2);
        assertThat(durability.err()).contains("--durability: unknown durability 'sometimes'");
        assertThat(workload.exitCode()).isEqualTo(2);
        assertThat(workload.err()).contains("unknown workload 'tpcc'", "oltp_write_only");
    }
}
