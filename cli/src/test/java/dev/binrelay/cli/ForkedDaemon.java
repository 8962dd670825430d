package dev.binrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.binrelay.checkpoint.CheckpointStore;
import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.testkit.EmbeddedMySql;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code binrelay run} in a JVM of its own (so it can be killed, or given a heap cap), with its output in a file. */
public final class ForkedDaemon {
    private static final int ER_BAD_DB = 1049;
    private static final int ER_NO_SUCH_TABLE = 1146;

    private ForkedDaemon() {
    }

    /**
     * The class path for a forked JVM that runs {@link Main}: this JVM's class path and its module path, because the
     * tests run inside the cli module (its classes and the modules it requires are on the module path) while the
     * daemon, like {@code binrelay.jar}, runs from the class path.
     */
    public static String classPath() {
        List<String> entries = new ArrayList<>();
        for (String property : List.of("jdk.module.path", "java.class.path")) {
            String value = System.getProperty(property, "");
            if (!value.isEmpty()) {
                entries.add(value);
            }
        }
        return String.join(File.pathSeparator, entries);
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
        command.addAll(List.of("-cp", classPath(), Main.class.getName(), "run", "--config",
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
