package dev.binrelay.engine;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a connection uses TLS, with the meanings of the MySQL client's {@code --ssl-mode} (and Connector/J's
 * {@code sslMode}).
 */
public enum SslMode {
    /** Plain TCP. */
    DISABLED,
    /** TLS when the server offers it, else plain; the server's certificate is not checked. MySQL's default. */
    PREFERRED,
    /** TLS or no connection; the server's certificate is not checked. */
    REQUIRED,
    /** TLS, and the server's certificate must be signed by the configured CA. */
    VERIFY_CA,
    /** As {@link #VERIFY_CA}, and the certificate must name the host connected to. */
    VERIFY_IDENTITY;

    /** The mode for a config value such as {@code verify_ca} (any case). */
    public static SslMode parse(String value) {
        String wanted = value.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        return Arrays.stream(values()).filter(mode -> mode.name().equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("'" + value + "' is not a TLS mode: use one of "
                        + Arrays.stream(values()).map(SslMode::configName).collect(Collectors.joining(", "))));
    }

    /** The value as written in a config file: {@code verify_ca}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the server's certificate is checked against a CA. */
    public boolean verifiesCertificate() {
        return this == VERIFY_CA || this == VERIFY_IDENTITY;
    }

    @Override
    public String toString() {
        return configName();
    }
}
