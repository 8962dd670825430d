package dev.binrelay.applier;

import dev.binrelay.engine.SslMode;
import dev.binrelay.engine.TlsSettings;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * How to reach the target and where its checkpoint lives.
 *
 * @param url              a MySQL JDBC URL ({@code target.url})
 * @param user             the target user ({@code target.user})
 * @param password         its password, never printed ({@code target.password})
 * @param checkpointSchema the schema holding binrelay's checkpoint tables ({@code checkpoint.schema})
 * @param channel          the replication channel this replica records its checkpoint under
 * @param skipErrors       target error codes on which one row change is skipped instead of stopping the replica
 *                         ({@code applier.skipErrors}); 1032 stands for an UPDATE or DELETE that found no row
 * @param tls              TLS to the target ({@code target.ssl.*}); null to leave TLS to the URL's properties
 *                         ({@code sslMode}, {@code useSSL}, trust stores), else Connector/J's default, {@code preferred}
 * @param requireReadOnly  refuse to start unless the target has {@code read_only=ON} and this user can still write
 *                         ({@code target.requireReadOnly})
 */
public record TargetSettings(String url, String user, String password, String checkpointSchema, String channel,
                             Set<Integer> skipErrors, TlsSettings tls, boolean requireReadOnly) {
    /**
     * Codes that are not about the row: a deadlock rolls back the whole target transaction (skipping it would commit
     * the transaction's later rows without its earlier ones), and a lock wait timeout is applied again. Client
     * errors (2000-2999, a failed connection) are refused as well.
     */
    private static final Set<Integer> NEVER_SKIPPED = Set.of(1205, 1213);

    /** Settings that skip no error. */
    public TargetSettings(String url, String user, String password, String checkpointSchema, String channel) {
        this(url, user, password, checkpointSchema, channel, Set.of());
    }

    /** Settings with the URL's TLS mode and no read-only check. */
    public TargetSettings(String url, String user, String password, String checkpointSchema, String channel,
                          Set<Integer> skipErrors) {
        this(url, user, password, checkpointSchema, channel, skipErrors, null, false);
    }

    /** Validates the settings. */
    public TargetSettings {
        Objects.requireNonNull(url, "target.url");
        Objects.requireNonNull(user, "target.user");
        if (!url.startsWith("jdbc:mysql://")) {
            throw new IllegalArgumentException("target.url must be a MySQL JDBC URL starting with jdbc:mysql://, not '"
                    + redactedUrl(url) + "'");
        }
        password = password == null ? "" : password;
        checkpointSchema = checkpointSchema == null ? "binrelay" : checkpointSchema;
        channel = channel == null ? "default" : channel;
        skipErrors = skipErrors == null ? Set.of() : Set.copyOf(skipErrors);
        for (int code : skipErrors) {
            checkSkippable(code);
        }
        SslMode urlMode = urlSslMode(url);
        if (tls != null && urlMode != null && urlMode != tls.mode()) {
            throw new IllegalArgumentException("target.ssl.mode " + tls.mode() + " contradicts target.url, which "
                    + "asks for " + urlMode + " (sslMode or useSSL in its query string): set TLS in one place");
        }
    }

    /**
     * The TLS mode the URL's query string asks for: {@code sslMode}, else {@code useSSL=false} (disabled) or
     * {@code useSSL=true} (Connector/J: required, or verify_ca with {@code verifyServerCertificate=true}); null when
     * it says nothing.
     */
    private static SslMode urlSslMode(String url) {
        int query = url.indexOf('?');
        if (query < 0) {
            return null;
        }
        String sslMode = null;
        String useSsl = null;
        boolean verifyServerCertificate = false;
        for (String parameter : url.substring(query + 1).split("[&;]")) {
            int equals = parameter.indexOf('=');
            String name = (equals < 0 ? parameter : parameter.substring(0, equals)).toLowerCase(Locale.ROOT);
            String value = equals < 0 ? "" : parameter.substring(equals + 1);
            switch (name) {
                case "sslmode" -> sslMode = value;
                case "usessl" -> useSsl = value;
                case "verifyservercertificate" -> verifyServerCertificate = Boolean.parseBoolean(value);
                default -> { }
            }
        }
        if (sslMode != null) {
            try {
                return SslMode.parse(sslMode);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("target.url: sslMode=" + sslMode + " is not a TLS mode");
            }
        }
        if (useSsl != null) {
            if (!Boolean.parseBoolean(useSsl)) {
                return SslMode.DISABLED;
            }
            return verifyServerCertificate ? SslMode.VERIFY_CA : SslMode.REQUIRED;
        }
        return null;
    }

    private static void checkSkippable(int code) {
        if (code < 1000 || code > 65535) {
            throw new IllegalArgumentException("applier.skipErrors: " + code + " is not a MySQL server error code "
                    + "(1000-65535)");
        }
        if (code >= 2000 && code <= 2999) {
            throw new IllegalArgumentException("applier.skipErrors: " + code + " is a client error (a failed "
                    + "connection, not a row the target refused) and cannot be skipped");
        }
        if (NEVER_SKIPPED.contains(code)) {
            throw new IllegalArgumentException("applier.skipErrors: " + code + (code == 1213
                    ? " (deadlock) rolls back the whole target transaction" : " (lock wait timeout) is applied again")
                    + " and cannot be skipped");
        }
    }

    /** The TLS mode in effect: {@code target.ssl.mode}, else the URL's, else Connector/J's default, preferred. */
    public SslMode sslMode() {
        if (tls != null) {
            return tls.mode();
        }
        SslMode urlMode = urlSslMode(url);
        return urlMode == null ? SslMode.PREFERRED : urlMode;
    }

    /** The URL without its query string or {@code user:password@}, where a password could hide; for messages. */
    public String displayUrl() {
        return redactedUrl(url);
    }

    /** Omits the password. */
    @Override
    public String toString() {
        return "TargetSettings[" + user + "@" + displayUrl() + ", checkpoint " + checkpointSchema + "/" + channel
                + (skipErrors.isEmpty() ? "" : ", skipErrors " + new TreeSet<>(skipErrors)) + ", ssl " + sslMode()
                + (requireReadOnly ? ", requireReadOnly" : "") + "]";
    }

    /**
     * {@code url} without its query string and without the credentials Connector/J accepts before the host
     * ({@code jdbc:mysql://user:password@host/}).
     */
    public static String redactedUrl(String url) {
        int query = url.indexOf('?');
        String withoutQuery = query < 0 ? url : url.substring(0, query);
        int hosts = withoutQuery.indexOf("//");
        int path = hosts < 0 ? -1 : withoutQuery.indexOf('/', hosts + 2);
        int at = withoutQuery.lastIndexOf('@', path < 0 ? withoutQuery.length() : path);
        if (hosts >= 0 && at > hosts) {
            return withoutQuery.substring(0, hosts + 2) + "***@" + withoutQuery.substring(at + 1);
        }
        return withoutQuery;
    }
}
