package dev.binrelay.engine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
            mode = impliedMode(ca);
        }
        List<String> problems = problems("ssl", mode, ca, cert, key);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(problems.get(0));
        }
    }

    /**
     * What is wrong with these values, one message per problem naming the keys under {@code keyPrefix}; empty when
     * they fit together.
     *
     * @param keyPrefix {@code source.ssl} or {@code target.ssl}
     * @param mode      the mode, or null for the one {@link #impliedMode} gives
     */
    public static List<String> problems(String keyPrefix, SslMode mode, Path ca, Path cert, Path key) {
        SslMode effective = mode == null ? impliedMode(ca) : mode;
        List<String> problems = new ArrayList<>();
        if ((cert == null) != (key == null)) {
            problems.add(keyPrefix + ".cert and " + keyPrefix + ".key go together: give both or neither");
        }
        if (effective.verifiesCertificate() && ca == null) {
            problems.add(keyPrefix + ".mode " + effective + " needs " + keyPrefix + ".ca, the CA certificate to "
                    + "verify the server's certificate with");
        }
        if (!effective.verifiesCertificate() && ca != null) {
            // Silently ignoring the CA would let an operator believe the server is verified.
            problems.add(keyPrefix + ".ca is only used by " + keyPrefix + ".mode verify_ca or verify_identity, not "
                    + effective);
        }
        if (effective == SslMode.DISABLED && (cert != null || key != null)) {
            problems.add(keyPrefix + ".cert and " + keyPrefix + ".key need TLS, not " + keyPrefix
                    + ".mode disabled");
        }
        return problems;
    }

    /** The mode when none is given, as the MySQL client decides: {@code verify_ca} with a CA, else {@code preferred}. */
    public static SslMode impliedMode(Path ca) {
        return ca != null ? SslMode.VERIFY_CA : SslMode.PREFERRED;
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
