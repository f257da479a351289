package dev.tally.gateway.http;

import dev.tally.gateway.GatewayApp;
import dev.tally.gateway.RequestSender;
import dev.tally.gateway.auth.Authentication;
import dev.tally.schemas.claims.ClaimScopes;
import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.concurrent.Executor;

/** A gateway app on a free local port, over a test's sender. */
final class TestGateways {

    static final int BODY_MAX_BYTES = 1024;
    static final ClaimScopes CLAIM_SCOPES = ClaimScopes.parse(List.of("tenant-slug=slug", "customer-phone=phone"));

    private TestGateways() {
    }

    static Javalin start(RequestSender sender, Executor answers) {
        return start(sender, answers, null);
    }

    /** @param keys the keys the gateway requires and their rate, or null for an open gateway */
    static Javalin start(RequestSender sender, Executor answers, Authentication keys) {
        Javalin app = GatewayApp.create(sender, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                BODY_MAX_BYTES, CLAIM_SCOPES, answers, keys);
        app.start("127.0.0.1", 0);
        return app;
    }
}
