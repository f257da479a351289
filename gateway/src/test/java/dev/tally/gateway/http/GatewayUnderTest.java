package dev.tally.gateway.http;

import dev.tally.gateway.auth.Authentication;
import io.javalin.Javalin;
import io.javalin.security.Roles;
import java.util.Map;
import java.util.TreeMap;
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

    /**
     * A route as the app registered it, and what it acts on.
     *
     * @param name   {@code METHOD /path/{param}}
     * @param access the route's {@link Access} role; null for an open route (probes, metrics, documents)
     */
    record RegisteredRoute(String name, Access access) {
    }

    /** Every HTTP route the app registered, by name. */
    Map<String, RegisteredRoute> registeredRoutes() {
        Map<String, RegisteredRoute> routes = new TreeMap<>();
        app.unsafe.internalRouter.allHttpHandlers().stream()
                .filter(parsed -> parsed.endpoint.method.isHttpMethod())
                .forEach(parsed -> {
                    String name = parsed.endpoint.method.name() + " " + parsed.endpoint.path;
                    routes.put(name, new RegisteredRoute(name, access(parsed.endpoint.metadata(Roles.class))));
                });
        return routes;
    }

    private static Access access(Roles roles) {
        if (roles == null) {
            return null;
        }
        return roles.getRoles().stream().filter(Access.class::isInstance).map(Access.class::cast).findFirst()
                .orElse(null);
    }

    @Override
    public void close() {
        app.stop();
        answers.shutdownNow();
    }
}
