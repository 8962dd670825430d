package dev.binrelay.engine;

import java.nio.file.Path;

/**
 * TLS for one server's connections ({@code source.ssl.*} or {@code target.ssl.*}). Files are PEM, as MySQL writes
 * them: the CA certificate(s), and the client certificate with its private key (PKCS#1 or PKCS#8, unencrypted).
 *
 * @param mode how TLS is used; null: {@code verify_ca} when a CA is given, else {@code preferred}, as the MySQL
 *             client decides
 * @param ca   the CA certificate(s) the server's certificate must be signed by; required by, and only used by, the
 *             {@code verify_*} modes
 * @param cert the client certificate, for accounts created {@code REQUIRE X509}; null for none
 * @param key  the private key of {@code cert}; given with it or not at all
 */
public record TlsSettings(SslMode mode, Path ca, Path cert, Path key) {
    /** MySQL's default: TLS when the server offers it, without checking its certificate. */
    public static final TlsSettings PREFERRED = new TlsSettings(SslMode.PREFERRED, null, null, null);
    /** Plain TCP. */
    public static final TlsSettings DISABLED = new TlsSettings(SslMode.DISABLED, null, null, null);

    /** Fills in the mode and checks that the files fit it; messages name the keys under {@code ssl.}. */
    public TlsSettings {
        if (mode == null) {
            mode = ca != null ? SslMode.VERIFY_CA : SslMode.PREFERRED;
        }
        if ((cert == null) != (key == null)) {
            throw new IllegalArgumentException("ssl.cert and ssl.key go together: give both or neither");
        }
        if (mode.verifiesCertificate() && ca == null) {
            throw new IllegalArgumentException("ssl.mode " + mode + " needs ssl.ca, the CA certificate to verify the "
                    + "server's certificate with");
        }
        if (!mode.verifiesCertificate() && ca != null) {
            // Silently ignoring the CA would let an operator believe the server is verified.
            throw new IllegalArgumentException("ssl.ca is only used by ssl.mode verify_ca or verify_identity, not "
                    + mode);
        }
        if (mode == SslMode.DISABLED && cert != null) {
            throw new IllegalArgumentException("ssl.cert and ssl.key need TLS, not ssl.mode disabled");
        }
    }

    /** The mode alone, without files. */
    public static TlsSettings of(SslMode mode) {
        return new TlsSettings(mode, null, null, null);
    }

    /** Whether a client certificate is presented. */
    public boolean hasClientCertificate() {
        return cert != null;
    }
}
