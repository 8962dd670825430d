package dev.binrelay.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on a free loopback port that forwards every connection to one target, and lets a test break the network
 * between the two at any moment: cut every connection, stall them silently, refuse new ones, or slow them down.
 *
 * <p>Point the code under test at {@link #host()}:{@link #port()} instead of the server's address, for example between
 * binrelay and its source or target MySQL:
 * <pre>{@code
 * try (FaultProxy proxy = FaultProxy.start(source.host(), source.port())) {
 *     // start the replica against proxy.host(), proxy.port() ...
 *     proxy.cutAll();  // every open connection is reset; reconnecting works
 * }
 * }</pre>
 *
 * <p>Each connection is forwarded by two daemon threads, one per direction, that copy chunks of up to 64 KiB. Bytes
 * are never lost, duplicated or reordered: a stall holds them back and {@link #resume()} forwards them exactly from
 * where they stopped. Half-closes (FIN) are forwarded as half-closes; a reset or I/O error on either side resets both.
 *
 * <p>Thread-safe: every method may be called from any thread at any time.
 */
public final class FaultProxy implements AutoCloseable {
    private static final String HOST = "127.0.0.1";
    private static final int BUFFER_SIZE = 64 * 1024;
    // Bounds how long the accepting thread waits for an unreachable target before resetting the client.
    private static final int TARGET_CONNECT_TIMEOUT_MILLIS = 5_000;

    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final Thread acceptor;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final AtomicLong bytesForwarded = new AtomicLong();
    private final AtomicInteger connectionsAccepted = new AtomicInteger();
    private final Object flow = new Object();
    private boolean stalled; // guarded by flow
    private volatile boolean refusing;
    private volatile long delayNanos;
    private volatile boolean closed;

    private FaultProxy(ServerSocket listener, InetSocketAddress target) {
        this.listener = listener;
        this.target = target;
        this.acceptor = new Thread(this::acceptLoop, "fault-proxy:" + listener.getLocalPort() + " accept");
        acceptor.setDaemon(true);
    }

    /** Starts a proxy on a free port of 127.0.0.1 that forwards every connection to {@code targetHost:targetPort}. */
    public static FaultProxy start(String targetHost, int targetPort) {
        try {
            ServerSocket listener = new ServerSocket(0, 50, InetAddress.getByName(HOST));
            FaultProxy proxy = new FaultProxy(listener, new InetSocketAddress(targetHost, targetPort));
            proxy.acceptor.start();
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on a free loopback port", e);
        }
    }

    /** The address the proxy listens on: {@code 127.0.0.1}. */
    public String host() {
        return HOST;
    }

    /** The port the proxy listens on. */
    public int port() {
        return listener.getLocalPort();
    }

    /**
     * Resets every open connection on both sides at once (RST, not FIN, as when a network path or a server's host
     * dies). New connections are still accepted and forwarded.
     */
    public void cutAll() {
        for (Link link : List.copyOf(links)) {
            link.abort();
        }
    }

    /**
     * Stops every byte in both directions, on open connections and on ones accepted while stalled, without closing
     * anything: the peers see a silent connection, as with a dead network path. A chunk whose write had already begun
     * is finished, so at most one chunk per direction and connection may still arrive after this returns. Connections
     * accepted while stalled are still connected to the target, whose own timeouts (such as MySQL's
     * {@code connect_timeout} for an unanswered greeting) keep running.
     */
    public void stall() {
        synchronized (flow) {
            stalled = true;
        }
    }

    /** Ends a {@link #stall()}: forwarding continues exactly where it stopped. */
    public void resume() {
        synchronized (flow) {
            stalled = false;
            flow.notifyAll();
        }
    }

    /**
     * While on, every new connection is reset as soon as it is accepted, so the target looks down; open connections
     * are left alone. The client's TCP connect itself succeeds (the proxy keeps listening), so it sees a reset rather
     * than "connection refused", as from a server that dies while accepting.
     */
    public void refuse(boolean on) {
        refusing = on;
    }

    /** Holds every forwarded chunk back by {@code perChunk} before writing it on; {@link Duration#ZERO} to stop. */
    public void delay(Duration perChunk) {
        if (perChunk.isNegative()) {
            throw new IllegalArgumentException("negative delay: " + perChunk);
        }
        delayNanos = perChunk.toNanos();
    }

    /**
     * Bytes forwarded so far, both directions and all connections together. A chunk is counted just before it is
     * written on, so the count includes every byte a peer has received (and, on a connection being cut, at most the
     * chunk whose write failed).
     */
    public long bytesForwarded() {
        return bytesForwarded.get();
    }

    /** Connections currently open through the proxy (cut ones leave this count at once). */
    public int openConnections() {
        return links.size();
    }

    /** Every connection the proxy has accepted, including those it refused or could not connect to the target. */
    public int connectionsAccepted() {
        return connectionsAccepted.get();
    }

    /** Stops listening and resets every open connection. */
    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            // nothing left to release
        }
        cutAll();
        try {
            acceptor.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "FaultProxy " + HOST + ":" + port() + " -> " + target.getHostString() + ":" + target.getPort();
    }

    private void acceptLoop() {
        int nextId = 1;
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                continue; // closed (the loop ends) or a transient accept failure
            }
            connectionsAccepted.incrementAndGet();
            if (refusing) {
                reset(client);
                continue;
            }
            Socket server = new Socket();
            try {
                server.connect(target, TARGET_CONNECT_TIMEOUT_MILLIS);
                client.setTcpNoDelay(true); // chunks are forwarded as they come: no Nagle wait added on either side
                server.setTcpNoDelay(true);
            } catch (IOException e) {
                reset(server);
                reset(client);
                continue;
            }
            Link link = new Link(nextId++, client, server);
            links.add(link);
            link.start();
            if (closed) {
                link.abort(); // close() may have cut everything just before this link was added
            }
        }
    }

    private void pump(Link link, Socket from, Socket to) {
        byte[] buffer = new byte[BUFFER_SIZE];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            // Waiting before the read as well as before the write leaves a stalled peer's bytes in the kernel, so
            // its sends block as they would on a dead path instead of being swallowed by the proxy.
            while (awaitFlowing(link)) {
                int read = in.read(buffer);
                if (read < 0) {
                    if (awaitFlowing(link)) {
                        to.shutdownOutput(); // a half-close travels on like the bytes before it
                    }
                    return;
                }
                long delay = delayNanos;
                if (delay > 0) {
                    TimeUnit.NANOSECONDS.sleep(delay);
                }
                if (!awaitFlowing(link)) {
                    return;
                }
                // Counted before the write, so a peer never holds bytes the count does not include yet (a test that
                // reads the count right after its query returned must see them all).
                bytesForwarded.addAndGet(read);
                out.write(buffer, 0, read);
            }
        } catch (IOException | InterruptedException e) {
            link.abort(); // a reset, an error, or our own cut: reset the other side too
        } finally {
            link.pumpFinished();
        }
    }

    /** Blocks while stalled; false once the link is closed, so that its pump ends. */
    private boolean awaitFlowing(Link link) throws InterruptedException {
        synchronized (flow) {
            while (stalled && !link.isClosed()) {
                flow.wait();
            }
        }
        return !link.isClosed();
    }

    /** Closes a socket with SO_LINGER 0, which sends RST instead of FIN. */
    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException e) {
            // already closed: closing again below is harmless
        }
        try {
            socket.close();
        } catch (IOException e) {
            // nothing left to release
        }
    }

    /** One proxied connection: the accepted client socket, the socket to the target, and their two pump threads. */
    private final class Link {
        private final Socket client;
        private final Socket server;
        private final Thread upstream;
        private final Thread downstream;
        private final AtomicBoolean closed = new AtomicBoolean();
        private final AtomicInteger pumpsRunning = new AtomicInteger(2);

        Link(int id, Socket client, Socket server) {
            this.client = client;
            this.server = server;
            String name = "fault-proxy:" + port() + " #" + id + " ";
            this.upstream = new Thread(() -> pump(this, client, server), name + "client->target");
            this.downstream = new Thread(() -> pump(this, server, client), name + "target->client");
            upstream.setDaemon(true);
            downstream.setDaemon(true);
        }

        void start() {
            upstream.start();
            downstream.start();
        }

        boolean isClosed() {
            return closed.get();
        }

        /** Resets both sides and wakes both pumps, wherever they wait (stall, delay, socket I/O). */
        void abort() {
            if (closed.compareAndSet(false, true)) {
                links.remove(this);
                reset(client);
                reset(server);
                upstream.interrupt();
                downstream.interrupt();
            }
        }

        /** Both directions have ended with a forwarded half-close: close both sockets normally. */
        void pumpFinished() {
            if (pumpsRunning.decrementAndGet() == 0 && closed.compareAndSet(false, true)) {
                links.remove(this);
                closeQuietly(client);
                closeQuietly(server);
            }
        }

        private void closeQuietly(Socket socket) {
            try {
                socket.close();
            } catch (IOException e) {
                // nothing left to release
            }
        }
    }
}
