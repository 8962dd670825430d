package dev.binrelay.cli;

import dev.binrelay.testkit.EmbeddedMySql;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** A source and a target for one test class (a static {@code @RegisterExtension}), started side by side. */
final class ServerPair implements BeforeAllCallback, AfterAllCallback {
    private final Supplier<EmbeddedMySql> startSource;
    EmbeddedMySql source;
    EmbeddedMySql target;

    /** A source with GTIDs. */
    ServerPair() {
        this(EmbeddedMySql::startSource);
    }

    /** A source of another kind, such as {@link EmbeddedMySql#startSourceWithoutGtids}. */
    ServerPair(Supplier<EmbeddedMySql> startSource) {
        this.startSource = startSource;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        CompletableFuture<EmbeddedMySql> startingTarget = CompletableFuture.supplyAsync(EmbeddedMySql::startTarget);
        source = startSource.get();
        target = startingTarget.join();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (source != null) {
            source.close();
        }
        if (target != null) {
            target.close();
        }
    }
}
