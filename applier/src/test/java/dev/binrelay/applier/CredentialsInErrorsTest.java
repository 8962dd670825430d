package dev.binrelay.applier;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import dev.binrelay.engine.Replica;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * A replicated {@code CREATE USER} that fails on the target: MySQL logged it with the password hash, and neither the
 * replica's error (with its causes) nor any log line may show it.
 */
class CredentialsInErrorsTest {
    @RegisterExtension
    static final ReplicaFixture fixture = new ReplicaFixture();

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger binrelayLogger = (Logger) LoggerFactory.getLogger("dev.binrelay");

    @BeforeEach
    void captureLog() {
        log.start();
        binrelayLogger.addAppender(log);
    }

    @AfterEach
    void releaseLog() {
        binrelayLogger.detachAppender(log);
        for (var server : List.of(fixture.source(), fixture.target())) {
            server.execute("DROP USER IF EXISTS 'leak'@'%'");
        }
    }

    @Test
    void aFailingCreateUserNamesItsErrorWithoutThePasswordHash() throws Exception {
        fixture.target().execute("CREATE USER 'leak'@'%' IDENTIFIED BY 'Other-pass-2'");
        fixture.fixStartPositionNow();
        fixture.source().execute("CREATE USER 'leak'@'%' IDENTIFIED BY 'Leak-pass-1'");
        String hash = fixture.source().queryString(
                "SELECT authentication_string FROM mysql.user WHERE user = 'leak' AND host = '%'");
        String digest = hash.substring(hash.length() - 16); // the printable end of '$A$005$<salt><digest>'

        Replica replica = fixture.startReplicaExpectingFailure(new JdbcApplier(fixture.targetSettings()));
        try {
            ReplicaFixture.assertFailsWith(replica, "target error 1396", "CREATE USER 'leak'@'%'", "<redacted>");
        } finally {
            replica.stop();
        }
        List<String> shown = new ArrayList<>();
        for (Throwable t = replica.failure(); t != null; t = t.getCause()) {
            shown.add(t.toString());
        }
        for (ILoggingEvent event : log.list) {
            shown.add(event.getFormattedMessage());
            for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                shown.add(t.getMessage());
            }
        }
        shown.add(String.valueOf(replica.status()));
        assertThat(shown).isNotEmpty().noneMatch(text -> text != null && (text.contains(digest)
                || text.contains("Leak-pass-1") || text.contains("$A$005$") || text.contains("0x2441303035")));
    }
}
