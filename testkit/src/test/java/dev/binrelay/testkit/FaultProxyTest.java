package dev.binrelay.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FaultProxyTest {
    private static final int MIB = 1024 * 1024;

    private static EmbeddedMySql mysql;

    @BeforeAll
    static void startMySql() {
        mysql = EmbeddedMySql.startTarget();
    }

    @AfterAll
    static void stopMySql() {
        if (mysql != null) {
            mysql.close();
        }
    }

    @Test
    void queriesFlowThroughTheProxyAndItsBytesAreCounted() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(mysql.host(), mysql.port())) {
            try (Connection connection = connectThrough(proxy, "")) {
                assertThat(query(connection, "SELECT LENGTH(REPEAT('x', 100000))")).isEqualTo("100000");
                assertThat(query(connection, "SELECT REPEAT('x', 100000)")).hasSize(100_000);
                assertThat(proxy.bytesForwarded()).isGreaterThan(100_000);
                assertThat(proxy.openConnections()).isEqualTo(1);
                assertThat(proxy.connectionsAccepted()).isEqualTo(1);
            }
            // The driver's close half-closes, the server closes its side, and the proxy forwards both FINs.
            awaitEquals(0, proxy::openConnections);
        }
    }

    @Test
    void cutAllBreaksAnOpenConnectionAndANewOneWorks() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(mysql.host(), mysql.port());
             Connection connection = connectThrough(proxy, "")) {
            assertThat(query(connection, "SELECT 1")).isEqualTo("1");

            proxy.cutAll();

            assertThat(proxy.openConnections()).isZero();
            assertCommunicationsError(() -> query(connection, "SELECT 2"));
            try (Connection fresh = connectThrough(proxy, "")) {
                assertThat(query(fresh, "SELECT 3")).isEqualTo("3");
                assertThat(proxy.openConnections()).isEqualTo(1);
                assertThat(proxy.connectionsAccepted()).isEqualTo(2);
            }
        }
    }

    @Test
    void stallSilencesOpenAndNewConnectionsUntilResumed() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(mysql.host(), mysql.port());
             Connection connection = connectThrough(proxy, "&socketTimeout=1000")) {
            assertThat(query(connection, "SELECT 1")).isEqualTo("1");

            proxy.stall();
            long bytesBefore = proxy.bytesForwarded();
            long started = System.nanoTime();
            assertCommunicationsError(() -> query(connection, "SELECT 2"));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(1000));
            // A new connection is accepted but never sees the server's greeting.
            assertCommunicationsError(() -> connectThrough(proxy, "&socketTimeout=1000").close());
            assertThat(proxy.connectionsAccepted()).isEqualTo(2);
            assertThat(proxy.bytesForwarded()).isEqualTo(bytesBefore);

            proxy.resume();
            try (Connection fresh = connectThrough(proxy, "&socketTimeout=1000")) {
                assertThat(query(fresh, "SELECT 3")).isEqualTo("3");
            }
            assertThat(proxy.bytesForwarded()).isGreaterThan(bytesBefore);
        }
    }

    @Test
    void refuseMakesConnectingFailAndLeavesOpenConnectionsAlone() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(mysql.host(), mysql.port());
             Connection open = connectThrough(proxy, "")) {
            proxy.refuse(true);

            assertCommunicationsError(() -> connectThrough(proxy, "").close());
            assertThat(proxy.connectionsAccepted()).isEqualTo(2);
            assertThat(proxy.openConnections()).isEqualTo(1);
            assertThat(query(open, "SELECT 1")).isEqualTo("1");

            proxy.refuse(false);
            try (Connection fresh = connectThrough(proxy, "")) {
                assertThat(query(fresh, "SELECT 2")).isEqualTo("2");
            }
        }
    }

    @Test
    void delaySlowsEveryRoundTripDown() throws Exception {
        Duration delay = Duration.ofMillis(200);
        try (FaultProxy proxy = FaultProxy.start(mysql.host(), mysql.port());
             Connection connection = connectThrough(proxy, "")) {
            assertThat(query(connection, "SELECT 1")).isEqualTo("1");

            proxy.delay(delay);
            long started = System.nanoTime();
            assertThat(query(connection, "SELECT 2")).isEqualTo("2");
            // The request and its response are at least one chunk each, and the response cannot leave before the
            // request arrived: two delays, one after the other.
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(delay.multipliedBy(2));

            proxy.delay(Duration.ZERO);
            assertThat(query(connection, "SELECT 3")).isEqualTo("3");
        }
    }

    @Test
    void aStreamStalledAndResumedManyTimesIsEchoedByteForByte() throws Exception {
        byte[] sent = new byte[10 * MIB];
        new Random(20240611).nextBytes(sent);
        ExecutorService peers = Executors.newFixedThreadPool(2);
        try (EchoServer echo = new EchoServer();
             FaultProxy proxy = FaultProxy.start(echo.host(), echo.port());
             Socket socket = new Socket(proxy.host(), proxy.port())) {
            // One chunk per millisecond at most keeps the stream slow enough that every stall below lands mid-stream.
            proxy.delay(Duration.ofMillis(1));
            proxy.stall();
            Future<?> writer = peers.submit(() -> writeInRandomChunks(socket, sent));
            Future<byte[]> reader = peers.submit(() -> readToEnd(socket, sent.length));

            int stallsMidStream = 0;
            for (long threshold = 2L * MIB; threshold < 2L * sent.length; threshold += 3L * MIB) {
                Thread.sleep(200); // lets a write that had already begun when stalled land
                long stalledAt = proxy.bytesForwarded();
                Thread.sleep(150);
                assertThat(proxy.bytesForwarded()).as("bytes forwarded while stalled").isEqualTo(stalledAt);
                if (stalledAt < 2L * sent.length) {
                    stallsMidStream++;
                }
                proxy.resume();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (proxy.bytesForwarded() < threshold && !reader.isDone()) {
                    assertThat(System.nanoTime()).as("stream stuck at %d bytes", proxy.bytesForwarded())
                            .isLessThan(deadline);
                    Thread.onSpinWait();
                }
                proxy.stall();
            }
            proxy.resume();

            writer.get(20, TimeUnit.SECONDS);
            byte[] received = reader.get(20, TimeUnit.SECONDS);
            assertThat(stallsMidStream).isGreaterThanOrEqualTo(4);
            assertThat(received).hasSameSizeAs(sent);
            assertThat(Arrays.mismatch(sent, received)).as("first differing byte").isEqualTo(-1);
            awaitEquals(2 * sent.length, () -> (int) proxy.bytesForwarded());
            // Both half-closes went through, so the proxy has closed the connection on its own.
            awaitEquals(0, proxy::openConnections);
            assertThat(echo.endings.poll(5, TimeUnit.SECONDS)).isEqualTo("eof");
        } finally {
            peers.shutdownNow();
        }
    }

    @Test
    void cutAllResetsBothSidesOfAPlainConnection() throws Exception {
        try (EchoServer echo = new EchoServer();
             FaultProxy proxy = FaultProxy.start(echo.host(), echo.port());
             Socket socket = new Socket(proxy.host(), proxy.port())) {
            socket.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(socket.getInputStream().readNBytes(4), StandardCharsets.US_ASCII)).isEqualTo("ping");

            proxy.cutAll();

            // A FIN would read as end of stream; only a reset makes the read fail.
            assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketException.class)
                    .hasMessageContaining("reset");
            assertThat(echo.endings.poll(5, TimeUnit.SECONDS)).startsWith("error").contains("reset");
            try (Socket fresh = new Socket(proxy.host(), proxy.port())) {
                fresh.getOutputStream().write(7);
                assertThat(fresh.getInputStream().read()).isEqualTo(7);
            }
        }
    }

    @Test
    void aPeerNeverHoldsBytesTheCountDoesNotIncludeYet() throws Exception {
        try (EchoServer echo = new EchoServer();
             FaultProxy proxy = FaultProxy.start(echo.host(), echo.port());
             Socket socket = new Socket(proxy.host(), proxy.port())) {
            // Tests read the count right after their own round trip returns (as the stall test does); counting
            // after the write let it lag behind in about one round trip in twenty.
            for (int roundTrip = 1; roundTrip <= 300; roundTrip++) {
                socket.getOutputStream().write(roundTrip);
                assertThat(socket.getInputStream().read()).isEqualTo(roundTrip & 0xFF);
                assertThat(proxy.bytesForwarded()).as("after round trip %d", roundTrip).isEqualTo(2L * roundTrip);
            }
        }
    }

    private static Void writeInRandomChunks(Socket socket, byte[] bytes) throws IOException {
        Random sizes = new Random(7);
        OutputStream out = socket.getOutputStream();
        for (int offset = 0; offset < bytes.length; ) {
            int length = Math.min(1 + sizes.nextInt(100_000), bytes.length - offset);
            out.write(bytes, offset, length);
            offset += length;
        }
        socket.shutdownOutput();
        return null;
    }

    private static byte[] readToEnd(Socket socket, int expectedLength) throws IOException {
        InputStream in = socket.getInputStream();
        byte[] received = in.readNBytes(expectedLength);
        assertThat(in.read()).as("end of stream after the echo").isEqualTo(-1);
        return received;
    }

    private static Connection connectThrough(FaultProxy proxy, String extraProperties) throws SQLException {
        String url = "jdbc:mysql://" + proxy.host() + ":" + proxy.port() + "/?useSSL=false&allowPublicKeyRetrieval=true"
                + extraProperties;
        return DriverManager.getConnection(url, mysql.user(), mysql.password());
    }

    private static String query(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }

    /** Connector/J reports a broken, reset or timed-out connection with SQLState 08S01 (communication link failure). */
    private static void assertCommunicationsError(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(SQLException.class,
                e -> assertThat(e.getSQLState()).as("SQLState of %s", e).isEqualTo("08S01"));
    }

    private static void awaitEquals(int expected, IntSupplier actual) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (actual.getAsInt() != expected && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(actual.getAsInt()).isEqualTo(expected);
    }

    /** Echoes every connection's bytes back, forwards its half-close, and records how each connection ended. */
    private static final class EchoServer implements AutoCloseable {
        final BlockingQueue<String> endings = new LinkedBlockingQueue<>();
        private final ServerSocket listener;

        EchoServer() throws IOException {
            listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
            Thread acceptor = new Thread(this::acceptLoop, "echo-server accept");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        String host() {
            return "127.0.0.1";
        }

        int port() {
            return listener.getLocalPort();
        }

        private void acceptLoop() {
            while (!listener.isClosed()) {
                try {
                    Socket socket = listener.accept();
                    Thread echo = new Thread(() -> echo(socket), "echo-server connection");
                    echo.setDaemon(true);
                    echo.start();
                } catch (IOException e) {
                    return; // closed
                }
            }
        }

        private void echo(Socket socket) {
            byte[] buffer = new byte[64 * 1024];
            try (socket) {
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                for (int read; (read = in.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, read);
                }
                socket.shutdownOutput();
                endings.add("eof");
            } catch (IOException e) {
                endings.add("error: " + e.getMessage());
            }
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }
    }
}
