package dev.binrelay.applier;

import java.util.Objects;

/**
 * How to reach the target and where its checkpoint lives.
 *
 * @param url              a MySQL JDBC URL ({@code target.url})
 * @param user             the target user ({@code target.user})
 * @param password         its password, never printed ({@code target.password})
 * @param checkpointSchema the schema holding binrelay's checkpoint tables ({@code checkpoint.schema})
 * @param channel          the replication channel this replica records its checkpoint under
 */
public record TargetSettings(String url, String user, String password, String checkpointSchema, String channel) {

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
    }

    /** The URL without its query string, where a password could hide; for messages and logs. */
    public String displayUrl() {
        return redactedUrl(url);
    }

    /** Omits the password. */
    @Override
    public String toString() {
        return "TargetSettings[" + user + "@" + displayUrl() + ", checkpoint " + checkpointSchema + "/" + channel + "]";
    }

    private static String redactedUrl(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }
}
