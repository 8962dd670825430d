package dev.binrelay.benchmarks.differential;

import dev.binrelay.testkit.EmbeddedMySql;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The tester's handle on binrelay in a forked JVM ({@link ForkedBinrelayMain}, started with this JVM's java and class
 * path): start, SIGKILL, SIGTERM, and what it printed. Every start appends to one log file per round.
 */
final class ForkedBinrelay {
    private static final int START_ATTEMPTS = 30;

    private final EmbeddedMySql source;
    private final EmbeddedMySql target;
    private final RunConfiguration configuration;
    private final Path log;
    private Process process;
    /** Where the current start's output begins in the log. */
    private long startOffset;
    /** Whether the current process was killed or stopped by this handle. */
    private boolean endedByUs;

    ForkedBinrelay(EmbeddedMySql source, EmbeddedMySql target, RunConfiguration configuration, Path log) {
        this.source = source;
        this.target = target;
        this.configuration = configuration;
        this.log = log;
    }

    /**
     * Starts binrelay and waits until it runs; a start refused because the target is restarting is tried again.
     *
     * @throws IllegalStateException when it failed while running (a binrelay error) or never started
     */
    void start() throws InterruptedException {
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            launch();
            while (process.isAlive() && !output().contains(ForkedBinrelayMain.STARTED, startOffset)) {
                Thread.sleep(20);
            }
            if (process.isAlive()) {
                return;
            }
            int exit = process.waitFor();
            if (exit != ForkedBinrelayMain.EXIT_NOT_STARTED) {
                throw new IllegalStateException("binrelay exited with " + exit + ": " + failure());
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("binrelay did not start in " + START_ATTEMPTS + " attempts: " + failure());
    }

    /**
     * Why binrelay ended by itself (its printed error), or null while it runs or when this handle stopped it: a
     * replica that failed is a finding, not a fault of the tester.
     */
    String endedByItself() {
        return process != null && !process.isAlive() && !endedByUs ? failure() : null;
    }

    /** SIGKILL, as a crash would; waits for the process to be gone. */
    void kill() throws InterruptedException {
        endedByUs = true;
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** SIGTERM (a clean stop), then SIGKILL if it did not end within a minute. */
    void stop() throws InterruptedException {
        endedByUs = true;
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    /**
     * SIGSTOP then, after {@code pause}, SIGCONT: binrelay stands still as in a long stall (its backlog grows, and its
     * catch-up runs transactions side by side) without losing its connections.
     */
    void pause(Duration pause) throws InterruptedException, IOException {
        if (process == null || !process.isAlive()) {
            return;
        }
        signal("STOP");
        try {
            Thread.sleep(pause.toMillis());
        } finally {
            signal("CONT");
        }
    }

    private void signal(String name) throws InterruptedException, IOException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + name + " " + process.pid() + " exited with " + kill.exitValue());
        }
    }

    /**
     * Dependency misses over every start of this round: transactions a scheduler let run beside one they depend on,
     * which the safety net ran again. Not a difference (the net made them right), but a scheduler that guesses wrong.
     */
    int dependencyMisses() {
        String all = output().text();
        int count = 0;
        for (int at = all.indexOf(ForkedBinrelayMain.MISS_MARK); at >= 0;
             at = all.indexOf(ForkedBinrelayMain.MISS_MARK, at + 1)) {
            count++;
        }
        return count;
    }

    /** The first dependency-miss line of this round's output, or null. */
    String firstDependencyMiss() {
        String all = output().text();
        int at = all.indexOf(ForkedBinrelayMain.MISS_MARK);
        if (at < 0) {
            return null;
        }
        int start = all.lastIndexOf('\n', at) + 1;
        int end = all.indexOf('\n', at);
        return all.substring(start, end < 0 ? all.length() : end).strip();
    }

    /** Whether the process runs. */
    boolean alive() {
        return process != null && process.isAlive();
    }

    /** The error it printed when it failed, or the last lines of its log. */
    String failure() {
        String all = output().text();
        int failed = all.lastIndexOf(ForkedBinrelayMain.FAILED);
        if (failed >= 0) {
            int end = all.indexOf('\n', failed);
            return all.substring(failed + ForkedBinrelayMain.FAILED.length(), end < 0 ? all.length() : end);
        }
        String[] lines = all.split("\n");
        return String.join("\n", List.of(lines).subList(Math.max(0, lines.length - 8), lines.length));
    }

    private void launch() {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(List.of("-Xmx256m", "-cp", System.getProperty("java.class.path"),
                ForkedBinrelayMain.class.getName(), source.host(), Integer.toString(source.port()), source.user(),
                target.jdbcUrl(), target.user(), configuration.scheduler().configName(),
                Boolean.toString(configuration.preserveCommitOrder()), Integer.toString(configuration.batchSize()),
                Integer.toString(configuration.workers())));
        try {
            startOffset = Files.exists(log) ? Files.size(log) : 0;
            endedByUs = false;
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().put(ForkedBinrelayMain.SOURCE_PASSWORD, source.password());
            builder.environment().put(ForkedBinrelayMain.TARGET_PASSWORD, target.password());
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot fork binrelay", e);
        }
    }

    private Output output() {
        try {
            return new Output(Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "");
        } catch (IOException e) {
            return new Output("(cannot read " + log + ": " + e.getMessage() + ")");
        }
    }

    /** What the forked JVM printed. */
    private record Output(String text) {
        boolean contains(String marker, long from) {
            return text.indexOf(marker, (int) Math.min(from, text.length())) >= 0;
        }
    }
}
