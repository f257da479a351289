package dev.tally.gateway.http;

import dev.tally.gateway.RequestSender;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's own meters. Calls are tagged by route template, never by raw path, so a scanner probing
 * random URLs cannot multiply the series.
 */
public final class HttpMetrics {

    private static final String UNMATCHED = "unmatched";

    private final MeterRegistry registry;
    private final Counter decisionTimeouts;

    public HttpMetrics(MeterRegistry registry, RequestSender sender) {
        this.registry = registry;
        Gauge.builder("tally.gateway.pending.replies", sender, RequestSender::pending)
                .description("HTTP calls waiting for their decision")
                .register(registry);
        this.decisionTimeouts = Counter.builder("tally.gateway.decision.timeouts")
                .description("Calls answered 504 DECISION_TIMEOUT")
                .register(registry);
    }

    /** Called once per HTTP call, when its answer is written. */
    void call(Context ctx, float elapsedMs) {
        Timer.builder("tally.gateway.http.requests")
                .description("HTTP calls by route, method and status, from arrival to answer")
                .tag("route", route(ctx))
                .tag("method", ctx.method().name())
                .tag("status", Integer.toString(ctx.statusCode()))
                .publishPercentileHistogram()
                .register(registry)
                .record((long) (elapsedMs * 1_000_000L), TimeUnit.NANOSECONDS);
    }

    void reply(String code) {
        Counter.builder("tally.gateway.replies")
                .description("Replies from the engine by decision code")
                .tag("code", code)
                .register(registry)
                .increment();
    }

    void decisionTimeout() {
        decisionTimeouts.increment();
    }

    private static String route(Context ctx) {
        Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
        return endpoint == null ? UNMATCHED : endpoint.path;
    }
}
