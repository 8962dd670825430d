package dev.binrelay.applier;

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
 */
public record TargetSettings(String url, String user, String password, String checkpointSchema, String channel,
                             Set<Integer> skipErrors) {
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

    /** The URL without its query string, where a password could hide; for messages and logs. */
    public String displayUrl() {
        return redactedUrl(url);
    }

    /** Omits the password. */
    @Override
    public String toString() {
        return "TargetSettings[" + user + "@" + displayUrl() + ", checkpoint " + checkpointSchema + "/" + channel
                + (skipErrors.isEmpty() ? "" : ", skipErrors " + new TreeSet<>(skipErrors)) + "]";
    }

    private static String redactedUrl(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }
}
