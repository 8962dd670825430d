package dev.binrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.binrelay.checkpoint.CheckpointStore;
import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.testkit.EmbeddedMySql;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code binrelay run} in a JVM of its own (so it can be killed, or given a heap cap), with its output in a file. */
final class ForkedDaemon {
    private static final int ER_BAD_DB = 1049;
    private static final int ER_NO_SUCH_TABLE = 1146;

    private ForkedDaemon() {
    }

    /** Starts the daemon on {@code config}, output to {@code log}, with the given JVM options first. */
    static Process start(Path config, Path log, String... jvmOptions) throws IOException {
        return start(config, log, List.of(), jvmOptions);
    }

    /** Starts the daemon on {@code config} with more {@code run} options, such as {@code --log-format json}. */
    static Process start(Path config, Path log, List<String> runOptions, String... jvmOptions) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "run", "--config",
                config.toString()));
        command.addAll(runOptions);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** What the daemon printed so far, for assertion messages. */
    static String output(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log) : "(no log)";
    }

    /**
     * Waits until {@code daemon} has committed more to {@code target}'s checkpoint than it holds now (so that a fault
     * or a kill that follows meets real work); fails, with the daemon's {@code log}, if it dies or stalls for 90 s.
     */
    static void awaitMoreApplied(Process daemon, EmbeddedMySql target, Path log) throws Exception {
        long before = checkpoint(target).count();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (checkpoint(target).count() <= before) {
            assertThat(daemon.isAlive()).as("daemon of %s alive; log:%n%s", log.getFileName(), output(log)).isTrue();
            assertThat(System.nanoTime()).as("daemon of %s applied more within 90 s; log:%n%s", log.getFileName(),
                    output(log)).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** The GTID set in the target's default checkpoint; empty before the daemon created it. */
    static GtidSet checkpoint(EmbeddedMySql target) throws SQLException {
        return checkpoint(target, "binrelay");
    }

    /** The GTID set in the target's checkpoint in {@code schema}; empty before the daemon created it. */
    static GtidSet checkpoint(EmbeddedMySql target, String schema) throws SQLException {
        try (Connection connection = target.connect()) {
            return new CheckpointStore(schema, "default").load(connection);
        } catch (SQLException e) {
            if (e.getErrorCode() == ER_BAD_DB || e.getErrorCode() == ER_NO_SUCH_TABLE) {
                return GtidSet.empty();
            }
            throw e;
        }
    }
}
