package dev.binrelay.engine;

import dev.binrelay.engine.tls.ConnectorJTls;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;

/**
 * How to reach the source and where to start. Built by name:
 * {@code SourceSettings.builder("db1", 3306).user("repl").password(secret).serverId(4242).build()}; what is not set
 * takes the default its parameter names below.
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

    /** Starts settings for the source at {@code host:port}; {@link Builder#build} validates them. */
    public static Builder builder(String host, int port) {
        return new Builder(host, port);
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

    /** Builds {@link SourceSettings} by name. Not thread-safe; each setter returns this builder. */
    public static final class Builder {
        private final String host;
        private final int port;
        private String user;
        private String password;
        private long serverId;
        private String startGtids;
        private Duration heartbeat;
        private Duration connectTimeout;
        private TlsSettings tls;

        private Builder(String host, int port) {
            this.host = host;
            this.port = port;
        }

        /** A user with REPLICATION SLAVE and REPLICATION CLIENT; required. */
        public Builder user(String user) {
            this.user = user;
            return this;
        }

        /** Its password (never printed); empty if not set. */
        public Builder password(String password) {
            this.password = password;
            return this;
        }

        /** This replica's server_id, 1-4294967295, unique among the source's replicas; required. */
        public Builder serverId(long serverId) {
            this.serverId = serverId;
            return this;
        }

        /** Where to start when the target's checkpoint is empty (see {@link SourceSettings}); everything if not set. */
        public Builder startGtids(String startGtids) {
            this.startGtids = startGtids;
            return this;
        }

        /** The heartbeat interval asked of the source; 5 seconds if not set. */
        public Builder heartbeat(Duration heartbeat) {
            this.heartbeat = heartbeat;
            return this;
        }

        /** How long one connection attempt may take; 10 seconds if not set. */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        /** TLS to the source ({@code source.ssl.*}); MySQL's default, {@code preferred}, if not set. */
        public Builder tls(TlsSettings tls) {
            this.tls = tls;
            return this;
        }

        /**
         * @throws NullPointerException     naming {@code source.host} or {@code source.user} if one is missing
         * @throws IllegalArgumentException naming {@code source.port} or {@code source.serverId} if out of range
         */
        public SourceSettings build() {
            return new SourceSettings(host, port, user, password, serverId, startGtids, heartbeat, connectTimeout,
                    tls);
        }
    }
}
