package dev.binrelay.cli;

import dev.binrelay.testkit.EmbeddedMySql;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** A source and a target for one test class (a static {@code @RegisterExtension}), started side by side. */
final class ServerPair implements BeforeAllCallback, AfterAllCallback {
    EmbeddedMySql source;
    EmbeddedMySql target;

    @Override
    public void beforeAll(ExtensionContext context) {
        CompletableFuture<EmbeddedMySql> startingTarget = CompletableFuture.supplyAsync(EmbeddedMySql::startTarget);
        source = EmbeddedMySql.startSource();
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
