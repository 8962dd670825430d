package dev.binrelay.engine.tls;

import dev.binrelay.engine.SourceSettings;
import dev.binrelay.engine.SslMode;
import dev.binrelay.engine.TlsSettings;
import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.network.SSLMode;
import com.github.shyiko.mysql.binlog.network.SSLSocketFactory;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * TLS for the binlog connection: wraps the library's socket in TLS with an {@link SSLContext} built from
 * {@code source.ssl.*}. For {@code verify_identity} the JDK checks the configured host name against the certificate
 * during the handshake; the library's own check is not used, because it compares the certificate with the reverse
 * DNS name of the address, not with the name the operator configured.
 */
public final class BinlogTls implements SSLSocketFactory {
    private final SSLContext context;
    private final String host;
    private final boolean verifyIdentity;

    private BinlogTls(SSLContext context, String host, boolean verifyIdentity) {
        this.context = context;
        this.host = host;
        this.verifyIdentity = verifyIdentity;
    }

    /** Sets the client's TLS mode and socket factory from the source settings. */
    public static void configure(BinaryLogClient client, SourceSettings settings) {
        TlsSettings tls = settings.tls();
        client.setSSLMode(libraryMode(tls.mode()));
        if (tls.mode() != SslMode.DISABLED) {
            client.setSslSocketFactory(new BinlogTls(TlsMaterial.sslContext(tls, "source.ssl"), settings.host(),
                    tls.mode() == SslMode.VERIFY_IDENTITY));
        }
    }

    /** The library's mode: it decides only whether TLS is tried and required; verification is ours. */
    private static SSLMode libraryMode(SslMode mode) {
        return switch (mode) {
            case DISABLED -> SSLMode.DISABLED;
            case PREFERRED -> SSLMode.PREFERRED;
            // VERIFY_IDENTITY would add the library's reverse-DNS host check (see the class comment).
            case REQUIRED, VERIFY_CA, VERIFY_IDENTITY -> SSLMode.REQUIRED;
        };
    }

    @Override
    public SSLSocket createSocket(Socket socket) throws SocketException {
        try {
            SSLSocket tlsSocket = (SSLSocket) context.getSocketFactory().createSocket(socket, host, socket.getPort(),
                    true);
            if (verifyIdentity) {
                SSLParameters parameters = tlsSocket.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS"); // RFC 2818: SAN DNS or IP, else the CN
                tlsSocket.setSSLParameters(parameters);
            }
            return tlsSocket;
        } catch (IOException e) {
            SocketException failure = new SocketException("cannot start TLS: " + e.getMessage());
            failure.initCause(e);
            throw failure;
        }
    }
}
