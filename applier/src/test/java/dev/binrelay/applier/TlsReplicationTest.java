package dev.binrelay.applier;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.binrelay.engine.Replica;
import dev.binrelay.engine.ReplicaException;
import dev.binrelay.engine.SourceSettings;
import dev.binrelay.engine.SslMode;
import dev.binrelay.engine.TlsSettings;
import dev.binrelay.testkit.EmbeddedMySql;
import dev.binrelay.testkit.SourceAndTarget;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * TLS to the source and to the target with the certificates MySQL 8 generates. The source has certificates of its own
 * and the target the template's, so each server's CA is the wrong one for the other. Accounts created
 * {@code REQUIRE SSL} or {@code REQUIRE X509} prove that the connections really use TLS: the server refuses them
 * otherwise (shown by each test's plain attempt).
 */
class TlsReplicationTest {
    @RegisterExtension
    static final ReplicaFixture fixture = new ReplicaFixture(SourceAndTarget.withSource(
            () -> EmbeddedMySql.builder().name("source").binlog(true).gtid(true).ownCertificates().start()));

    @Test
    void sourceVerifyCaWithTheSourcesGeneratedCaReplicatesOverTls() throws Exception {
        fixture.source().execute("CREATE USER IF NOT EXISTS 'tls_repl'@'%' IDENTIFIED BY 'tls-secret' REQUIRE SSL",
                "GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'tls_repl'@'%'");
        assertThatThrownBy(() -> start(source("tls_repl", "tls-secret", TlsSettings.DISABLED)))
                .as("the account accepts TLS connections only").isInstanceOf(ReplicaException.class)
                .hasMessageContaining("error 1045");

        Replica replica = start(source("tls_repl", "tls-secret",
                new TlsSettings(SslMode.VERIFY_CA, sourceFile("ca.pem"), null, null)));
        try {
            writeOnSource("tls_app");
            fixture.awaitCaughtUp(replica);
            fixture.assertTablesMatch("tls_app");
        } finally {
            replica.stop();
        }
    }

    @Test
    void sourceVerifyCaWithAnotherServersCaFailsNamingTheUnknownCa() {
        fixture.source().execute("CREATE USER IF NOT EXISTS 'tls_repl'@'%' IDENTIFIED BY 'tls-secret' REQUIRE SSL",
                "GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'tls_repl'@'%'");
        Path wrongCa = fixture.target().certificateFile("ca.pem");

        assertThatThrownBy(() -> start(source("tls_repl", "tls-secret",
                new TlsSettings(SslMode.VERIFY_CA, wrongCa, null, null))))
                .isInstanceOf(ReplicaException.class)
                .hasMessageContaining("TLS unknown CA")
                .hasMessageContaining("not signed by the CA in source.ssl.ca (" + wrongCa + ")")
                .hasMessageContaining("source.ssl.mode verify_ca");
    }

    @Test
    void sourceVerifyIdentityAgainstTheAddressFailsOnTheGeneratedCertificatesName() {
        // MySQL's generated certificate names no host (CN MySQL_Server_8.0.31_Auto_Generated_Server_Certificate).
        assertThatThrownBy(() -> start(source("root", "",
                new TlsSettings(SslMode.VERIFY_IDENTITY, sourceFile("ca.pem"), null, null))))
                .isInstanceOf(ReplicaException.class)
                .hasMessageContaining("TLS host name mismatch")
                .hasMessageContaining("does not name 127.0.0.1")
                .hasMessageContaining("source.ssl.mode verify_identity");
    }

    @Test
    void sourceClientCertificateLogsInAnAccountRequiringX509() throws Exception {
        fixture.source().execute("CREATE USER IF NOT EXISTS 'x509_repl'@'%' IDENTIFIED BY 'x509-secret' REQUIRE X509",
                "GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'x509_repl'@'%'");
        assertThatThrownBy(() -> start(source("x509_repl", "x509-secret",
                new TlsSettings(SslMode.VERIFY_CA, sourceFile("ca.pem"), null, null))))
                .as("the account needs a client certificate").isInstanceOf(ReplicaException.class)
                .hasMessageContaining("error 1045");

        // client-key.pem is PKCS#1 ("BEGIN RSA PRIVATE KEY"), as MySQL writes it.
        Replica replica = start(source("x509_repl", "x509-secret", new TlsSettings(SslMode.VERIFY_CA,
                sourceFile("ca.pem"), sourceFile("client-cert.pem"), sourceFile("client-key.pem"))));
        try {
            writeOnSource("x509_app");
            fixture.awaitCaughtUp(replica);
            fixture.assertTablesMatch("x509_app");
        } finally {
            replica.stop();
        }
    }

    @Test
    void targetVerifyCaWithTheTargetsCaAppliesOverTls() throws Exception {
        fixture.target().execute("CREATE USER IF NOT EXISTS 'tls_apply'@'%' IDENTIFIED BY 'apply-secret' REQUIRE SSL",
                "GRANT ALL ON *.* TO 'tls_apply'@'%'");
        TargetSettings plain = new TargetSettings(fixture.target().jdbcUrl(), "tls_apply", "apply-secret", "binrelay",
                "default");
        assertThatThrownBy(() -> start(fixture.sourceSettings(), plain)).as("the account accepts TLS only")
                .isInstanceOf(ReplicaException.class).hasMessageContaining("error 1045");

        Replica replica = start(fixture.sourceSettings(), target(new TlsSettings(SslMode.VERIFY_CA,
                fixture.target().certificateFile("ca.pem"), null, null)));
        try {
            writeOnSource("tls_target");
            fixture.awaitCaughtUp(replica);
            fixture.assertTablesMatch("tls_target");
        } finally {
            replica.stop();
        }
    }

    @Test
    void targetVerifyCaWithAnotherServersCaFailsNamingTheUnknownCa() {
        fixture.target().execute("CREATE USER IF NOT EXISTS 'tls_apply'@'%' IDENTIFIED BY 'apply-secret' REQUIRE SSL",
                "GRANT ALL ON *.* TO 'tls_apply'@'%'");

        assertThatThrownBy(() -> start(fixture.sourceSettings(), target(new TlsSettings(SslMode.VERIFY_CA,
                sourceFile("ca.pem"), null, null))))
                .isInstanceOf(ReplicaException.class)
                .hasMessageContaining("TLS unknown CA")
                .hasMessageContaining("target.ssl.mode verify_ca");
    }

    @Test
    void aTlsModeContradictingTheTargetUrlIsRefusedNamingBoth() {
        assertThatThrownBy(() -> new TargetSettings(fixture.target().jdbcUrl(), "root", "", "binrelay", "default",
                java.util.Set.of(), TlsSettings.of(SslMode.REQUIRED), false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("target.ssl.mode required contradicts target.url")
                .hasMessageContaining("disabled");
    }

    private static Path sourceFile(String name) {
        return fixture.source().certificateFile(name);
    }

    private static SourceSettings source(String user, String password, TlsSettings tls) {
        return SourceSettings.builder(fixture.source().host(), fixture.source().port()).user(user).password(password)
                .serverId(4242).startGtids("current").heartbeat(Duration.ofSeconds(1))
                .connectTimeout(Duration.ofSeconds(10)).tls(tls).build();
    }

    /** The target as {@code tls_apply}, by a URL that leaves TLS to the settings. */
    private static TargetSettings target(TlsSettings tls) {
        String url = "jdbc:mysql://" + fixture.target().host() + ":" + fixture.target().port() + "/";
        return new TargetSettings(url, "tls_apply", "apply-secret", "binrelay", "default", java.util.Set.of(), tls,
                false);
    }

    private static Replica start(SourceSettings source) {
        return start(source, fixture.targetSettings());
    }

    private static Replica start(SourceSettings source, TargetSettings target) {
        Replica replica = Replica.builder().source(source).applier(new JdbcApplier(target)).build();
        replica.start();
        return replica;
    }

    private static void writeOnSource(String schema) {
        fixture.source().execute("CREATE DATABASE " + schema,
                "CREATE TABLE " + schema + ".t (id INT PRIMARY KEY, v VARCHAR(20))",
                "INSERT INTO " + schema + ".t VALUES (1, 'one'), (2, 'two'), (3, 'three')",
                "UPDATE " + schema + ".t SET v = 'deux' WHERE id = 2",
                "DELETE FROM " + schema + ".t WHERE id = 3");
    }
}
