package dev.binrelay.cli.config;

import dev.binrelay.engine.ApplierSettings;
import dev.binrelay.applier.TargetSettings;
import dev.binrelay.engine.ReplicationFilter;
import dev.binrelay.engine.SchedulerKind;
import dev.binrelay.engine.SourceMode;
import dev.binrelay.engine.TlsSettings;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * binrelay's configuration: where to read, where to write, and how. Read from YAML by {@link ConfigLoader}, which
 * fills in the defaults; the values here are complete and validated. {@code toString} never shows a password.
 *
 * @param source     the MySQL server to replicate from ({@code source.*})
 * @param target     the MySQL server to apply to ({@code target.*})
 * @param applier    how transactions are applied ({@code applier.*})
 * @param checkpoint where the applied position is recorded on the target ({@code checkpoint.*})
 * @param progress   how often progress is logged ({@code progress.*})
 * @param snapshot   whether and how the source is copied before streaming ({@code snapshot.*})
 * @param http       the status, metrics and control API ({@code http.*})
 * @param filters    which tables are replicated, under which database ({@code filters.*})
 * @param channels   the named channels of a multi-source config ({@code channels:}), each a complete single-channel
 *                   config; empty for a config without {@code channels:}, whose one channel is this config itself
 *                   (with {@code channels:}, the other components are the first channel's)
 */
public record BinrelayConfig(Source source, Target target, Applier applier, Checkpoint checkpoint, Progress progress,
                      Snapshot snapshot, Http http, Filters filters, List<Channel> channels) {

    public BinrelayConfig {
        channels = List.copyOf(channels);
    }

    /** A single-channel config: no {@code channels:}. */
    public BinrelayConfig(Source source, Target target, Applier applier, Checkpoint checkpoint, Progress progress,
                   Snapshot snapshot, Http http, Filters filters) {
        this(source, target, applier, checkpoint, progress, snapshot, http, filters, List.of());
    }

    /** A single-channel config without filters. */
    public BinrelayConfig(Source source, Target target, Applier applier, Checkpoint checkpoint, Progress progress,
                   Snapshot snapshot, Http http) {
        this(source, target, applier, checkpoint, progress, snapshot, http, Filters.none(), List.of());
    }

    /** The channels to run: those of {@code channels:}, or this config as the one channel {@code checkpoint.channel}. */
    public List<Channel> effectiveChannels() {
        return channels.isEmpty() ? List.of(new Channel(checkpoint.channel(), this)) : channels;
    }

    /**
     * One channel of {@code channels:}.
     *
     * @param name   {@code channels[i].name}: also its checkpoint channel
     * @param config the channel's own single-channel config: its source, applier, filters and snapshot, the shared
     *               sections
     */
    public record Channel(String name, BinrelayConfig config) {
    }

    /**
     * The replication filters, as MySQL's {@code --replicate-*} options (see {@link ReplicationFilter} for the
     * evaluation order); every list may be empty.
     *
     * @param doDb            {@code filters.doDb}
     * @param ignoreDb        {@code filters.ignoreDb}
     * @param doTable         {@code filters.doTable}: {@code db.table}
     * @param ignoreTable     {@code filters.ignoreTable}: {@code db.table}
     * @param wildDoTable     {@code filters.wildDoTable}: {@code db.table} with {@code %} and {@code _}
     * @param wildIgnoreTable {@code filters.wildIgnoreTable}
     * @param rewriteDb       {@code filters.rewriteDb}: source database to target database
     */
    public record Filters(List<String> doDb, List<String> ignoreDb, List<String> doTable, List<String> ignoreTable,
                   List<String> wildDoTable, List<String> wildIgnoreTable, Map<String, String> rewriteDb) {
        public Filters {
            doDb = List.copyOf(doDb);
            ignoreDb = List.copyOf(ignoreDb);
            doTable = List.copyOf(doTable);
            ignoreTable = List.copyOf(ignoreTable);
            wildDoTable = List.copyOf(wildDoTable);
            wildIgnoreTable = List.copyOf(wildIgnoreTable);
            rewriteDb = Collections.unmodifiableMap(new java.util.LinkedHashMap<>(rewriteDb));
        }

        /** No rules: everything is replicated under its own name. */
        static Filters none() {
            return new Filters(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), Map.of());
        }

        /** The engine's filter; the loader has checked every entry. */
        public ReplicationFilter toFilter() {
            ReplicationFilter.Builder builder = ReplicationFilter.builder();
            doDb.forEach(builder::doDb);
            ignoreDb.forEach(builder::ignoreDb);
            doTable.forEach(builder::doTable);
            ignoreTable.forEach(builder::ignoreTable);
            wildDoTable.forEach(builder::wildDoTable);
            wildIgnoreTable.forEach(builder::wildIgnoreTable);
            rewriteDb.forEach(builder::rewriteDb);
            return builder.build();
        }
    }

    /**
     * @param host             {@code source.host}
     * @param port             {@code source.port}
     * @param user             {@code source.user}: needs REPLICATION SLAVE and REPLICATION CLIENT
     * @param password         {@code source.password}, or the content of {@code source.passwordFile}
     * @param serverId         {@code source.serverId}: unique among the source's replicas
     * @param startGtids       {@code source.startGtids}: empty, {@code current} or a GTID set
     * @param heartbeatSeconds {@code source.heartbeatSeconds}
     * @param tls              {@code source.ssl.*}
     * @param ignoreServerIds  {@code source.ignoreServerIds}: transactions that originated on these servers are
     *                         skipped (loop prevention); null when absent (the target's own server_id), empty for off
     * @param position         {@code source.mode}, {@code source.startFile} and {@code source.startPosition}
     */
    public record Source(String host, int port, String user, String password, long serverId, String startGtids,
                  int heartbeatSeconds, TlsSettings tls, List<Long> ignoreServerIds, Position position) {
        /** A source with MySQL's default TLS mode, {@code preferred}. */
        public Source(String host, int port, String user, String password, long serverId, String startGtids,
               int heartbeatSeconds) {
            this(host, port, user, password, serverId, startGtids, heartbeatSeconds, TlsSettings.PREFERRED);
        }

        /** A source followed in {@code source.mode: auto}, whose loop prevention skips the target's own server_id. */
        public Source(String host, int port, String user, String password, long serverId, String startGtids,
               int heartbeatSeconds, TlsSettings tls) {
            this(host, port, user, password, serverId, startGtids, heartbeatSeconds, tls, null, Position.AUTO);
        }

        @Override
        public String toString() {
            return "Source[" + user + "@" + host + ":" + port + ", serverId=" + serverId + ", startGtids="
                    + (startGtids.isEmpty() ? "(everything)" : startGtids) + ", heartbeatSeconds=" + heartbeatSeconds
                    + ", ssl " + tls.mode()
                    + (ignoreServerIds == null ? "" : ", ignoreServerIds=" + ignoreServerIds) + "]";
        }
    }

    /**
     * How the source is followed (see README, "Position mode").
     *
     * @param mode      {@code source.mode}: auto, gtid or position
     * @param startFile {@code source.startFile}: where position mode starts when the checkpoint is empty; empty for
     *                  the source's current position
     * @param startPosition {@code source.startPosition} in that file (4, its first event, by default)
     */
    public record Position(SourceMode mode, String startFile, long startPosition) {
        /** {@code source.mode: auto} without a start file. */
        static final Position AUTO = new Position(SourceMode.AUTO, "", 4);
    }

    /**
     * @param url      {@code target.url}: a {@code jdbc:mysql://} URL
     * @param user     {@code target.user}
     * @param password {@code target.password}, or the content of {@code target.passwordFile}
     * @param tls      {@code target.ssl.*}; null when none is set: the URL's {@code sslMode} or {@code useSSL}
     *                 decides, else {@code preferred}
     * @param requireReadOnly {@code target.requireReadOnly}
     */
    public record Target(String url, String user, String password, TlsSettings tls, boolean requireReadOnly) {
        /** A target whose URL decides TLS, without the read-only check. */
        public Target(String url, String user, String password) {
            this(url, user, password, null, false);
        }

        @Override
        public String toString() {
            // The query string, or user:password@ before the host, may carry a password too.
            return "Target[" + user + "@" + TargetSettings.redactedUrl(url)
                    + (tls == null ? "" : ", ssl " + tls.mode()) + (requireReadOnly ? ", requireReadOnly" : "") + "]";
        }
    }

    /**
     * @param workers             {@code applier.workers}
     * @param scheduler           {@code applier.scheduler}
     * @param ringSize            {@code applier.ringSize}
     * @param preserveCommitOrder {@code applier.preserveCommitOrder}
     * @param batchSize           {@code applier.batchSize}
     * @param writesetHistory     {@code applier.writesetHistory}
     * @param largeTransactionBytes {@code applier.largeTransactionBytes}
     * @param queueBytes          {@code applier.queueBytes}
     * @param retries             {@code applier.retries}
     * @param stopTimeoutSeconds  {@code applier.stopTimeoutSeconds}
     * @param skipErrors          {@code applier.skipErrors}: target error codes on which one row change is skipped
     */
    public record Applier(int workers, SchedulerKind scheduler, int ringSize, boolean preserveCommitOrder, int batchSize,
                   int writesetHistory, long largeTransactionBytes, long queueBytes, int retries,
                   int stopTimeoutSeconds, Set<Integer> skipErrors) {
        public Applier {
            skipErrors = Collections.unmodifiableSortedSet(new TreeSet<>(skipErrors)); // sorted for messages
        }

        /** The defaults ({@link ApplierSettings}) but for the workers, the scheduler and the errors to skip. */
        public static Applier defaults(int workers, SchedulerKind scheduler, Set<Integer> skipErrors) {
            return new Applier(workers, scheduler, ApplierSettings.RING_SIZE.defaultInt(),
                    ApplierSettings.PRESERVE_COMMIT_ORDER, ApplierSettings.BATCH_SIZE.defaultInt(),
                    ApplierSettings.WRITESET_HISTORY.defaultInt(), ApplierSettings.LARGE_TRANSACTION_BYTES.defaultValue(),
                    ApplierSettings.QUEUE_BYTES.defaultValue(), ApplierSettings.RETRIES.defaultInt(),
                    ApplierSettings.STOP_TIMEOUT_SECONDS.defaultInt(), skipErrors);
        }
    }

    /**
     * @param schema  {@code checkpoint.schema}
     * @param channel {@code checkpoint.channel}
     */
    public record Checkpoint(String schema, String channel) {
    }

    /** @param intervalSeconds {@code progress.intervalSeconds} */
    public record Progress(int intervalSeconds) {
    }

    /**
     * @param mode      {@code snapshot.mode}
     * @param schemas   {@code snapshot.schemas}: empty for every schema but MySQL's own and the checkpoint schema
     * @param threads   {@code snapshot.threads}
     * @param chunkRows {@code snapshot.chunkRows}
     */
    public record Snapshot(SnapshotMode mode, List<String> schemas, int threads, int chunkRows) {
        static final int DEFAULT_THREADS = 4;
        static final int DEFAULT_CHUNK_ROWS = 10_000;

        public Snapshot {
            schemas = List.copyOf(schemas);
        }

        /** No snapshot: the defaults. */
        public static Snapshot never() {
            return new Snapshot(SnapshotMode.NEVER, List.of(), DEFAULT_THREADS, DEFAULT_CHUNK_ROWS);
        }
    }

    /** {@code snapshot.mode}: whether {@code binrelay run} copies the source first. */
    public enum SnapshotMode {
        /** Stream only; the target must already hold the data (see {@code source.startGtids}). */
        NEVER,
        /** When the checkpoint is empty, copy the source first (or finish an interrupted copy), then stream. */
        INITIAL
    }

    /**
     * @param bind          {@code http.bind}: the address to listen on
     * @param port          {@code http.port}: {@link #NO_PORT} when absent, and then there is no HTTP server
     * @param token         {@code http.token}: the bearer token control requests must carry; empty refuses control
     * @param maxLagSeconds {@code http.maxLagSeconds}: {@code GET /health} fails beyond this lag
     */
    public record Http(String bind, int port, String token, int maxLagSeconds) {
        /** The port of a config without {@code http.port}: no HTTP server. */
        static final int NO_PORT = 0;
        /** No HTTP server, as for the demo. */
        public static final Http OFF = new Http(ConfigLoader.DEFAULT_HTTP_BIND, NO_PORT, "",
                ConfigLoader.DEFAULT_MAX_LAG_SECONDS);

        /** Whether the daemon serves HTTP. */
        public boolean enabled() {
            return port != NO_PORT;
        }

        /** Whether control requests can be authorized at all. */
        public boolean hasToken() {
            return !token.isEmpty();
        }

        /** The base URL a client on this host uses: a wildcard bind address is reached through the loopback. */
        public String localUrl() {
            String host = bind.equals("0.0.0.0") || bind.equals("::") ? "127.0.0.1" : bind;
            return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }

        @Override
        public String toString() {
            return "Http[" + (enabled() ? bind + ":" + port : "off") + ", token " + (hasToken() ? "set" : "none")
                    + ", maxLagSeconds=" + maxLagSeconds + "]";
        }
    }
}
