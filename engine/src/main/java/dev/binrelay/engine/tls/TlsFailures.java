package dev.binrelay.engine.tls;

import dev.binrelay.engine.SslMode;
import java.nio.file.Path;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.Locale;
import javax.net.ssl.SSLException;

/**
 * Says what went wrong when a connection failed in TLS, so that the operator knows which setting to look at:
 * the server's certificate is not signed by the configured CA, it does not name the host, the server offers no TLS, or
 * the handshake failed otherwise. Every message names {@code *.ssl.mode}.
 */
public final class TlsFailures {
    private TlsFailures() {
    }

    /**
     * What the TLS failure in {@code failure}'s causes was, or null when it is not a TLS failure.
     *
     * @param sslMode   the mode in effect
     * @param ca        the configured CA file, null if none
     * @param host      the host connected to, as configured
     * @param keyPrefix {@code source.ssl} or {@code target.ssl}
     */
    public static String describe(Throwable failure, SslMode sslMode, Path ca, String host, String keyPrefix) {
        if (sslMode == SslMode.DISABLED) {
            return null;
        }
        String mode = " (" + keyPrefix + ".mode " + sslMode + ")";
        Throwable hostMismatch = find(failure, TlsFailures::isHostMismatch);
        if (hostMismatch != null) {
            return "TLS host name mismatch: the server's certificate does not name " + host + mode + ": "
                    + hostMismatch.getMessage() + "; connect by a name the certificate holds, or use "
                    + keyPrefix + ".mode verify_ca";
        }
        if (find(failure, t -> t instanceof CertPathBuilderException || t instanceof CertPathValidatorException
                || contains(t, "PKIX path")) != null) {
            return "TLS unknown CA: the server's certificate is not signed by " + (ca == null ? "a trusted CA"
                    : "the CA in " + keyPrefix + ".ca (" + ca + ")") + mode;
        }
        if (find(failure, t -> contains(t, "not support ssl") || contains(t, "not supported by server")) != null) {
            return "the server does not offer TLS, which " + keyPrefix + ".mode " + sslMode + " needs";
        }
        Throwable handshake = find(failure, t -> t instanceof SSLException);
        if (handshake != null) {
            return "TLS handshake failed" + mode + ": " + handshake.getMessage();
        }
        return null;
    }

    private static boolean isHostMismatch(Throwable t) {
        return t.getClass().getSimpleName().equals("IdentityVerificationException")
                || (t instanceof CertificateException && (contains(t, "subject alternative name")
                || contains(t, "no name matching") || contains(t, "identity verification failed")
                || contains(t, "identity check failed")));
    }

    private static boolean contains(Throwable t, String fragment) {
        return t.getMessage() != null && t.getMessage().toLowerCase(Locale.ROOT).contains(fragment.toLowerCase(
                Locale.ROOT));
    }

    private static Throwable find(Throwable failure, java.util.function.Predicate<Throwable> test) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (test.test(t)) {
                return t;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }
}
