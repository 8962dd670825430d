package dev.binrelay.engine;

import java.time.Duration;
import java.util.Objects;
import java.util.Properties;

/**
 * How to reach the source and where to start.
 *
 * @param host        source host name or address
 * @param port        source TCP port
 * @param user        a user with REPLICATION SLAVE and REPLICATION CLIENT
 * @param password    its password (never printed)
 * @param serverId    this replica's server_id, unique among the source's replicas
 * @param startGtids  used only when the target's checkpoint is empty: {@code null} or empty to replicate everything
 *                    the source still has, {@code "current"} to start at the source's {@code gtid_executed}, or a
 *                    GTID set the target is known to hold already
 * @param heartbeat   heartbeat interval asked of the source, so that a silent connection is detected
 * @param connectTimeout how long one connection attempt may take
 * @param tls         TLS for the binlog connection and the checks' connections ({@code source.ssl.*}); null for
 *                    MySQL's default, {@code preferred}
 */
public record SourceSettings(String host, int port, String user, String password, long serverId, String startGtids,
                             Duration heartbeat, Duration connectTimeout, TlsSettings tls) {

    /** Settings with MySQL's default TLS mode, {@code preferred}. */
    public SourceSettings(String host, int port, String user, String password, long serverId, String startGtids,
                          Duration heartbeat, Duration connectTimeout) {
        this(host, port, user, password, serverId, startGtids, heartbeat, connectTimeout, null);
    }

    /** Validates the settings. */
    public SourceSettings {
        Objects.requireNonNull(host, "source.host");
        Objects.requireNonNull(user, "source.user");
        password = password == null ? "" : password;
        tls = tls == null ? TlsSettings.PREFERRED : tls;
        heartbeat = heartbeat == null ? Duration.ofSeconds(5) : heartbeat;
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(10) : connectTimeout;
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("source.port must be 1-65535, not " + port);
        }
        if (serverId <= 0 || serverId > 4294967295L) {
            throw new IllegalArgumentException("source.serverId must be 1-4294967295, not " + serverId);
        }
    }

    /** {@code host:port}, for messages. */
    public String address() {
        return host + ":" + port;
    }

    /** The URL of binrelay's SQL connections to the source (checks, snapshot, verify); the binlog stream has its own. */
    public String jdbcUrl() {
        return "jdbc:mysql://" + address() + "/";
    }

    /**
     * Connector/J properties for a SQL connection to the source: user, password, connect timeout, and TLS as
     * {@code source.ssl.*} says. A new object each time, for the caller to add to.
     */
    public Properties jdbcProperties() {
        Properties properties = ConnectorJTls.properties(tls, "source.ssl");
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        properties.setProperty("connectTimeout", Long.toString(connectTimeout.toMillis()));
        // Without TLS, caching_sha2_password needs the server's RSA key to send the password encrypted.
        properties.setProperty("allowPublicKeyRetrieval", Boolean.toString(tls.mode() == SslMode.DISABLED
                || tls.mode() == SslMode.PREFERRED));
        return properties;
    }

    /** Omits the password. */
    @Override
    public String toString() {
        return "SourceSettings[" + user + "@" + address() + ", serverId=" + serverId + ", ssl " + tls.mode() + "]";
    }
}
