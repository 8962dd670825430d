package dev.binrelay.benchmarks;

import dev.binrelay.testkit.EmbeddedMySql;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Saved copies of a server's data directory, so that every run starts from the same state: a stopped server's
 * directory copied aside, then copied back before each run. A copy is exact (tables, redo, binary and relay logs,
 * replication metadata, server_uuid), which no SQL-level reset would be.
 */
final class DataDirectories {

    private DataDirectories() {
    }

    /** Stops the server and keeps a copy of its data directory under {@code name}; the server stays stopped. */
    static void save(EmbeddedMySql server, String name) {
        server.stop();
        Path copy = server.directory().resolve(name);
        run("rm", "-rf", copy.toString());
        run("cp", "-a", data(server).toString(), copy.toString());
    }

    /** Stops the server, replaces its data directory with the copy saved as {@code name}, and starts it. */
    static void restore(EmbeddedMySql server, String name) {
        server.stop();
        Path copy = server.directory().resolve(name);
        if (!Files.isDirectory(copy)) {
            throw new IllegalStateException(server + ": no saved data directory " + name);
        }
        run("rm", "-rf", data(server).toString());
        run("cp", "-a", copy.toString(), data(server).toString());
        server.start();
    }

    private static Path data(EmbeddedMySql server) {
        return server.directory().resolve("data");
    }

    private static void run(String... command) {
        try {
            Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command[0], e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command[0], e);
        }
    }
}
