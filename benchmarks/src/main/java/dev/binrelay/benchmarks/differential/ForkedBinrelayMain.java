package dev.binrelay.benchmarks.differential;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.binrelay.applier.JdbcApplier;
import dev.binrelay.applier.TargetSettings;
import dev.binrelay.engine.Replica;
import dev.binrelay.engine.ReplicaListener;
import dev.binrelay.engine.SchedulerKind;
import dev.binrelay.engine.SourceSettings;
import dev.binrelay.engine.TlsSettings;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;

/**
 * binrelay under test, in a JVM of its own so that the tester can SIGKILL it: builds a {@link Replica} with a
 * {@link JdbcApplier} from its arguments and runs until it is killed, stopped (SIGTERM: a clean stop) or fails.
 *
 * <p>Arguments: {@code sourceHost sourcePort sourceUser targetUrl targetUser scheduler preserveCommitOrder batchSize
 * workers}. Passwords come from the environment ({@value #SOURCE_PASSWORD}, {@value #TARGET_PASSWORD}), never from
 * the command line. Exit codes: 0 stopped, {@value #EXIT_FAILED} the replica failed while running (the error is
 * printed), {@value #EXIT_NOT_STARTED} it could not start (such as a target still restarting).
 */
public final class ForkedBinrelayMain {
    static final String SOURCE_PASSWORD = "BINRELAY_FUZZ_SOURCE_PASSWORD";
    static final String TARGET_PASSWORD = "BINRELAY_FUZZ_TARGET_PASSWORD";
    static final int EXIT_FAILED = 1;
    static final int EXIT_NOT_STARTED = 3;
    /** Printed once {@code start()} returned, for the tester's log. */
    static final String STARTED = "binrelay-fuzz: started";
    /** Printed before the error of a replica that failed. */
    static final String FAILED = "binrelay-fuzz: FAILED: ";
    /** The engine's logger of dependency misses (one line each at DEBUG). */
    static final String MISSES_LOGGER = "dev.binrelay.engine.pipeline.MissedDependencies";
    /** What each of its lines holds. */
    static final String MISS_MARK = "dependency missed on";
    /** binrelay's server_id on the source; testkit's servers use ids from 100 up. */
    private static final long SERVER_ID = 6161;

    private ForkedBinrelayMain() {
    }

    /** Runs the replica the arguments describe until the JVM is killed or stopped. */
    public static void main(String[] args) throws Exception {
        // Every dependency miss on a line of its own, so that the tester counts them over kills and restarts.
        ((Logger) LoggerFactory.getLogger(MISSES_LOGGER)).setLevel(Level.DEBUG);
        SourceSettings source = SourceSettings.builder(args[0], Integer.parseInt(args[1])).user(args[2])
                .password(envOrEmpty(SOURCE_PASSWORD)).serverId(SERVER_ID).heartbeat(Duration.ofSeconds(2))
                .connectTimeout(Duration.ofSeconds(10)).tls(TlsSettings.DISABLED).build();
        JdbcApplier applier = new JdbcApplier(new TargetSettings(args[3], args[4], envOrEmpty(TARGET_PASSWORD),
                "binrelay", "default"));
        CountDownLatch ended = new CountDownLatch(1);
        Replica replica = Replica.builder().source(source).applier(applier).scheduler(SchedulerKind.parse(args[5]))
                .preserveCommitOrder(Boolean.parseBoolean(args[6])).batchSize(Integer.parseInt(args[7]))
                .workers(Integer.parseInt(args[8])).listener(new ReplicaListener() {
                    @Override
                    public void failed(Throwable error) {
                        System.out.println(FAILED + error);
                        error.printStackTrace(System.out);
                        System.out.flush();
                        Runtime.getRuntime().halt(EXIT_FAILED);
                    }
                }).build();
        try {
            replica.start();
        } catch (RuntimeException e) {
            System.out.println("binrelay-fuzz: not started: " + e);
            System.out.flush();
            Runtime.getRuntime().halt(EXIT_NOT_STARTED);
        }
        System.out.println(STARTED);
        System.out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            replica.stop();
            ended.countDown();
        }, "fuzz-stop"));
        ended.await();
    }

    private static String envOrEmpty(String name) {
        String value = System.getenv(name);
        return value == null ? "" : value;
    }
}
