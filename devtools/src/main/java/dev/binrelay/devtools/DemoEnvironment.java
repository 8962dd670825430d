package dev.binrelay.devtools;

import dev.binrelay.engine.Replica;
import dev.binrelay.testkit.EmbeddedMySql;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The demo's embedded source and target and the replica between them, closed exactly once: when the demo ends, or
 * from a shutdown hook when it is interrupted (Ctrl-C), so that no server or data folder is left behind.
 */
final class DemoEnvironment implements AutoCloseable {
    private final EmbeddedMySql source;
    private final EmbeddedMySql target;
    private final Thread shutdownHook = new Thread(this::closeOnInterrupt, "binrelay-demo-cleanup");
    private volatile boolean interrupted;
    private Replica replica;
    private boolean closed;

    private DemoEnvironment(EmbeddedMySql source, EmbeddedMySql target) {
        this.source = source;
        this.target = target;
    }

    /** Starts a source (binary log, GTIDs, ROW) and a target, side by side to halve the wait. */
    static DemoEnvironment start() {
        CompletableFuture<EmbeddedMySql> target = CompletableFuture.supplyAsync(EmbeddedMySql::startTarget);
        EmbeddedMySql source;
        try {
            source = EmbeddedMySql.startSource();
        } catch (RuntimeException e) {
            target.thenAccept(EmbeddedMySql::close);
            throw e;
        }
        try {
            DemoEnvironment environment = new DemoEnvironment(source, target.join());
            Runtime.getRuntime().addShutdownHook(environment.shutdownHook);
            return environment;
        } catch (CompletionException e) {
            source.close();
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    EmbeddedMySql source() {
        return source;
    }

    EmbeddedMySql target() {
        return target;
    }

    /** Whether the JVM is shutting down (Ctrl-C) and closed everything under the demo's feet. */
    boolean interrupted() {
        return interrupted;
    }

    /** Hands over the replica, to be stopped before the servers close. */
    synchronized void replica(Replica replica) {
        this.replica = replica;
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shutdownInProgress) {
            // the hook is closing everything already
        }
        closeNow();
    }

    private void closeOnInterrupt() {
        interrupted = true;
        System.err.println("binrelay demo: interrupted: stopping binrelay and the embedded servers");
        closeNow();
    }

    private synchronized void closeNow() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (replica != null) {
                replica.stop();
            }
        } finally {
            try {
                source.close();
            } finally {
                target.close();
            }
        }
    }
}
