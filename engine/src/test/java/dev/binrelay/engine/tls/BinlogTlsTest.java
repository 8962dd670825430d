package dev.binrelay.engine.tls;

import dev.binrelay.engine.SourceSettings;
import dev.binrelay.engine.SslMode;
import dev.binrelay.engine.TlsSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import dev.binrelay.testkit.EmbeddedMySql;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The binlog connection's TLS ({@link BinlogTls}) against a real source with MySQL's generated certificates: the
 * JDBC checks run first in a replica and would hide a binlog-only failure, so the binlog client is tested alone.
 */
class BinlogTlsTest {
    private static EmbeddedMySql source;

    @BeforeAll
    static void startSource() {
        source = EmbeddedMySql.startSource();
        // REQUIRE SSL: the server refuses this account on a plain connection.
        source.execute("CREATE USER 'tls_binlog'@'%' IDENTIFIED BY 'binlog-secret' REQUIRE SSL",
                "GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'tls_binlog'@'%'");
    }

    @AfterAll
    static void stopSource() {
        source.close();
    }

    @Test
    void verifyCaWithTheSourcesCaConnectsAnAccountThatRequiresTls() throws Exception {
        BinaryLogClient client = client(new TlsSettings(SslMode.VERIFY_CA, source.certificateFile("ca.pem"), null,
                null));
        client.connect(10_000);
        try {
            assertThat(client.isConnected()).isTrue();
        } finally {
            client.disconnect();
        }
    }

    @Test
    void aPlainConnectionIsRefusedByThatAccount() {
        Throwable failure = catchThrowable(() -> client(TlsSettings.DISABLED).connect(10_000));

        assertThat(failure).as("REQUIRE SSL is enforced, so the test above really used TLS").isNotNull()
                .hasMessageContaining("Access denied");
    }

    @Test
    void verifyCaWithACertificateThatDidNotSignTheServersIsAnUnknownCa() {
        TlsSettings tls = new TlsSettings(SslMode.VERIFY_CA, source.certificateFile("client-cert.pem"), null, null);

        Throwable failure = catchThrowable(() -> client(tls).connect(10_000));

        assertThat(TlsFailures.describe(failure, tls.mode(), tls.ca(), source.host(), "source.ssl"))
                .startsWith("TLS unknown CA").contains("source.ssl.mode verify_ca");
    }

    @Test
    void verifyIdentityChecksTheConfiguredHostAgainstTheCertificate() {
        TlsSettings tls = new TlsSettings(SslMode.VERIFY_IDENTITY, source.certificateFile("ca.pem"), null, null);

        Throwable failure = catchThrowable(() -> client(tls).connect(10_000));

        assertThat(TlsFailures.describe(failure, tls.mode(), tls.ca(), source.host(), "source.ssl"))
                .startsWith("TLS host name mismatch").contains("127.0.0.1", "source.ssl.mode verify_identity");
    }

    private static BinaryLogClient client(TlsSettings tls) {
        SourceSettings settings = SourceSettings.builder(source.host(), source.port()).user("tls_binlog")
                .password("binlog-secret").serverId(4343).heartbeat(Duration.ofSeconds(1))
                .connectTimeout(Duration.ofSeconds(10)).tls(tls).build();
        BinaryLogClient client = new BinaryLogClient(settings.host(), settings.port(), settings.user(),
                settings.password());
        client.setServerId(settings.serverId());
        client.setKeepAlive(false);
        BinlogTls.configure(client, settings);
        return client;
    }
}
