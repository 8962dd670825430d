package dev.binrelay.engine.tls;

import dev.binrelay.engine.ReplicaException;
import dev.binrelay.engine.TlsSettings;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * The certificates and key of a {@link TlsSettings}, read from PEM files (with BouncyCastle: MySQL writes its client
 * key as PKCS#1, which the JDK cannot read) into the JDK's key stores and an {@link SSLContext}. Every failure is a
 * {@link ReplicaException} naming the key ({@code source.ssl.ca}...) and the file, never the file's content.
 */
final class TlsMaterial {
    private TlsMaterial() {
    }

    /**
     * An SSLContext for {@code tls}: trusting the CA for the {@code verify_*} modes and anything otherwise (those
     * modes encrypt without authenticating the server, as MySQL's client does), presenting the client certificate if
     * one is configured. Host names are checked by the caller ({@link BinlogTls}).
     *
     * @param keyPrefix {@code source.ssl} or {@code target.ssl}, for messages
     */
    static SSLContext sslContext(TlsSettings tls, String keyPrefix) {
        try {
            TrustManager[] trust;
            if (tls.mode().verifiesCertificate()) {
                TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                factory.init(trustStore(tls, keyPrefix));
                trust = factory.getTrustManagers();
            } else {
                trust = new TrustManager[] {new TrustingAnyServer()};
            }
            KeyManager[] keys = null;
            if (tls.hasClientCertificate()) {
                char[] password = new char[0];
                KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                factory.init(keyStore(tls, keyPrefix, password), password);
                keys = factory.getKeyManagers();
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys, trust, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new ReplicaException("cannot set up TLS from " + keyPrefix + ".*: " + e.getMessage(), e);
        }
    }

    /** A key store holding the CA certificate(s) of {@code tls} as trusted entries. */
    static KeyStore trustStore(TlsSettings tls, String keyPrefix) {
        List<X509Certificate> certificates = certificates(tls.ca(), keyPrefix + ".ca");
        try {
            KeyStore store = emptyStore();
            for (int i = 0; i < certificates.size(); i++) {
                store.setCertificateEntry("ca-" + i, certificates.get(i));
            }
            return store;
        } catch (GeneralSecurityException e) {
            throw new ReplicaException(keyPrefix + ".ca: cannot store the CA certificates of " + tls.ca() + ": "
                    + e.getMessage(), e);
        }
    }

    /** A key store holding the client certificate and its key, protected by {@code password}. */
    static KeyStore keyStore(TlsSettings tls, String keyPrefix, char[] password) {
        List<X509Certificate> chain = certificates(tls.cert(), keyPrefix + ".cert");
        PrivateKey key = privateKey(tls.key(), keyPrefix + ".key");
        try {
            KeyStore store = emptyStore();
            store.setKeyEntry("client", key, password, chain.toArray(new Certificate[0]));
            return store;
        } catch (GeneralSecurityException e) {
            throw new ReplicaException(keyPrefix + ".cert and " + keyPrefix + ".key do not make a key pair that "
                    + "can be used (" + tls.cert() + ", " + tls.key() + "): " + e.getMessage(), e);
        }
    }

    private static KeyStore emptyStore() throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        return store;
    }

    /** Every certificate in a PEM file; at least one. */
    static List<X509Certificate> certificates(Path file, String key) {
        List<X509Certificate> certificates = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
            for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
                if (item instanceof X509CertificateHolder holder) {
                    certificates.add(converter.getCertificate(holder));
                }
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw unreadable(key, file, "PEM certificate", e);
        }
        if (certificates.isEmpty()) {
            throw new ReplicaException(key + ": " + file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        return certificates;
    }

    /** The private key in a PEM file: PKCS#1 ({@code BEGIN RSA PRIVATE KEY}), SEC1 or PKCS#8, unencrypted. */
    static PrivateKey privateKey(Path file, String key) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
                if (item instanceof PEMKeyPair pair) {
                    return converter.getKeyPair(pair).getPrivate();
                }
                if (item instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw unreadable(key, file, "PEM private key", e);
        }
        throw new ReplicaException(key + ": " + file + " holds no unencrypted PEM private key (-----BEGIN RSA "
                + "PRIVATE KEY----- or -----BEGIN PRIVATE KEY-----)");
    }

    private static ReplicaException unreadable(String key, Path file, String what, Exception e) {
        // The exception's own message: a path or a parser's complaint, never the key material.
        return new ReplicaException(key + ": cannot read " + what + " file " + file + ": "
                + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage()), e);
    }

    /**
     * Accepts any server certificate: the {@code preferred} and {@code required} modes encrypt without authenticating
     * the server, like MySQL's client. An extended manager, so that the JDK adds no checks of its own.
     */
    private static final class TrustingAnyServer extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
