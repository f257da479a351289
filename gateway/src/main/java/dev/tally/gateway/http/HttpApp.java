package dev.tally.gateway.http;

import dev.tally.gateway.RequestSender;
import dev.tally.gateway.auth.Authentication;
import dev.tally.schemas.Json;
import dev.tally.schemas.claims.ClaimScopes;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.Executor;

/** Wires the routes, the error mapping and the meters into one Javalin application. */
public final class HttpApp {

    private HttpApp() {
    }

    /**
     * @param authentication the API keys every {@code /v1} route requires and their rate, or null for a
     *                       gateway open to every caller ({@code tally dev})
     */
    public static Javalin create(RequestSender sender, PrometheusMeterRegistry registry, int bodyMaxBytes,
                                 ClaimScopes claimScopes, Executor responseExecutor, Authentication authentication) {
        HttpMetrics metrics = new HttpMetrics(registry, sender);
        ErrorResponses errors = new ErrorResponses(metrics);
        Calls calls = new Calls(sender, errors, metrics, responseExecutor);
        JsonBodies bodies = new JsonBodies(bodyMaxBytes);
        UsageRoutes usage = new UsageRoutes(bodies, calls);
        ClaimRoutes claims = new ClaimRoutes(bodies, calls, claimScopes);
        BookingRoutes bookings = new BookingRoutes(bodies, calls);
        ApiDocuments documents = new ApiDocuments();
        return Javalin.create(config -> {
            configure(config, bodyMaxBytes);
            config.requestLogger.http(metrics::call);
            config.routes.exception(HttpResponseException.class, (e, ctx) -> errors.write(ctx, e));
            config.routes.exception(Exception.class, (e, ctx) -> errors.write(ctx, e));
            if (authentication != null) {
                config.routes.beforeMatched(new Authorization(authentication)::check);
            }
            usage.register(config.routes);
            claims.register(config.routes);
            bookings.register(config.routes);
            Probes.register(config.routes, () -> sender.isReady() ? null
                    : "no reply partition assigned to this gateway yet, or it is stopping", registry);
            config.routes.get("/openapi.json", documents::openApi);
            config.routes.get("/schemas/{name}", documents::schema);
        });
    }

    private static void configure(JavalinConfig config, int bodyMaxBytes) {
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        // Bodies are read by JsonBodies, which enforces the limit itself; this guards any other reader.
        config.http.maxRequestSize = bodyMaxBytes;
        config.http.prefer405over404 = true;
        // Answers are written from the reply bytes; Javalin's mapper is only a fallback, on the shared JSON.
        config.jsonMapper(new JavalinJackson(Json.mapper(), false));
    }
}
