package dev.binrelay.cli;

import dev.binrelay.applier.TargetSettings;
import dev.binrelay.engine.SchedulerKind;
import dev.binrelay.engine.TlsSettings;
import java.util.Collections;
import java.util.List;
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
 */
record BinrelayConfig(Source source, Target target, Applier applier, Checkpoint checkpoint, Progress progress,
                      Snapshot snapshot) {

    /**
     * @param host             {@code source.host}
     * @param port             {@code source.port}
     * @param user             {@code source.user}: needs REPLICATION SLAVE and REPLICATION CLIENT
     * @param password         {@code source.password}, or the content of {@code source.passwordFile}
     * @param serverId         {@code source.serverId}: unique among the source's replicas
     * @param startGtids       {@code source.startGtids}: empty, {@code current} or a GTID set
     * @param heartbeatSeconds {@code source.heartbeatSeconds}
     * @param tls              {@code source.ssl.*}
     */
    record Source(String host, int port, String user, String password, long serverId, String startGtids,
                  int heartbeatSeconds, TlsSettings tls) {
        /** A source with MySQL's default TLS mode, {@code preferred}. */
        Source(String host, int port, String user, String password, long serverId, String startGtids,
               int heartbeatSeconds) {
            this(host, port, user, password, serverId, startGtids, heartbeatSeconds, TlsSettings.PREFERRED);
        }

        @Override
        public String toString() {
            return "Source[" + user + "@" + host + ":" + port + ", serverId=" + serverId + ", startGtids="
                    + (startGtids.isEmpty() ? "(everything)" : startGtids) + ", heartbeatSeconds=" + heartbeatSeconds
                    + ", ssl " + tls.mode() + "]";
        }
    }

    /**
     * @param url      {@code target.url}: a {@code jdbc:mysql://} URL
     * @param user     {@code target.user}
     * @param password {@code target.password}, or the content of {@code target.passwordFile}
     * @param tls      {@code target.ssl.*}; null when none is set: the URL's {@code sslMode} or {@code useSSL}
     *                 decides, else {@code preferred}
     * @param requireReadOnly {@code target.requireReadOnly}
     */
    record Target(String url, String user, String password, TlsSettings tls, boolean requireReadOnly) {
        /** A target whose URL decides TLS, without the read-only check. */
        Target(String url, String user, String password) {
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
    record Applier(int workers, SchedulerKind scheduler, int ringSize, boolean preserveCommitOrder, int batchSize,
                   int writesetHistory, long largeTransactionBytes, long queueBytes, int retries,
                   int stopTimeoutSeconds, Set<Integer> skipErrors) {
        Applier {
            skipErrors = Collections.unmodifiableSortedSet(new TreeSet<>(skipErrors)); // sorted for messages
        }
    }

    /**
     * @param schema  {@code checkpoint.schema}
     * @param channel {@code checkpoint.channel}
     */
    record Checkpoint(String schema, String channel) {
    }

    /** @param intervalSeconds {@code progress.intervalSeconds} */
    record Progress(int intervalSeconds) {
    }

    /**
     * @param mode      {@code snapshot.mode}
     * @param schemas   {@code snapshot.schemas}: empty for every schema but MySQL's own and the checkpoint schema
     * @param threads   {@code snapshot.threads}
     * @param chunkRows {@code snapshot.chunkRows}
     */
    record Snapshot(SnapshotMode mode, List<String> schemas, int threads, int chunkRows) {
        static final int DEFAULT_THREADS = 4;
        static final int DEFAULT_CHUNK_ROWS = 10_000;

        Snapshot {
            schemas = List.copyOf(schemas);
        }

        /** No snapshot: the defaults. */
        static Snapshot never() {
            return new Snapshot(SnapshotMode.NEVER, List.of(), DEFAULT_THREADS, DEFAULT_CHUNK_ROWS);
        }
    }

    /** {@code snapshot.mode}: whether {@code binrelay run} copies the source first. */
    enum SnapshotMode {
        /** Stream only; the target must already hold the data (see {@code source.startGtids}). */
        NEVER,
        /** When the checkpoint is empty, copy the source first (or finish an interrupted copy), then stream. */
        INITIAL
    }
}
