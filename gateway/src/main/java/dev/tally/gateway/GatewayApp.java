package dev.tally.gateway;

import dev.tally.gateway.auth.Authentication;
import dev.tally.gateway.http.HttpApp;
import dev.tally.schemas.claims.ClaimScopes;
import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.Executor;

/**
 * Builds the gateway's HTTP application without starting it: {@link GatewayServer} starts it on its
 * configured port, tests on a free one with a {@link RequestSender} that answers in memory.
 */
public final class GatewayApp {

    private GatewayApp() {
    }

    /**
     * @param sender           hands requests to the engine and returns its replies
     * @param registry         the meters, served at {@code /metrics}
     * @param bodyMaxBytes     largest request body accepted (413 past it)
     * @param claimScopes      the claim scopes and their normalisers, as the engine has them
     * @param responseExecutor where answers are written once their reply arrives
     * @param authentication   the API keys every {@code /v1} route requires and their rate, or null for an
     *                         open gateway
     */
    public static Javalin create(RequestSender sender, PrometheusMeterRegistry registry, int bodyMaxBytes,
                                 ClaimScopes claimScopes, Executor responseExecutor, Authentication authentication) {
        return HttpApp.create(sender, registry, bodyMaxBytes, claimScopes, responseExecutor, authentication);
    }
}
