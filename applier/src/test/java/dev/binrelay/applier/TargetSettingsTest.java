package dev.binrelay.applier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.binrelay.engine.SslMode;
import dev.binrelay.engine.TlsSettings;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** TLS and credentials in {@code target.url}. */
class TargetSettingsTest {
    private static TargetSettings withUrl(String url, TlsSettings tls) {
        return new TargetSettings(url, "binrelay", "pw", "binrelay", "default", Set.of(), tls, false);
    }

    @Test
    void withoutSslSettingsTheUrlDecidesElsePreferred() {
        assertThat(withUrl("jdbc:mysql://h:3306/", null).sslMode()).isEqualTo(SslMode.PREFERRED);
        assertThat(withUrl("jdbc:mysql://h:3306/?useSSL=false", null).sslMode()).isEqualTo(SslMode.DISABLED);
        assertThat(withUrl("jdbc:mysql://h:3306/?useSSL=true", null).sslMode()).isEqualTo(SslMode.REQUIRED);
        // TLS set up wholly in the URL, trust store included: binrelay adds nothing.
        TargetSettings inUrl = withUrl("jdbc:mysql://h:3306/?a=1&sslMode=VERIFY_IDENTITY"
                + "&trustCertificateKeyStoreUrl=file:/etc/ts.p12", null);
        assertThat(inUrl.sslMode()).isEqualTo(SslMode.VERIFY_IDENTITY);
        assertThat(inUrl.tls()).isNull();
    }

    @Test
    void anSslModeAgreeingWithTheUrlIsAccepted() {
        assertThat(withUrl("jdbc:mysql://h/?sslMode=required", TlsSettings.of(SslMode.REQUIRED)).sslMode())
                .isEqualTo(SslMode.REQUIRED);
    }

    @Test
    void anSslModeContradictingTheUrlNamesBothKeys() {
        assertThatThrownBy(() -> withUrl("jdbc:mysql://h/?sslMode=DISABLED", TlsSettings.of(SslMode.REQUIRED)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("target.ssl.mode required contradicts target.url, which asks for disabled (sslMode or "
                        + "useSSL in its query string): set TLS in one place");
    }

    @Test
    void credentialsAndQueryStringAreLeftOutOfTheDisplayedUrl() {
        assertThat(TargetSettings.redactedUrl("jdbc:mysql://u:secret@h:3306/db?password=secret"))
                .isEqualTo("jdbc:mysql://***@h:3306/db");
        assertThat(TargetSettings.redactedUrl("jdbc:mysql://h:3306/db@x")).isEqualTo("jdbc:mysql://h:3306/db@x");
        assertThat(withUrl("jdbc:mysql://u:secret@h/", null).toString()).doesNotContain("secret");
    }
}
