package dev.binrelay.engine.source;

import dev.binrelay.engine.ReaderState;
import dev.binrelay.engine.ReplicaException;
import dev.binrelay.engine.SourceSettings;
import dev.binrelay.engine.SourceStatus;
import dev.binrelay.engine.decode.EventDecoding;
import dev.binrelay.engine.pipeline.PipelineClosedException;
import dev.binrelay.engine.tls.BinlogTls;
import dev.binrelay.engine.tls.TlsFailures;
import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.network.AuthenticationException;
import com.github.shyiko.mysql.binlog.network.ServerException;
import dev.binrelay.checkpoint.GtidSet;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the source's binary log as a replica does (COM_BINLOG_DUMP_GTID with the set already applied), and feeds
 * every event to the {@link EventSink} (the transaction assembler) on the reader's thread. Reconnects with backoff after a lost
 * connection, resuming after the last transaction received in full; an error sent by the source itself (such as
 * 1236, binary logs purged) or an event it cannot decode is fatal and goes to {@code onFatal}.
 *
 * <p>Liveness is watched here, not by the library's keep-alive: the library counts the time since the last event
 * received, so a reader held back by a full ring (or a streamed transaction waiting for its worker) would look like
 * a dead connection and be reconnected in a loop. The watchdog counts only the time the reader is waiting for the
 * source: silence longer than three heartbeats means the peer is gone, and it reconnects.
 *
 * <p>Lifecycle calls ({@link #start}, {@link #stop}) come from the controlling thread; the listener runs on the
 * library's reader thread.
 */
public final class BinlogSource {
    private static final Logger LOG = LoggerFactory.getLogger(BinlogSource.class);
    /**
     * Errors the source sends when it ends our session rather than refusing to serve it: server shutdown (1053),
     * connection killed (1317, 1927, 3169). Any other error (1236: binary logs purged, privileges) is fatal.
     */
    private static final Set<Integer> RECONNECTABLE = Set.of(1053, 1317, 1927, 3169);
    /** ER_SOURCE_FATAL_ERROR_READING_BINLOG: among others, the binary logs holding what we asked for are purged. */
    private static final int ER_FATAL_READING_BINLOG = 1236;

    private final SourceSettings settings;
    private final EventSink assembler;
    /** Position mode: where the last complete transaction ended; null when reading by GTID. */
    private final PositionCounter positions;
    private final Consumer<Throwable> onFatal;
    private final BinaryLogClient client;
    private volatile boolean stopping;
    private volatile boolean failed;
    /** The connection broke inside an event (see {@link ConnectionLog#onEventDeserializationFailure}). */
    private volatile boolean awaitingReconnect;
    private volatile long lastEventMillis;
    /** When the last event or heartbeat arrived, 0 before the first. */
    private volatile long lastReceivedMillis;
    private volatile ReaderState state = ReaderState.STOPPED;
    private volatile String lastError = "";
    private volatile Instant lastErrorTime;
    /** When the listener began handing the current event on (0 when it is waiting for the source). */
    private volatile long busySinceMillis;
    private Thread watchdog;

    public BinlogSource(SourceSettings settings, EventSink assembler, Consumer<Throwable> onFatal) {
        this(settings, assembler, null, onFatal);
    }

    /** @param positions position mode: the assembler's numbering, read to resume after it; null to read by GTID */
    public BinlogSource(SourceSettings settings, EventSink assembler, PositionCounter positions,
                 Consumer<Throwable> onFatal) {
        this.positions = positions;
        this.settings = settings;
        this.assembler = assembler;
        this.onFatal = onFatal;
        this.client = new SourceClient(settings.host(), settings.port(), settings.user(), settings.password());
        client.setServerId(settings.serverId());
        client.setEventDeserializer(EventDecoding.newDeserializer());
        BinlogTls.configure(client, settings);
        client.setHeartbeatInterval(settings.heartbeat().toMillis());
        client.setKeepAlive(false); // see the class comment: the watchdog reconnects
        client.setConnectTimeout(settings.connectTimeout().toMillis());
        client.setGtidSetFallbackToPurged(false);
        client.setThreadFactory(runnable -> {
            Thread thread = new Thread(runnable, "binrelay-source-reader");
            thread.setDaemon(true);
            return thread;
        });
        client.registerEventListener(this::onEvent);
        client.registerLifecycleListener(new ConnectionLog());
    }

    /** Connects and starts reading after {@code applied}; returns once connected. */
    public void start(GtidSet applied) {
        aimAfter(applied);
        state = ReaderState.CONNECTING;
        try {
            connect();
        } catch (ReplicaException e) {
            recordError(e.getMessage());
            throw e;
        }
        lastEventMillis = System.currentTimeMillis();
        watchdog = new Thread(this::watch, "binrelay-source-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    private void connect() {
        try {
            client.connect(settings.connectTimeout().toMillis());
            if (!stopping && !failed && client.isConnected()) {
                state = ReaderState.CONNECTED;
            }
        } catch (AuthenticationException e) {
            throw new ReplicaException("source " + settings.address() + " refused user '" + settings.user()
                    + "': " + e.getMessage() + " (check source.user and source.password)", e);
        } catch (IOException | TimeoutException e) {
            String tls = TlsFailures.describe(e, settings.tls().mode(), settings.tls().ca(),
                    settings.host(), "source.ssl");
            throw new ReplicaException("cannot read the binary log of source " + settings.address() + ": "
                    + (tls != null ? tls : e.getMessage()), e);
        }
    }

    /** Reconnects after a lost connection, with backoff, and drops a connection that went silent. */
    private void watch() {
        long silenceLimit = Math.max(3_000, settings.heartbeat().toMillis() * 3);
        long backoff = 500;
        while (!stopping && !failed) {
            sleep(Math.min(1_000, Math.max(100, settings.heartbeat().toMillis() / 2)));
            if (stopping || failed) {
                return;
            }
            if (client.isConnected()) {
                backoff = 500;
                long silentFor = System.currentTimeMillis() - lastEventMillis;
                if (busySinceMillis == 0 && silentFor > silenceLimit) {
                    recordError("sent nothing for " + silentFor + " ms (heartbeat every "
                            + settings.heartbeat().toMillis() + " ms)");
                    state = ReaderState.CONNECTING;
                    LOG.warn("source {} sent nothing for {} ms (heartbeat every {} ms); reconnecting",
                            settings.address(), silentFor, settings.heartbeat().toMillis());
                    disconnectQuietly();
                }
                continue;
            }
            // Resume after what was received in full; a transaction cut in the middle is sent again.
            aimAfter(assembler.delivered());
            try {
                connect();
                lastEventMillis = System.currentTimeMillis();
            } catch (ReplicaException e) {
                recordError(e.getMessage());
                LOG.warn("{}; retrying in {} ms", e.getMessage(), backoff);
                sleep(backoff);
                backoff = Math.min(30_000, backoff * 2);
            }
        }
    }

    /**
     * Sets where the next connection reads from: after {@code received} by GTID, or in position mode from the end of
     * the last complete transaction (never the client's own position, which may be inside a transaction).
     */
    private void aimAfter(GtidSet received) {
        if (positions == null) {
            client.setGtidSet(MariaDbGtids.dumpPosition(received));
            return;
        }
        client.setBinlogFilename(positions.resumeFrom().file());
        client.setBinlogPosition(positions.resumeFrom().position());
    }

    private void disconnectQuietly() {
        try {
            client.disconnect();
        } catch (IOException e) {
            LOG.debug("disconnecting from {} failed: {}", settings.address(), e.toString());
        }
    }

    private static void sleep(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Disconnects; events already handed to the assembler stay handed. */
    public void stop() {
        stopping = true;
        if (!failed) {
            state = ReaderState.STOPPED;
        }
        if (watchdog != null) {
            watchdog.interrupt();
        }
        try {
            client.disconnect();
        } catch (IOException e) {
            LOG.warn("closing the source connection to {} failed: {}", settings.address(), e.toString());
        }
    }

    boolean connected() {
        return client.isConnected();
    }

    String binlogPosition() {
        return client.getBinlogFilename() + ":" + client.getBinlogPosition();
    }

    /** The binary log file read last, empty before the first event. */
    String binlogFile() {
        String file = client.getBinlogFilename();
        return file == null ? "" : file;
    }

    /** The position in {@link #binlogFile} after the last event read. */
    long binlogOffset() {
        return client.getBinlogPosition();
    }

    long lastEventMillis() {
        return lastEventMillis;
    }

    /** When the reader last heard from the source (an event, a heartbeat), 0 before the first. */
    public long lastReceivedMillis() {
        return lastReceivedMillis;
    }

    /** The reader's side of the status; {@code serverUuid} is what the source said at start. */
    public SourceStatus status(String serverUuid) {
        long received = lastReceivedMillis;
        return new SourceStatus(state, settings.address(), serverUuid, binlogFile(), binlogOffset(),
                assembler.delivered().toString(), received == 0 ? null : Instant.ofEpochMilli(received), lastError,
                lastErrorTime);
    }

    public ReaderState state() {
        return state;
    }

    private void recordError(String message) {
        lastErrorTime = Instant.now();
        lastError = String.valueOf(message);
    }

    private void onEvent(Event event) {
        if (stopping || failed || awaitingReconnect) {
            // Not counted as received either, so a connection that somehow still delivers is seen as silent and
            // dropped by the watchdog.
            return;
        }
        long now = System.currentTimeMillis();
        lastReceivedMillis = now;
        busySinceMillis = now;
        try {
            assembler.accept(event);
        } catch (PipelineClosedException e) {
            // the applier side is stopping; the transaction will be read again on restart
        } catch (RuntimeException | Error e) {
            // The library would log and go on with the next event; a replica must not skip anything.
            fail(e);
        } finally {
            lastEventMillis = System.currentTimeMillis();
            busySinceMillis = 0;
        }
    }

    /**
     * Whether a failure the library reports as an undecodable event was the connection breaking while the event's
     * data was read: an I/O error of the socket or TLS below the decoding.
     */
    static boolean brokenConnection(Exception decodingFailure) {
        for (Throwable t = decodingFailure.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof SSLException || t instanceof SocketException || t instanceof EOFException
                    || t instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private void fail(Throwable e) {
        if (failed) {
            return;
        }
        failed = true;
        recordError(e.getMessage());
        state = ReaderState.ERROR;
        onFatal.accept(e);
    }

    private final class ConnectionLog implements BinaryLogClient.LifecycleListener {
        @Override
        public void onConnect(BinaryLogClient c) {
            // The server resends any transaction we did not receive in full.
            assembler.discardPartial();
            awaitingReconnect = false;
            if (!stopping && !failed) {
                state = ReaderState.CONNECTED;
            }
            if (positions != null) {
                LOG.info("source {} connected, reading by position from {} (after transaction {})",
                        settings.address(), positions.resumeFrom(), positions.lastCompleteSeq());
                return;
            }
            LOG.info("source {} connected, reading after GTIDs {}", settings.address(),
                    c.getGtidSet().isEmpty() ? "(none)" : c.getGtidSet());
        }

        @Override
        public void onCommunicationFailure(BinaryLogClient c, Exception ex) {
            if (stopping) {
                return;
            }
            if (ex instanceof ServerException server && !RECONNECTABLE.contains(server.getErrorCode())) {
                fail(streamRefused(server));
                return;
            }
            recordError(ex.toString());
            LOG.warn("source {} connection lost ({}); reconnecting", settings.address(), ex.toString());
        }

        /**
         * The source ended the stream with an error of its own. For 1236 the message names what is missing: the
         * source's {@code gtid_purged} minus what this replica holds (its error 1236 has other causes too, such as
         * a replica ahead of the source; then the source's own message stands alone).
         */
        private ReplicaException streamRefused(ServerException server) {
            String where = "source " + settings.address();
            if (server.getErrorCode() == ER_FATAL_READING_BINLOG && positions != null) {
                return new ReplicaException(where + " cannot send its binary log from " + positions.resumeFrom()
                        + ", which this replica needs next (source error 1236: " + server.getMessage() + "): if "
                        + "file " + positions.resumeFrom().file() + " was purged, restore it, or rebuild the target "
                        + "and start again with source.startFile and source.startPosition", server);
            }
            if (server.getErrorCode() == ER_FATAL_READING_BINLOG) {
                GtidSet missing = purgedAndNeeded();
                if (missing != null && !missing.isEmpty()) {
                    return new ReplicaException(where + " has purged binary logs this replica still needs: missing "
                            + "GTIDs " + missing + " (source error 1236: " + server.getMessage() + "). Restore them, "
                            + "or rebuild the target from a snapshot and start with source.startGtids", server);
                }
            }
            return new ReplicaException(where + " stopped the binlog stream with error " + server.getErrorCode()
                    + ": " + server.getMessage(), server);
        }

        /** What the source purged that we never received, or null if the source cannot be asked. */
        private GtidSet purgedAndNeeded() {
            try {
                // delivered() is what the last dump request asked the source to send after.
                return SourceChecks.gtidPurged(settings).subtract(assembler.delivered());
            } catch (RuntimeException e) {
                // The source's own message still stops the replica; only the list of GTIDs is lost.
                LOG.warn("cannot read gtid_purged from source {} to name the missing GTIDs: {}", settings.address(),
                        e.getMessage());
                return null;
            }
        }

        /**
         * The library reads an event's data straight from the socket, and counts only EOFException and
         * SocketException there as a lost connection; over TLS a cut connection surfaces as an SSLException, which it
         * reports here and then skips the event. That event is lost with the connection, not undecodable: every event
         * until the reconnect is ignored, and the reconnect resends the transaction it belonged to.
         */
        @Override
        public void onEventDeserializationFailure(BinaryLogClient c, Exception ex) {
            if (brokenConnection(ex)) {
                awaitingReconnect = true;
                LOG.warn("source {} connection broke inside an event at {} ({}); reconnecting", settings.address(),
                        binlogPosition(), rootCause(ex));
                // No disconnect from the library's own thread: its next read fails on the dead socket, or the
                // watchdog, seeing no event counted, drops the connection.
                return;
            }
            fail(new ReplicaException("cannot decode an event from source " + settings.address() + " at "
                    + binlogPosition() + ": " + ex.getMessage(), ex));
        }

        private static String rootCause(Throwable ex) {
            Throwable root = ex;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return root.toString();
        }

        @Override
        public void onDisconnect(BinaryLogClient c) {
            if (!stopping) {
                if (!failed) {
                    state = ReaderState.CONNECTING; // the watchdog reconnects
                }
                LOG.info("source {} disconnected", settings.address());
            }
        }
    }
}
