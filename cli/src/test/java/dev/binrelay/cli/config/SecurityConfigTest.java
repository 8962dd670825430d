package dev.binrelay.cli.config;

import dev.binrelay.cli.CommandResult;
import dev.binrelay.cli.daemon.ReplicaFactory;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.binrelay.engine.SslMode;
import dev.binrelay.engine.TlsSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The security keys: passwordFile, source.ssl.*, target.ssl.*, target.requireReadOnly. */
class SecurityConfigTest {
    private static final String SECRET = "Zq-81-file-secret";

    @TempDir
    Path folder;

    private final ConfigLoader loader = new ConfigLoader(Map.<String, String>of()::get);

    private BinrelayConfig parse(String source, String target) {
        return loader.parse("source:\n  host: db1\n  user: repl\n  serverId: 7\n" + source
                + "target:\n  url: jdbc:mysql://db2:3306/\n  user: binrelay\n" + target, "test.yaml");
    }

    private String problemsOf(String source, String target) {
        try {
            parse(source, target);
        } catch (ConfigException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected a ConfigException");
    }

    private Path file(String name, String content) throws Exception {
        return Files.writeString(folder.resolve(name), content);
    }

    @Test
    void passwordFilesAreReadWithOneTrailingNewlineStripped() throws Exception {
        Path sourceFile = file("source.pw", SECRET + "\n");
        Path targetFile = file("target.pw", "with-blank-line\n\n");

        BinrelayConfig config = parse("  passwordFile: " + sourceFile + "\n", "  passwordFile: " + targetFile + "\n");

        assertThat(config.source().password()).isEqualTo(SECRET);
        assertThat(config.target().password()).isEqualTo("with-blank-line\n");
        assertThat(config.toString()).doesNotContain(SECRET).doesNotContain("with-blank-line");
    }

    @Test
    void windowsLineEndingIsStrippedAndAFileWithoutNewlineIsTakenAsIs() throws Exception {
        BinrelayConfig config = parse("  passwordFile: " + file("crlf.pw", "crlf-pw\r\n") + "\n",
                "  passwordFile: " + file("plain.pw", "plain-pw") + "\n");

        assertThat(config.source().password()).isEqualTo("crlf-pw");
        assertThat(config.target().password()).isEqualTo("plain-pw");
    }

    @Test
    void passwordAndPasswordFileTogetherAreAnErrorNamingBothKeys() throws Exception {
        Path pw = file("source.pw", SECRET);

        String problems = problemsOf("  password: other\n  passwordFile: " + pw + "\n", "");

        assertThat(problems).contains("source.password and source.passwordFile are both set")
                .doesNotContain(SECRET).doesNotContain("other");
    }

    @Test
    void missingOrUnreadablePasswordFilesAreNamedByKey() throws Exception {
        Files.createDirectory(folder.resolve("a-directory"));

        String problems = problemsOf("  passwordFile: " + folder.resolve("nowhere.pw") + "\n",
                "  passwordFile: " + folder.resolve("a-directory") + "\n");

        assertThat(problems).contains("source.passwordFile: file " + folder.resolve("nowhere.pw") + " does not exist")
                .contains("target.passwordFile: " + folder.resolve("a-directory") + " is not a file this process "
                        + "can read");
    }

    @Test
    void aPasswordFileThatIsNotUtf8IsRefusedWithoutQuotingIt() throws Exception {
        Path pw = Files.write(folder.resolve("latin1.pw"), (SECRET + "\u00e9").getBytes(StandardCharsets.ISO_8859_1));

        String problems = problemsOf("  passwordFile: " + pw + "\n", "");

        assertThat(problems).contains("source.passwordFile: " + pw + " is not UTF-8 text").doesNotContain(SECRET);
    }

    @Test
    void withoutSslKeysTheSourceIsPreferredAndTheTargetLeftToItsUrl() {
        BinrelayConfig config = parse("", "");

        assertThat(config.source().tls()).isEqualTo(TlsSettings.PREFERRED);
        assertThat(config.target().tls()).isNull();
        assertThat(config.target().requireReadOnly()).isFalse();
    }

    @Test
    void everySslModeIsAcceptedInAnyCase() throws Exception {
        Path ca = file("ca.pem", "pem");
        for (SslMode mode : SslMode.values()) {
            String caLine = mode.verifiesCertificate() ? "    ca: " + ca + "\n" : "";
            BinrelayConfig config = parse("  ssl:\n    mode: " + mode.name() + "\n" + caLine,
                    "  ssl:\n    mode: " + mode.configName() + "\n" + caLine);

            assertThat(config.source().tls().mode()).isEqualTo(mode);
            assertThat(config.target().tls().mode()).isEqualTo(mode);
        }
    }

    @Test
    void allSslFilesAreKeptAndACaAloneMeansVerifyCa() throws Exception {
        Path ca = file("ca.pem", "pem");
        Path cert = file("client-cert.pem", "pem");
        Path key = file("client-key.pem", "pem");

        BinrelayConfig config = parse("  ssl:\n    ca: " + ca + "\n", "  ssl:\n    mode: verify_identity\n    ca: " + ca
                + "\n    cert: " + cert + "\n    key: " + key + "\n");

        assertThat(config.source().tls()).isEqualTo(new TlsSettings(SslMode.VERIFY_CA, ca, null, null));
        assertThat(config.target().tls()).isEqualTo(new TlsSettings(SslMode.VERIFY_IDENTITY, ca, cert, key));
        assertThat(config.source().toString()).contains("ssl verify_ca");
    }

    @Test
    void anUnknownSslModeListsTheValidOnes() {
        assertThat(problemsOf("  ssl:\n    mode: verify_full\n", ""))
                .contains("source.ssl.mode: 'verify_full' is not a TLS mode: use one of disabled, preferred, "
                        + "required, verify_ca, verify_identity");
    }

    @Test
    void sslFilesThatDoNotFitTheModeAreErrorsNamingTheKeys() throws Exception {
        Path pem = file("any.pem", "pem");

        String problems = problemsOf("  ssl:\n    mode: verify_ca\n    cert: " + pem + "\n",
                "  ssl:\n    mode: required\n    ca: " + pem + "\n");

        assertThat(problems)
                .contains("source.ssl.cert and source.ssl.key go together")
                .contains("source.ssl.mode verify_ca needs source.ssl.ca")
                .contains("target.ssl.ca is only used by target.ssl.mode verify_ca or verify_identity, not required");
    }

    @Test
    void aClientCertificateWithTlsDisabledIsAnError() throws Exception {
        Path pem = file("any.pem", "pem");

        assertThat(problemsOf("", "  ssl:\n    mode: disabled\n    cert: " + pem + "\n    key: " + pem + "\n"))
                .contains("target.ssl.cert and target.ssl.key need TLS, not target.ssl.mode disabled");
    }

    @Test
    void missingSslFilesAreNamedByKey() {
        assertThat(problemsOf("  ssl:\n    ca: " + folder.resolve("no-ca.pem") + "\n", ""))
                .contains("source.ssl.ca: file " + folder.resolve("no-ca.pem") + " does not exist");
    }

    @Test
    void requireReadOnlyIsABoolean() {
        assertThat(parse("", "  requireReadOnly: true\n").target().requireReadOnly()).isTrue();
        assertThat(problemsOf("", "  requireReadOnly: always\n"))
                .contains("target.requireReadOnly must be true or false, not 'always'");
    }

    @Test
    void aTargetSslModeContradictingTheUrlIsAConfigErrorNamingBoth() {
        BinrelayConfig config = loader.parse("""
                source: {host: db1, user: repl, serverId: 7}
                target:
                  url: jdbc:mysql://db2:3306/?useSSL=false
                  user: binrelay
                  ssl: {mode: required}
                """, "test.yaml");

        assertThatThrownBy(() -> ReplicaFactory.targetSettings(config)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("target.ssl.mode required contradicts target.url");
    }

    @Test
    void credentialsInTheTargetUrlAreNotShown() {
        BinrelayConfig config = loader.parse("""
                source: {host: db1, user: repl, serverId: 7}
                target:
                  url: jdbc:mysql://binrelay:Url-Secret-9@db2:3306/app?password=Url-Secret-9
                  user: binrelay
                """, "test.yaml");

        assertThat(config.toString()).doesNotContain("Url-Secret-9").contains("db2:3306/app");
        assertThat(ReplicaFactory.targetSettings(config).toString()).doesNotContain("Url-Secret-9");
    }

    @Test
    void runHelpListsTheSecurityKeys() {
        CommandResult help = CommandResult.run("run", "--help");

        assertThat(help.out()).contains("passwordFile", "ssl.mode", "ssl.ca", "ssl.cert", "ssl.key",
                "requireReadOnly", "verify_identity");
    }
}
