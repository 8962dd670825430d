package dev.binrelay.engine.tls;

import dev.binrelay.engine.ReplicaException;
import dev.binrelay.engine.TlsSettings;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Connector/J connection properties for a {@link TlsSettings}: {@code sslMode}, and for the PEM files the
 * PKCS#12 trust and key stores Connector/J reads ({@code trustCertificateKeyStoreUrl},
 * {@code clientCertificateKeyStoreUrl}). The stores are written once per settings to temporary files readable only
 * by this process's user, with a random password, and deleted when the JVM exits; connection pools open new
 * connections for as long as the process runs, so the files must outlive any one connection.
 *
 * <p>Thread-safe.
 */
public final class ConnectorJTls {
    private static final Map<TlsSettings, Properties> WRITTEN = new ConcurrentHashMap<>();
    private static final SecureRandom RANDOM = new SecureRandom();

    private ConnectorJTls() {
    }

    /**
     * The properties for {@code tls}; a copy the caller may change.
     *
     * @param keyPrefix {@code source.ssl} or {@code target.ssl}, named in messages
     * @throws ReplicaException naming the key when a PEM file cannot be read or the stores cannot be written
     */
    public static Properties properties(TlsSettings tls, String keyPrefix) {
        Properties properties = new Properties();
        properties.putAll(WRITTEN.computeIfAbsent(tls, settings -> build(settings, keyPrefix)));
        return properties;
    }

    private static Properties build(TlsSettings tls, String keyPrefix) {
        Properties properties = new Properties();
        properties.setProperty("sslMode", tls.mode().name());
        if (tls.ca() != null) {
            String password = newPassword();
            Path store = write(TlsMaterial.trustStore(tls, keyPrefix), password, keyPrefix + ".ca");
            properties.setProperty("trustCertificateKeyStoreUrl", store.toUri().toString());
            properties.setProperty("trustCertificateKeyStoreType", "PKCS12");
            properties.setProperty("trustCertificateKeyStorePassword", password);
            // Only the configured CA: not the JVM's public CAs as well.
            properties.setProperty("fallbackToSystemTrustStore", "false");
        }
        if (tls.hasClientCertificate()) {
            String password = newPassword();
            Path store = write(TlsMaterial.keyStore(tls, keyPrefix, password.toCharArray()), password,
                    keyPrefix + ".key");
            properties.setProperty("clientCertificateKeyStoreUrl", store.toUri().toString());
            properties.setProperty("clientCertificateKeyStoreType", "PKCS12");
            properties.setProperty("clientCertificateKeyStorePassword", password);
        }
        properties.setProperty("fallbackToSystemKeyStore", "false");
        return properties;
    }

    private static String newPassword() {
        return new BigInteger(128, RANDOM).toString(36);
    }

    private static Path write(KeyStore store, String password, String key) {
        try {
            Path file = Files.createTempFile("binrelay-tls-", ".p12",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            file.toFile().deleteOnExit();
            try (OutputStream out = Files.newOutputStream(file)) {
                store.store(out, password.toCharArray());
            }
            return file;
        } catch (IOException | GeneralSecurityException e) {
            throw new ReplicaException(key + ": cannot write the key store Connector/J reads to a temporary file: "
                    + e.getMessage(), e);
        }
    }
}
