package dev.tally.gateway.http;

import dev.tally.gateway.auth.Authentication;
import io.javalin.Javalin;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A route test's gateway: the app on a free port over an in-memory engine, and HTTP calls to it. */
final class GatewayUnderTest implements AutoCloseable {

    final InMemorySender sender;
    final HttpCalls http;
    private final ExecutorService answers = Executors.newCachedThreadPool();
    private final Javalin app;

    GatewayUnderTest(InMemorySender sender) {
        this(sender, null);
    }

    /** @param keys the keys the gateway requires and their rate, or null for an open gateway */
    GatewayUnderTest(InMemorySender sender, Authentication keys) {
        this.sender = sender;
        this.app = TestGateways.start(sender, answers, keys);
        this.http = new HttpCalls(app.port());
    }

    /** Every HTTP route the app registered, as {@code METHOD /path/{param}}. */
    java.util.Set<String> registeredRoutes() {
        return app.unsafe.internalRouter.allHttpHandlers().stream()
                .filter(parsed -> parsed.endpoint.method.isHttpMethod())
                .map(parsed -> parsed.endpoint.method.name() + " " + parsed.endpoint.path)
                .collect(java.util.stream.Collectors.toSet());
    }

    @Override
    public void close() {
        app.stop();
        answers.shutdownNow();
    }
}
