package dev.binrelay.cli.config;

import dev.binrelay.cli.CommandResult;
import dev.binrelay.cli.ExitCodes;
import dev.binrelay.cli.daemon.ReplicaFactory;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.binrelay.checkpoint.GtidSet;
import dev.binrelay.engine.Replica;
import dev.binrelay.engine.ReplicaException;
import dev.binrelay.testkit.SourceAndTarget;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * No password in any log line (every logger at TRACE, the binlog client's java.util.logging included), status
 * document, command output or exception of a failed connection. The passwords are distinctive strings that cannot
 * turn up by chance.
 */
class SecretsTest {
    private static final String SOURCE_PASSWORD = "SrcCanary-4b1f-9e2d";
    private static final String TARGET_PASSWORD = "TgtCanary-7c3a-5f80";
    private static final String[] LIBRARIES = {"dev.binrelay", "com.zaxxer", "com.mysql", "com.github.shyiko"};

    @RegisterExtension
    static final SourceAndTarget servers = SourceAndTarget.create().keepSchemasBetweenTests();

    @TempDir
    Path folder;

    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private final Map<String, Level> levelsBefore = new java.util.HashMap<>();
    private final ObjectMapper json = new ObjectMapper()
            .registerModule(new SimpleModule().addSerializer(Instant.class, ToStringSerializer.instance));

    @BeforeAll
    static void createAccounts() {
        servers.source().execute("CREATE USER 'canary_repl'@'%' IDENTIFIED BY '" + SOURCE_PASSWORD + "'",
                "GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'canary_repl'@'%'");
        servers.target().execute("CREATE USER 'canary_apply'@'%' IDENTIFIED BY '" + TARGET_PASSWORD + "'",
                "GRANT ALL ON *.* TO 'canary_apply'@'%'");
    }

    @BeforeEach
    void captureEveryLogLine() {
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        captured.setContext(context);
        captured.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.addAppender(captured);
        levelsBefore.put(Logger.ROOT_LOGGER_NAME, root.getLevel());
        root.setLevel(Level.TRACE);
        for (String name : LIBRARIES) {
            Logger logger = context.getLogger(name);
            levelsBefore.put(name, logger.getLevel());
            logger.setLevel(Level.TRACE);
        }
    }

    @AfterEach
    void restoreLogging() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        levelsBefore.forEach((name, level) -> context.getLogger(name).setLevel(level));
        context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(captured);
        captured.stop();
    }

    @Test
    void aRunningReplicaNeverShowsItsPasswords() throws Exception {
        BinrelayConfig config = load(SOURCE_PASSWORD, TARGET_PASSWORD, servers.source().port(), "");
        Replica replica = ReplicaFactory.create(config);
        replica.start();
        try {
            servers.source().execute("CREATE DATABASE secrets_app", "CREATE TABLE secrets_app.t (id INT PRIMARY KEY)",
                    "INSERT INTO secrets_app.t VALUES (1), (2)");
            GtidSet wanted = GtidSet.parse(servers.source().gtidExecuted());
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!replica.appliedGtids().containsAll(wanted) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(replica.appliedGtids().containsAll(wanted)).as("caught up").isTrue();

            assertNoPassword("status document", json.writeValueAsString(replica.status()));
        } finally {
            replica.stop();
        }
        assertNoPassword("config", config.toString());
        assertThat(captured.list).as("log lines captured").isNotEmpty();
        assertNoPasswordLogged();
    }

    @Test
    void aWrongSourcePasswordIsNotShown() throws Exception {
        assertFailsWithoutShowingPasswords(load(SOURCE_PASSWORD + "-wrong", TARGET_PASSWORD, servers.source().port(), ""),
                "refused user 'canary_repl'");
    }

    @Test
    void aWrongTargetPasswordIsNotShown() throws Exception {
        assertFailsWithoutShowingPasswords(load(SOURCE_PASSWORD, TARGET_PASSWORD + "-wrong", servers.source().port(), ""),
                "refused user 'canary_apply'");
    }

    @Test
    void anUnreachableSourceDoesNotShowThePassword() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        assertFailsWithoutShowingPasswords(load(SOURCE_PASSWORD, TARGET_PASSWORD, closedPort, ""), "cannot reach");
    }

    @Test
    void aTlsFailureDoesNotShowThePassword() throws Exception {
        // A certificate that did not sign the server's: an unknown CA.
        String wrongCa = "  ssl:\n    mode: verify_ca\n    ca: " + servers.source().certificateFile("client-cert.pem")
                + "\n";
        assertFailsWithoutShowingPasswords(load(SOURCE_PASSWORD, TARGET_PASSWORD, servers.source().port(), wrongCa),
                "TLS unknown CA");
    }

    @Test
    void theRunCommandPrintsNoPasswordWhenItFails() throws Exception {
        Path config = writeConfig(SOURCE_PASSWORD + "-wrong", TARGET_PASSWORD, servers.source().port(), "");

        CommandResult result = CommandResult.run("run", "--config", config.toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(result.err()).contains("refused user 'canary_repl'");
        assertNoPassword("command output", result.out() + result.err());
        assertNoPasswordLogged();
    }

    private void assertFailsWithoutShowingPasswords(BinrelayConfig config, String expected) throws Exception {
        Replica replica = ReplicaFactory.create(config);

        Throwable failure = catchThrowable(replica::start);

        assertThat(failure).isInstanceOf(ReplicaException.class).hasMessageContaining(expected);
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        assertNoPassword("exception and its causes", trace.toString());
        assertNoPassword("status document", json.writeValueAsString(replica.status()));
        assertNoPasswordLogged();
    }

    private void assertNoPasswordLogged() {
        for (ILoggingEvent event : captured.list) {
            String line = event.getFormattedMessage() + (event.getThrowableProxy() == null ? ""
                    : ThrowableProxyUtil.asString(event.getThrowableProxy()));
            assertNoPassword("log line of " + event.getLoggerName(), line);
        }
    }

    private static void assertNoPassword(String where, String text) {
        assertThat(text).as(where).doesNotContain(SOURCE_PASSWORD).doesNotContain(TARGET_PASSWORD)
                .doesNotContain("Canary-");
    }

    /** A config with the source password in a file and the target's from the environment. */
    private BinrelayConfig load(String sourcePassword, String targetPassword, int sourcePort, String sourceTls)
            throws Exception {
        return new ConfigLoader(Map.of("TARGET_PW", targetPassword)::get)
                .read(writeConfig(sourcePassword, "${TARGET_PW}", sourcePort, sourceTls));
    }

    private Path writeConfig(String sourcePassword, String targetPassword, int sourcePort, String sourceTls)
            throws Exception {
        Path passwordFile = Files.writeString(folder.resolve("source.pw"), sourcePassword + "\n");
        String targetUrl = "jdbc:mysql://" + servers.target().host() + ":" + servers.target().port() + "/";
        return Files.writeString(folder.resolve("binrelay.yaml"), "source:\n"
                + "  host: " + servers.source().host() + "\n"
                + "  port: " + sourcePort + "\n"
                + "  user: canary_repl\n"
                + "  passwordFile: " + passwordFile + "\n"
                + "  serverId: 4711\n"
                + "  startGtids: current\n"
                + "  heartbeatSeconds: 1\n"
                + sourceTls
                + "target:\n"
                + "  url: " + targetUrl + "\n"
                + "  user: canary_apply\n"
                + "  password: \"" + targetPassword + "\"\n");
    }
}
