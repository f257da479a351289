package dev.tally.gateway.http;

import dev.tally.schemas.Outcome;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What every tally deployable answers its probes and scrapers, in one shape: {@code /health/live},
 * {@code /health/ready} (503 {@code NOT_READY} with why, and {@code Retry-After}) and {@code /metrics} in
 * Prometheus text. The gateway and {@code tally engine} each say when they are ready.
 */
public final class Probes {

    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private Probes() {
    }

    /** @param notReady why the deployable cannot take work now, or null when it can */
    public static void register(RoutesConfig routes, Supplier<String> notReady, PrometheusMeterRegistry registry) {
        routes.get("/health/live", ctx -> status(ctx, "LIVE"));
        routes.get("/health/ready", ctx -> ready(ctx, notReady.get()));
        routes.get("/metrics", ctx -> ctx.contentType(PROMETHEUS_TEXT).result(GuardedScrape.of(registry)));
    }

    private static void ready(Context ctx, String notReady) {
        if (notReady == null) {
            status(ctx, "READY");
        } else {
            ctx.header("Retry-After", ErrorResponses.NOT_READY_RETRY_AFTER_SECONDS);
            ErrorResponses.respond(ctx, 503, new ErrorBody(null, Outcome.REJECTED, ErrorCodes.NOT_READY, notReady,
                    null));
        }
    }

    private static void status(Context ctx, String status) {
        ctx.status(200).contentType(JsonBodies.APPLICATION_JSON)
                .result(ErrorResponses.toJson(Map.of("status", status)));
    }
}
