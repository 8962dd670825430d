package dev.binrelay.testkit;

import dev.binrelay.schema.Identifiers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A real {@code mysqld} 8.0.31 on a free loopback port, for tests, the demo and benchmarks.
 *
 * <p>Start one with {@link #startSource()} (binary log, GTIDs, ROW format), {@link #startTarget()} (no binary log), or
 * {@link #builder()} for other options. The server runs under a small shell watchdog that kills it when this JVM's
 * end of a pipe closes, so no {@code mysqld} outlives the JVM, even one killed with SIGKILL.
 *
 * <p>Not thread-safe for lifecycle calls (start, stop, kill); {@link #connect()} may be called from any thread.
 */
public final class EmbeddedMySql implements AutoCloseable {
    /** Fresh ports tried when the one picked was taken before mysqld could bind it. */
    private static final int PORT_ATTEMPTS = 3;
    private static final AtomicInteger NEXT_SERVER_ID = new AtomicInteger(100);
    private static final Set<String> SYSTEM_SCHEMAS = Set.of("mysql", "sys", "information_schema", "performance_schema");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final ServerBinaries distribution;
    private final Path directory;
    private final List<String> options;
    private final String name;
    private int port;
    private Process watchdog;

    private EmbeddedMySql(ServerBinaries distribution, Path directory, List<String> options, String name) {
        this.distribution = distribution;
        this.directory = directory;
        this.options = options;
        this.name = name;
    }

    /** A source: binary log on, {@code gtid_mode=ON}, {@code binlog_format=ROW}, a unique server_id. */
    public static EmbeddedMySql startSource() {
        return builder().name("source").binlog(true).gtid(true).start();
    }

    /**
     * A source without GTIDs ({@code gtid_mode=OFF}, {@code enforce_gtid_consistency=OFF}: every transaction is logged
     * with an ANONYMOUS_GTID event), binary log on, {@code binlog_format=ROW}, for position mode.
     */
    public static EmbeddedMySql startSourceWithoutGtids() {
        return builder().name("source").binlog(true).gtid(false).option("--gtid-mode=OFF")
                .option("--enforce-gtid-consistency=OFF").start();
    }

    /** A target: binary log off, a unique server_id. */
    public static EmbeddedMySql startTarget() {
        return builder().name("target").start();
    }

    /**
     * Starts servers side by side (each takes seconds to start) and returns them in the order given; when one fails,
     * the others are closed and its failure is thrown.
     */
    @SafeVarargs
    public static List<EmbeddedMySql> startTogether(Supplier<EmbeddedMySql>... starters) {
        List<CompletableFuture<EmbeddedMySql>> starting = new ArrayList<>();
        for (Supplier<EmbeddedMySql> starter : starters) {
            starting.add(CompletableFuture.supplyAsync(starter));
        }
        List<EmbeddedMySql> started = new ArrayList<>();
        RuntimeException failure = null;
        for (CompletableFuture<EmbeddedMySql> server : starting) {
            try {
                started.add(server.join());
            } catch (CompletionException e) {
                failure = e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        }
        if (failure != null) {
            started.forEach(EmbeddedMySql::close);
            throw failure;
        }
        return List.copyOf(started);
    }

    /** A builder for a server with the options a test asks for. */
    public static Builder builder() {
        return new Builder();
    }

    /** The loopback address the server listens on. */
    public String host() {
        return "127.0.0.1";
    }

    /** The TCP port the server listens on. */
    public int port() {
        return port;
    }

    /** The administrative user (root, created by {@code --initialize-insecure}). */
    public String user() {
        return "root";
    }

    /** The administrative user's password: empty. */
    public String password() {
        return "";
    }

    /** A JDBC URL for this server with no default database. */
    public String jdbcUrl() {
        return jdbcUrl("");
    }

    /** A JDBC URL for this server and the given default database. */
    public String jdbcUrl(String database) {
        return "jdbc:mysql://" + host() + ":" + port + "/" + database + "?useSSL=false&allowPublicKeyRetrieval=true";
    }

    /** The server's data directory, log files and socket live below this folder. */
    public Path directory() {
        return directory;
    }

    /**
     * A PEM file mysqld generated in its data directory: {@code ca.pem}, {@code server-cert.pem},
     * {@code client-cert.pem} or {@code client-key.pem} (signed by {@code ca.pem}; CN
     * {@code MySQL_Server_8.0.31_Auto_Generated_..._Certificate}, no host names).
     */
    public Path certificateFile(String name) {
        return directory.resolve("data").resolve(name);
    }

    /** A new connection as {@link #user()}; the caller closes it. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), user(), password());
    }

    /** Runs statements on one new connection with autocommit on. */
    public void execute(String... statements) {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(name + ": " + e.getMessage(), e);
        }
    }

    /** The first column of the first row of a query, as a string (null for SQL NULL or no row). */
    public String queryString(String sql) {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            return rows.next() ? rows.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(name + ": " + sql + ": " + e.getMessage(), e);
        }
    }

    /** {@code @@global.gtid_executed} with the newlines MySQL puts after commas removed. */
    public String gtidExecuted() {
        return queryString("SELECT @@global.gtid_executed").replace("\n", "");
    }

    /** {@code @@server_uuid}. */
    public String serverUuid() {
        return queryString("SELECT @@server_uuid");
    }

    /** Drops every schema except MySQL's own, so that tests sharing a server start clean. */
    public void dropUserSchemas() {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            List<String> schemas = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery("SELECT schema_name FROM information_schema.schemata")) {
                while (rows.next()) {
                    schemas.add(rows.getString(1));
                }
            }
            for (String schema : schemas) {
                if (!SYSTEM_SCHEMAS.contains(schema.toLowerCase())) {
                    statement.execute("DROP DATABASE " + Identifiers.quote(schema));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(name + ": cannot drop user schemas: " + e.getMessage(), e);
        }
    }

    /** Starts the server (again) on the same data directory and port. */
    public synchronized void start() {
        if (watchdog != null && watchdog.isAlive()) {
            throw new IllegalStateException(name + " is already running on port " + port);
        }
        if (port != 0) {
            launch();
            return;
        }
        // A free port is only free when we look: another process may bind it before mysqld does. Then try another.
        for (int attempt = 1; ; attempt++) {
            port = freePort();
            try {
                launch();
                return;
            } catch (IllegalStateException e) {
                if (attempt == PORT_ATTEMPTS || !String.valueOf(e.getMessage()).contains("Address already in use")) {
                    port = 0;
                    throw e;
                }
            }
        }
    }

    private void launch() {
        Path errorLog = directory.resolve("error.log");
        List<String> mysqld = new ArrayList<>(List.of(distribution.server().toString(), "--no-defaults",
                "--basedir=" + distribution.baseDir(), "--datadir=" + directory.resolve("data"),
                "--port=" + port, "--bind-address=127.0.0.1", "--socket=" + directory.resolve("mysql.sock"),
                "--pid-file=" + directory.resolve("mysqld.pid"), "--log-error=" + errorLog));
        mysqld.addAll(distribution.launchOptions());
        if (runningAsRoot()) {
            mysqld.add("--user=root");
        }
        mysqld.addAll(options);
        // The watchdog keeps fd 3 on our pipe; when this JVM dies for any reason the pipe closes, cat returns, and
        // mysqld is killed. A background job's stdin is /dev/null in sh, hence the copy to fd 3 first.
        List<String> command = new ArrayList<>(List.of("sh", "-c",
                "exec 3<&0; \"$@\" & pid=$!; (cat <&3 >/dev/null; kill -9 $pid 2>/dev/null) & wait $pid", "sh"));
        command.addAll(mysqld);
        try {
            long errorLogOffset = Files.exists(errorLog) ? Files.size(errorLog) : 0;
            watchdog = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(directory.resolve("stdout.log").toFile()).start();
            awaitReady(errorLog, errorLogOffset);
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": cannot start mysqld", e);
        }
    }

    /** Stops the server cleanly (SIGTERM, then waits for it to exit). */
    public synchronized void stop() {
        signal(false);
    }

    /** Kills the server with SIGKILL, as a crash would. */
    public synchronized void kill() {
        signal(true);
    }

    /** Stops and starts the server on the same port and data. */
    public void restart() {
        stop();
        start();
    }

    /** Stops the server and deletes its folder. */
    @Override
    public void close() {
        stop();
        MySqlDistribution.deleteRecursively(directory);
    }

    @Override
    public String toString() {
        return name + "@" + host() + ":" + port;
    }

    static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private void signal(boolean forcibly) {
        if (watchdog == null || !watchdog.isAlive()) {
            return;
        }
        Optional<ProcessHandle> server = mysqldProcess();
        server.ifPresent(handle -> {
            if (forcibly) {
                handle.destroyForcibly();
            } else {
                handle.destroy();
            }
        });
        try {
            if (!watchdog.waitFor(60, TimeUnit.SECONDS)) {
                server.ifPresent(ProcessHandle::destroyForcibly);
                watchdog.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Closing our end of the pipe lets the watchdog's cat finish.
        watchdog.destroyForcibly();
        watchdog = null;
    }

    private Optional<ProcessHandle> mysqldProcess() {
        String executable = distribution.server().getFileName().toString();
        return watchdog.descendants().filter(p -> p.info().command().map(c -> c.endsWith(executable)).orElse(false))
                .findFirst();
    }

    private void awaitReady(Path errorLog, long errorLogOffset) throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!watchdog.isAlive()) {
                throw new IllegalStateException(name + ": mysqld exited during start-up:\n" + tail(errorLog) + tail(
                        directory.resolve("stdout.log")));
            }
            if (Files.exists(errorLog)) {
                String log = Files.readString(errorLog, StandardCharsets.ISO_8859_1);
                if (log.length() > errorLogOffset && log.substring((int) errorLogOffset).contains("ready for connections")) {
                    return;
                }
            }
            sleep(50);
        }
        throw new IllegalStateException(name + ": mysqld not ready after " + START_TIMEOUT.toSeconds() + " s:\n"
                + tail(errorLog));
    }

    private static String tail(Path file) {
        try {
            if (!Files.exists(file)) {
                return "";
            }
            List<String> lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())) + "\n";
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")\n";
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for mysqld", e);
        }
    }

    /** Options for a new server. Defaults: binary log off, GTIDs off, fast (non-durable) flushing. */
    public static final class Builder {
        private final List<String> extra = new ArrayList<>();
        private String name = "mysql";
        private int serverId;
        private boolean binlog;
        private boolean gtid;
        private boolean durable;
        private boolean ownCertificates;
        private boolean mariaDb;

        private Builder() {
        }

        /**
         * A MariaDB server instead of MySQL 8.0.31 (see {@link EmbeddedMariaDb}); with the binary log on it also logs
         * {@code binlog_row_image=FULL} and {@code binlog_row_metadata=FULL}. MariaDB's GTIDs are always on, so
         * {@link #gtid} does not apply to it.
         */
        Builder mariaDb() {
            this.mariaDb = true;
            return this;
        }

        /** A name for logs and error messages. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** The server_id; unique by default. */
        public Builder serverId(int serverId) {
            this.serverId = serverId;
            return this;
        }

        /** Turns the binary log on, in ROW format. */
        public Builder binlog(boolean on) {
            this.binlog = on;
            return this;
        }

        /** Turns {@code gtid_mode} and {@code enforce_gtid_consistency} on (needs the binary log for a source). */
        public Builder gtid(boolean on) {
            this.gtid = on;
            return this;
        }

        /** Durable commits ({@code sync_binlog=1}, {@code innodb_flush_log_at_trx_commit=1}) instead of fast ones. */
        public Builder durable(boolean on) {
            this.durable = on;
            return this;
        }

        /**
         * Certificates of its own (a new CA, server and client certificate, which mysqld generates at its first
         * start) instead of the template's, which every server shares: for tests where one server's CA must not
         * vouch for another.
         */
        public Builder ownCertificates() {
            this.ownCertificates = true;
            return this;
        }

        /** Any other mysqld option, such as {@code --binlog-row-metadata=FULL}; later options win. */
        public Builder option(String option) {
            extra.add(option);
            return this;
        }

        /** Creates the data directory from the template and starts the server; blocks until it accepts connections. */
        public EmbeddedMySql start() {
            ServerBinaries distribution = mariaDb ? MariaDbDistribution.get() : MySqlDistribution.get();
            List<String> options = new ArrayList<>();
            options.add("--server-id=" + (serverId != 0 ? serverId : NEXT_SERVER_ID.getAndIncrement()));
            if (binlog) {
                options.add("--log-bin=binlog");
                options.add("--binlog-format=ROW");
                if (mariaDb) {
                    options.add("--binlog-row-image=FULL");
                    options.add("--binlog-row-metadata=FULL");
                }
            } else {
                options.add("--skip-log-bin");
            }
            if (gtid && !mariaDb) {
                options.add("--gtid-mode=ON");
                options.add("--enforce-gtid-consistency=ON");
            }
            if (durable) {
                options.add("--sync-binlog=1");
                options.add("--innodb-flush-log-at-trx-commit=1");
            } else {
                options.add("--sync-binlog=0");
                options.add("--innodb-flush-log-at-trx-commit=2");
                if (!mariaDb) {
                    options.add("--innodb-doublewrite=OFF");
                }
            }
            options.add("--innodb-buffer-pool-size=134217728");
            options.add("--performance-schema=OFF");
            options.add("--max-connections=500");
            options.addAll(extra);
            try {
                Path directory = Files.createTempDirectory("binrelay-" + name + "-");
                distribution.copyTemplateTo(directory.resolve("data"));
                if (ownCertificates && !mariaDb) {
                    for (String file : List.of("ca.pem", "ca-key.pem", "server-cert.pem", "server-key.pem",
                            "client-cert.pem", "client-key.pem")) {
                        Files.delete(directory.resolve("data").resolve(file));
                    }
                }
                EmbeddedMySql server = new EmbeddedMySql(distribution, directory, List.copyOf(options), name);
                server.start();
                return server;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a folder for mysqld", e);
            }
        }
    }
}
