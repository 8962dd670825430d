package dev.binrelay.cli.config;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Every key a binrelay config file may hold, by its dotted path. Anything else in a file is an error. */
enum ConfigKey {
    SOURCE_HOST("source.host"),
    SOURCE_PORT("source.port"),
    SOURCE_USER("source.user"),
    SOURCE_PASSWORD("source.password", true),
    SOURCE_PASSWORD_FILE("source.passwordFile"),
    SOURCE_SERVER_ID("source.serverId"),
    SOURCE_START_GTIDS("source.startGtids"),
    SOURCE_MODE("source.mode"),
    SOURCE_START_FILE("source.startFile"),
    SOURCE_START_POSITION("source.startPosition"),
    SOURCE_HEARTBEAT_SECONDS("source.heartbeatSeconds"),
    SOURCE_IGNORE_SERVER_IDS("source.ignoreServerIds"),
    SOURCE_SSL_MODE("source.ssl.mode"),
    SOURCE_SSL_CA("source.ssl.ca"),
    SOURCE_SSL_CERT("source.ssl.cert"),
    SOURCE_SSL_KEY("source.ssl.key"),
    TARGET_URL("target.url"),
    TARGET_USER("target.user"),
    TARGET_PASSWORD("target.password", true),
    TARGET_PASSWORD_FILE("target.passwordFile"),
    TARGET_SSL_MODE("target.ssl.mode"),
    TARGET_SSL_CA("target.ssl.ca"),
    TARGET_SSL_CERT("target.ssl.cert"),
    TARGET_SSL_KEY("target.ssl.key"),
    TARGET_REQUIRE_READ_ONLY("target.requireReadOnly"),
    APPLIER_WORKERS("applier.workers"),
    APPLIER_SCHEDULER("applier.scheduler"),
    APPLIER_RING_SIZE("applier.ringSize"),
    APPLIER_PRESERVE_COMMIT_ORDER("applier.preserveCommitOrder"),
    APPLIER_BATCH_SIZE("applier.batchSize"),
    APPLIER_WRITESET_HISTORY("applier.writesetHistory"),
    APPLIER_LARGE_TRANSACTION_BYTES("applier.largeTransactionBytes"),
    APPLIER_QUEUE_BYTES("applier.queueBytes"),
    APPLIER_RETRIES("applier.retries"),
    APPLIER_STOP_TIMEOUT_SECONDS("applier.stopTimeoutSeconds"),
    APPLIER_SKIP_ERRORS("applier.skipErrors"),
    CHECKPOINT_SCHEMA("checkpoint.schema"),
    CHECKPOINT_CHANNEL("checkpoint.channel"),
    PROGRESS_INTERVAL_SECONDS("progress.intervalSeconds"),
    SNAPSHOT_MODE("snapshot.mode"),
    SNAPSHOT_SCHEMAS("snapshot.schemas"),
    SNAPSHOT_THREADS("snapshot.threads"),
    SNAPSHOT_CHUNK_ROWS("snapshot.chunkRows"),
    HTTP_BIND("http.bind"),
    HTTP_PORT("http.port"),
    HTTP_TOKEN("http.token", true),
    HTTP_MAX_LAG_SECONDS("http.maxLagSeconds"),
    FILTERS_DO_DB("filters.doDb"),
    FILTERS_IGNORE_DB("filters.ignoreDb"),
    FILTERS_DO_TABLE("filters.doTable"),
    FILTERS_IGNORE_TABLE("filters.ignoreTable"),
    FILTERS_WILD_DO_TABLE("filters.wildDoTable"),
    FILTERS_WILD_IGNORE_TABLE("filters.wildIgnoreTable"),
    FILTERS_REWRITE_DB("filters.rewriteDb");

    private static final List<String> PATHS = Arrays.stream(values()).map(ConfigKey::path).toList();

    private final String path;
    private final boolean secret;

    ConfigKey(String path) {
        this(path, false);
    }

    ConfigKey(String path, boolean secret) {
        this.path = path;
        this.secret = secret;
    }

    /** The dotted path, as written in messages: {@code source.host}. */
    String path() {
        return path;
    }

    /** Whether the value is a secret that no message may quote. */
    boolean secret() {
        return secret;
    }

    /** The top-level section the key lives in: {@code source}. */
    String section() {
        return path.substring(0, path.indexOf('.'));
    }

    /** The key with this exact path. */
    static Optional<ConfigKey> byPath(String path) {
        return Arrays.stream(values()).filter(key -> key.path.equals(path)).findFirst();
    }

    /** Whether {@code name} is a top-level section such as {@code source}. */
    static boolean isSection(String name) {
        return Arrays.stream(values()).anyMatch(key -> key.section().equals(name));
    }

    /** Every key's path, in declaration order. */
    static List<String> paths() {
        return PATHS;
    }

    /** The paths of one section's keys, for messages. */
    static List<String> pathsIn(String section) {
        return Arrays.stream(values()).filter(key -> key.section().equals(section)).map(ConfigKey::path).toList();
    }

    @Override
    public String toString() {
        return path;
    }
}
