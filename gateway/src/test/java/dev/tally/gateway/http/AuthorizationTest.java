package dev.tally.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.gateway.auth.ApiKey;
import dev.tally.gateway.auth.ApiKeys;
import dev.tally.gateway.auth.Authentication;
import dev.tally.gateway.auth.Grant;
import dev.tally.gateway.auth.Secrets;
import dev.tally.gateway.auth.TestTokens;
import dev.tally.gateway.auth.Tokens;
import dev.tally.gateway.http.GatewayUnderTest.RegisteredRoute;
import dev.tally.schemas.DecisionCode;
import dev.tally.schemas.Json;
import dev.tally.schemas.Request;
import dev.tally.schemas.bookings.BookComposite;
import dev.tally.schemas.claims.CreateClaim;
import dev.tally.schemas.claims.GetOrCreateClaim;
import dev.tally.schemas.usage.ReadUsage;
import dev.tally.schemas.usage.RecordUsage;
import dev.tally.schemas.usage.SetLimit;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway with API keys and JWTs, over real HTTP, with an in-memory engine behind it: who gets in, and what a key
 * of one tenant learns of another's (nothing: 404, and nothing is sent to the engine).
 */
@Timeout(60)
class AuthorizationTest {

    private static final String ACME_KEY = "acme-secret";
    private static final String ACME_ADMIN_KEY = "acme-manager-secret";
    private static final String ROOMS_KEY = "rooms-secret";
    private static final String ROOMS_ADMIN_KEY = "rooms-manager-secret";
    private static final String ROOT_KEY = "root-secret";
    private static final String STRANGER_KEY = "stranger-secret";
    private static final String CO1_KEY = "co1-secret";

    /** A call of one route: its path with the parameters filled in, and its body (null for none). */
    private record Example(String path, String body) {
    }

    private static final String SEGMENT = "{\"resource\":\"room-1\",\"from\":\"2026-12-01\",\"to\":\"2026-12-02\","
            + "\"quantity\":1}";
    /**
     * One call of every route the gateway registers, on acme, room-1 and the tenant-slug scope. What each acts
     * on and whether it manages comes from the route itself ({@link GatewayUnderTest#registeredRoutes()}), so
     * a new route fails {@link #routes()} until it gets an example here, and is then checked like the others.
     */
    private static final Map<String, Example> EXAMPLES = Map.ofEntries(
            Map.entry("PUT /v1/workspaces/{ws}/limits/{feature}",
                    new Example("/v1/workspaces/acme/limits/ai.tokens", "{\"limit\":1,\"period\":\"DAY\"}")),
            Map.entry("PUT /v1/workspaces/{ws}/namespaces/{ns}/limits/{feature}",
                    new Example("/v1/workspaces/acme/namespaces/eu/limits/ai.tokens",
                            "{\"limit\":1,\"period\":\"DAY\"}")),
            Map.entry("POST /v1/workspaces/{ws}/usage",
                    new Example("/v1/workspaces/acme/usage", "{\"feature\":\"ai.tokens\",\"amount\":1}")),
            Map.entry("GET /v1/workspaces/{ws}/usage", new Example("/v1/workspaces/acme/usage", null)),
            Map.entry("POST /v1/workspaces/{ws}/reservations", new Example("/v1/workspaces/acme/reservations",
                    "{\"feature\":\"ai.tokens\",\"amount\":1,\"ttlSeconds\":60}")),
            Map.entry("POST /v1/workspaces/{ws}/reservations/{id}/commit",
                    new Example("/v1/workspaces/acme/reservations/r1/commit", "{\"amount\":1}")),
            Map.entry("POST /v1/workspaces/{ws}/reservations/{id}/release",
                    new Example("/v1/workspaces/acme/reservations/r1/release", "{}")),
            Map.entry("POST /v1/workspaces/{ws}/packages", new Example("/v1/workspaces/acme/packages",
                    "{\"packageCode\":\"p\",\"features\":{\"sso\":{\"enabled\":true}}}")),
            Map.entry("DELETE /v1/workspaces/{ws}/packages/{packageCode}",
                    new Example("/v1/workspaces/acme/packages/p", null)),
            Map.entry("POST /v1/workspaces/{ws}/boosts", new Example("/v1/workspaces/acme/boosts",
                    "{\"feature\":\"ai.tokens\",\"amount\":1,\"externalId\":\"x\"}")),
            Map.entry("GET /v1/workspaces/{ws}/entitlements", new Example("/v1/workspaces/acme/entitlements", null)),
            Map.entry("POST /v1/claims/{scope}",
                    new Example("/v1/claims/tenant-slug", "{\"value\":\"acme\",\"owner\":\"o\"}")),
            Map.entry("PUT /v1/claims/{scope}/{value}", new Example("/v1/claims/tenant-slug/acme", "{\"owner\":\"o\"}")),
            Map.entry("POST /v1/claims/{scope}/{value}/confirm",
                    new Example("/v1/claims/tenant-slug/acme/confirm", "{\"owner\":\"o\"}")),
            Map.entry("DELETE /v1/claims/{scope}/{value}", new Example("/v1/claims/tenant-slug/acme?owner=o", null)),
            Map.entry("GET /v1/claims/{scope}/{value}", new Example("/v1/claims/tenant-slug/acme", null)),
            Map.entry("PUT /v1/resources/{id}",
                    new Example("/v1/resources/room-1", "{\"capacity\":1,\"slot\":\"DAY\",\"timezone\":\"UTC\"}")),
            Map.entry("POST /v1/resources/{id}/bookings", new Example("/v1/resources/room-1/bookings",
                    "{\"from\":\"2026-12-01\",\"to\":\"2026-12-02\",\"quantity\":1}")),
            Map.entry("DELETE /v1/resources/{id}/bookings/{bookingId}",
                    new Example("/v1/resources/room-1/bookings/b1", null)),
            Map.entry("POST /v1/resources/{id}/bookings/{bookingId}/reschedule",
                    new Example("/v1/resources/room-1/bookings/b1/reschedule",
                            "{\"from\":\"2026-12-01\",\"to\":\"2026-12-02\"}")),
            Map.entry("GET /v1/resources/{id}/availability",
                    new Example("/v1/resources/room-1/availability?from=2026-12-01&to=2026-12-02", null)),
            Map.entry("POST /v1/composite-bookings",
                    new Example("/v1/composite-bookings", "{\"segments\":[" + SEGMENT + "]}")),
            Map.entry("GET /health/live", new Example("/health/live", null)),
            Map.entry("GET /health/ready", new Example("/health/ready", null)),
            Map.entry("GET /metrics", new Example("/metrics", null)),
            Map.entry("GET /openapi.json", new Example("/openapi.json", null)),
            Map.entry("GET /schemas/{name}", new Example("/schemas/usage-decision.schema.json", null)));

    /** Per kind, a key that reaches the examples' entity without managing it, and one that manages it. */
    private static final Map<Grant.Kind, String> USER_KEYS = Map.of(Grant.Kind.WORKSPACE, ACME_KEY,
            Grant.Kind.RESOURCE, ROOMS_KEY, Grant.Kind.CLAIMS, ACME_KEY);
    private static final Map<Grant.Kind, String> MANAGER_KEYS = Map.of(Grant.Kind.WORKSPACE, ACME_ADMIN_KEY,
            Grant.Kind.RESOURCE, ROOMS_ADMIN_KEY);

    /** Per key; the gateway's clock stands still unless a test moves it. */
    private static final long CALLS_PER_SECOND = 40;
    private final AtomicLong clock = new AtomicLong();

    private final TestTokens issuer = new TestTokens("k1");
    private GatewayUnderTest gateway;
    private HttpCalls http;

    @TempDir
    Path dir;

    private static ApiKey key(String name, String secret, String... grants) {
        return new ApiKey(name, Secrets.sha256Hex(secret), List.of(grants).stream().map(Grant::parse).toList());
    }

    @BeforeEach
    void start() {
        ApiKeys keys = ApiKeys.of(List.of(key("acme-app", ACME_KEY, "workspace:acme", "claims:tenant-slug"),
                key("acme-billing", ACME_ADMIN_KEY, "workspace:acme:manage"),
                key("front-desk", ROOMS_KEY, "resource:room-*"),
                key("facilities", ROOMS_ADMIN_KEY, "resource:room-*:manage"),
                key("ops", ROOT_KEY, "admin"),
                key("stranger", STRANGER_KEY, "workspace:globex:manage", "resource:desk-*:manage",
                        "claims:customer-email"),
                key("co1-support", CO1_KEY, "claims:customer-phone/co_1:*")), null);
        gateway = new GatewayUnderTest(new InMemorySender(100, 60_000)
                .answering(r -> EngineReplies.decision(r, DecisionCode.OK)),
                new Authentication(keys, Tokens.of(TestTokens.settings(issuer.writeJwkSet(dir.resolve("jwks.json")))),
                        CALLS_PER_SECOND, clock::get));
        http = gateway.http;
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    private static String bearer(String secret) {
        return "Bearer " + secret;
    }

    private static JsonNode body(HttpResponse<String> response) throws Exception {
        return Json.mapper().readTree(response.body());
    }

    private HttpResponse<String> usage(String workspace, String... headers) throws Exception {
        return http.json("POST", "/v1/workspaces/" + workspace + "/usage", "{\"feature\":\"ai.tokens\",\"amount\":1}",
                headers);
    }

    /** A call of {@code route}'s example, with that secret as a bearer (null: no credentials). */
    private HttpResponse<String> call(RegisteredRoute route, String secret) throws Exception {
        Example example = EXAMPLES.get(route.name());
        var request = http.request(example.path()).header("Content-Type", "application/json")
                .method(route.name().substring(0, route.name().indexOf(' ')), example.body() == null
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(example.body()));
        if (secret != null) {
            request.header("Authorization", bearer(secret));
        }
        return http.send(request);
    }

    /** Every route the gateway registers; fails on one without an example call, or an example of none. */
    private Collection<RegisteredRoute> routes() {
        Map<String, RegisteredRoute> registered = gateway.registeredRoutes();
        assertThat(new TreeSet<>(EXAMPLES.keySet())).as("an example call of each registered route, and only those")
                .isEqualTo(registered.keySet());
        return registered.values();
    }

    /** The routes that need credentials: every /v1 route, each with the Access that says what it acts on. */
    private List<RegisteredRoute> apiRoutes() {
        List<RegisteredRoute> api = routes().stream().filter(route -> route.access() != null).toList();
        assertThat(api).isNotEmpty();
        return api;
    }

    @Test
    void everyApiRouteDeclaresWhatItActsOnAndIs401WithoutCredentialsWhileTheOthersStayOpen() throws Exception {
        for (RegisteredRoute route : routes()) {
            HttpResponse<String> response = call(route, null);
            String what = route.name() + ": " + response.body();
            // Fail closed: a /v1 route without an Access would be refused to every caller (405), never opened
            assertThat(route.access() != null).as("%s declares an Access", route.name())
                    .isEqualTo(route.name().contains(" /v1/"));
            if (route.access() != null) {
                assertThat(response.statusCode()).as(what).isEqualTo(401);
                assertThat(body(response).path("code").asText()).as(what).isEqualTo(ErrorCodes.UNAUTHENTICATED);
            } else {
                assertThat(response.statusCode()).as(what).isEqualTo(200);
            }
        }
        assertThat(gateway.sender.sentNothing()).isTrue();
    }

    @Test
    void everyApiRouteIs404ToAKeyOfAnotherTenantLogsItOnceAndSendsNothing() throws Exception {
        try (RefusalLog log = new RefusalLog()) {
            for (RegisteredRoute route : apiRoutes()) {
                log.clear();
                HttpResponse<String> response = call(route, STRANGER_KEY);
                String what = route.name() + ": " + response.body();
                assertThat(response.statusCode()).as(what).isEqualTo(404);
                assertThat(body(response).path("code").asText()).as(what).isEqualTo(ErrorCodes.NOT_FOUND);
                assertThat(log.outOfReach()).as(what).singleElement().satisfies(warning -> assertThat(warning)
                        .containsEntry("caller", "stranger")
                        .containsEntry("route", route.name().substring(route.name().indexOf(' ') + 1))
                        .containsEntry("entityKind", route.access().kind.word()));
            }
        }
        assertThat(gateway.sender.sentNothing()).isTrue();
    }

    @Test
    void everyApiRouteThatManagesIs403ToAKeyThatOnlyUsesAndGoesThroughForOneThatManages() throws Exception {
        for (RegisteredRoute route : apiRoutes()) {
            HttpResponse<String> response = call(route, USER_KEYS.get(route.access().kind));
            String what = route.name() + ": " + response.body();
            if (route.access().manage) {
                assertThat(response.statusCode()).as(what).isEqualTo(403);
                assertThat(body(response).path("code").asText()).as(what).isEqualTo(ErrorCodes.FORBIDDEN);
                assertThat(gateway.sender.sentNothing()).as(what).isTrue();
                assertThat(MANAGER_KEYS).as("a key that manages what %s acts on", route.name())
                        .containsKey(route.access().kind);
                response = call(route, MANAGER_KEYS.get(route.access().kind));
                what = route.name() + " by a manager: " + response.body();
            }
            assertThat(response.statusCode()).as(what).isEqualTo(200);
            assertThat(gateway.sender.nextSent()).as(what).isNotNull();
        }
    }

    @Test
    void aKeyForOneCompanysValuesOfASharedClaimScopeReachesThoseOnly() throws Exception {
        // Phone numbers are normalised to company:number before the check
        HttpResponse<String> own = http.json("PUT", "/v1/claims/customer-phone/co_1:+1%20(415)%20555-0100",
                "{\"owner\":\"cust_1\"}", "Authorization", bearer(CO1_KEY));
        assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
        assertThat(gateway.sender.nextSent()).isInstanceOf(GetOrCreateClaim.class);

        HttpResponse<String> otherRead = http.send(http.request("/v1/claims/customer-phone/co_2:+14155550100")
                .header("Authorization", bearer(CO1_KEY)).GET());
        HttpResponse<String> otherCreate = http.json("POST", "/v1/claims/customer-phone",
                "{\"value\":\"co_2:+14155550100\",\"owner\":\"cust_1\"}", "Authorization", bearer(CO1_KEY));
        HttpResponse<String> otherRelease = http.send(http.request(
                "/v1/claims/customer-phone/co_2:+14155550100?owner=cust_9").header("Authorization", bearer(CO1_KEY))
                .DELETE());
        for (HttpResponse<String> response : List.of(otherRead, otherCreate, otherRelease)) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(404);
        }
        assertThat(gateway.sender.sentNothing()).isTrue();
    }

    @Test
    void aHeadRequestOnAnApiRouteIsRefusedNotAnsweredEmpty() throws Exception {
        HttpResponse<String> head = http.send(http.request("/v1/workspaces/acme/usage")
                .header("Authorization", bearer(ACME_KEY)).method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody()));

        assertThat(head.statusCode()).isEqualTo(405);
        assertThat(gateway.sender.sentNothing()).isTrue();
    }

    @Test
    void withoutAKeyOrWithAnUnknownOneACallIs401AndNothingIsSent() throws Exception {
        HttpResponse<String> none = usage("acme");
        HttpResponse<String> unknown = usage("acme", "Authorization", bearer("guessed"));
        HttpResponse<String> unknownHeader = usage("acme", "X-Api-Key", "guessed");

        for (HttpResponse<String> response : List.of(none, unknown, unknownHeader)) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
            assertThat(body(response).path("code").asText()).isEqualTo(ErrorCodes.UNAUTHENTICATED);
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"tally\"");
        }
        assertThat(body(none).path("message").asText()).contains("no credentials");
        assertThat(gateway.sender.sentNothing()).isTrue();
    }

    @Test
    void aKeyActsOnItsOwnWorkspaceByEitherHeader() throws Exception {
        HttpResponse<String> bearer = usage("acme", "Authorization", bearer(ACME_KEY));
        assertThat(bearer.statusCode()).as(bearer.body()).isEqualTo(200);
        assertThat(gateway.sender.nextSent()).isInstanceOf(RecordUsage.class);

        HttpResponse<String> header = usage("acme", "X-Api-Key", ACME_KEY);
        assertThat(header.statusCode()).as(header.body()).isEqualTo(200);
        assertThat(gateway.sender.nextSent()).isInstanceOf(RecordUsage.class);
    }

    @Test
    void aKeyOfWorkspaceAOnWorkspaceBIs404LikeAWorkspaceThatDoesNotExistForGetAndPost() throws Exception {
        HttpResponse<String> write = usage("globex", "Authorization", bearer(ACME_KEY));
        HttpResponse<String> read = http.send(http.request("/v1/workspaces/globex/usage")
                .header("Authorization", bearer(ACME_KEY)).GET());
        HttpResponse<String> noSuchRoute = http.send(http.request("/v1/nothing-here")
                .header("Authorization", bearer(ACME_KEY)).GET());

        for (HttpResponse<String> response : List.of(write, read)) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(404);
            assertThat(body(response).path("code").asText()).isEqualTo(ErrorCodes.NOT_FOUND);
            assertThat(response.body()).doesNotContain("globex");
        }
        assertThat(noSuchRoute.statusCode()).isEqualTo(404);
        assertThat(gateway.sender.sentNothing()).isTrue();
        // The same key still reads its own
        assertThat(http.send(http.request("/v1/workspaces/acme/usage").header("Authorization", bearer(ACME_KEY))
                .GET()).statusCode()).isEqualTo(200);
        assertThat(gateway.sender.nextSent()).isInstanceOf(ReadUsage.class);
    }

    @Test
    void aCallOnAnotherTenantsWorkspaceLogsOneWarningNamingTheCallerRouteAndWorkspaceButACoveredOneNone()
            throws Exception {
        try (RefusalLog log = new RefusalLog()) {
            // When acme's key posts to and reads globex's usage
            assertThat(usage("globex", "Authorization", bearer(ACME_KEY)).statusCode()).isEqualTo(404);
            List<Map<String, Object>> afterPost = log.outOfReach();
            assertThat(http.send(http.request("/v1/workspaces/globex/usage").header("Authorization", bearer(ACME_KEY))
                    .GET()).statusCode()).isEqualTo(404);
            List<Map<String, Object>> afterGet = log.outOfReach();

            // Then each call logged exactly one warning, naming the key (never its secret), the route and globex
            assertThat(afterPost).singleElement().satisfies(warning -> assertThat(warning)
                    .containsEntry("level", "WARN").containsEntry("status", 404)
                    .containsEntry("code", ErrorCodes.NOT_FOUND).containsEntry("caller", "acme-app")
                    .containsEntry("method", "POST").containsEntry("route", "/v1/workspaces/{ws}/usage")
                    .containsEntry("path", "/v1/workspaces/globex/usage")
                    .containsEntry("entityKind", "workspace").containsEntry("entityId", "globex"));
            assertThat(afterGet).hasSize(2);
            assertThat(afterGet.get(1)).containsEntry("method", "GET").containsEntry("caller", "acme-app")
                    .containsEntry("route", "/v1/workspaces/{ws}/usage").containsEntry("entityId", "globex");
            assertThat(log.refusals().toString()).doesNotContain(ACME_KEY);
            assertThat(gateway.sender.sentNothing()).isTrue();
            log.clear();

            // And a covered call, a route that does not exist and the engine's own not-found log none
            assertThat(usage("acme", "Authorization", bearer(ACME_KEY)).statusCode()).isEqualTo(200);
            gateway.sender.nextSent();
            assertThat(http.send(http.request("/v1/nothing-here").header("Authorization", bearer(ACME_KEY)).GET())
                    .statusCode()).isEqualTo(404);
            gateway.sender.answering(r -> EngineReplies.decision(r, DecisionCode.RESERVATION_NOT_FOUND));
            HttpResponse<String> missing = http.json("POST", "/v1/workspaces/acme/reservations/r-gone/commit",
                    "{\"amount\":1}", "Authorization", bearer(ACME_KEY));
            assertThat(missing.statusCode()).as(missing.body()).isEqualTo(404);
            assertThat(body(missing).path("code").asText()).isEqualTo("RESERVATION_NOT_FOUND");
            assertThat(log.refusals()).isEmpty();
        }
    }

    @Test
    void aTokenActsWithTheGrantsItCarriesAndAnotherTenantsWorkspaceIs404ForGetAndPost() throws Exception {
        String token = issuer.token("acme-app", "workspace:acme");

        HttpResponse<String> own = usage("acme", "Authorization", bearer(token));
        assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
        assertThat(gateway.sender.nextSent()).isInstanceOf(RecordUsage.class);

        HttpResponse<String> write = usage("globex", "Authorization", bearer(token));
        HttpResponse<String> read = http.send(http.request("/v1/workspaces/globex/usage")
                .header("Authorization", bearer(token)).GET());
        HttpResponse<String> manage = http.json("PUT", "/v1/workspaces/acme/limits/ai.tokens",
                "{\"limit\":1,\"period\":\"DAY\"}", "Authorization", bearer(token));
        for (HttpResponse<String> response : List.of(write, read)) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(404);
            assertThat(body(response).path("code").asText()).isEqualTo(ErrorCodes.NOT_FOUND);
        }
        assertThat(manage.statusCode()).as(manage.body()).isEqualTo(403);
        assertThat(body(manage).path("message").asText()).contains("jwt:acme-app");
        assertThat(gateway.sender.sentNothing()).isTrue();
    }

    @Test
    void aGrantOnAWorkspaceWhoseIdHoldsAColonReachesThatWorkspaceOnly() throws Exception {
        String token = issuer.token("org-app", "workspace:org:42");

        HttpResponse<String> own = usage("org:42", "Authorization", bearer(token));
        assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
        assertThat(gateway.sender.nextSent()).isInstanceOf(RecordUsage.class);
        assertThat(usage("org:43", "Authorization", bearer(token)).statusCode()).isEqualTo(404);
        assertThat(http.json("PUT", "/v1/workspaces/org:42/limits/ai.tokens", "{\"limit\":1,\"period\":\"DAY\"}",
                "Authorization", bearer(token)).statusCode()).isEqualTo(403);
        assertThat(gateway.sender.sentNothing()).isTrue();
    }

    @Test
    void anExpiredTokenOrOneSignedByAnotherKeyIs401AndNothingIsSent() throws Exception {
        String expired = issuer.expired("acme-app", "workspace:acme", Duration.ofMinutes(2));
        String forged = new TestTokens("k1").token("acme-app", "admin");

        HttpResponse<String> late = usage("acme", "Authorization", bearer(expired));
        HttpResponse<String> wrongKey = usage("acme", "Authorization", bearer(forged));

        for (HttpResponse<String> response : List.of(late, wrongKey)) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
            assertThat(body(response).path("code").asText()).isEqualTo(ErrorCodes.UNAUTHENTICATED);
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"tally\"");
        }
        assertThat(body(late).path("message").asText()).contains("invalid token").contains("Expired");
        assertThat(gateway.sender.sentNothing()).isTrue();
    }

    @Test
    void limitsPackagesBoostsAndResourceDefinitionsNeedTheRightToManage() throws Exception {
        String limit = "{\"limit\":10,\"period\":\"MONTH\"}";
        HttpResponse<String> user = http.json("PUT", "/v1/workspaces/acme/limits/ai.tokens", limit,
                "Authorization", bearer(ACME_KEY));
        HttpResponse<String> boost = http.json("POST", "/v1/workspaces/acme/boosts",
                "{\"feature\":\"ai.tokens\",\"amount\":5,\"externalId\":\"inv-1\"}", "Authorization", bearer(ACME_KEY));
        HttpResponse<String> resource = http.json("PUT", "/v1/resources/room-1",
                "{\"capacity\":2,\"slot\":\"DAY\",\"timezone\":\"UTC\"}", "Authorization", bearer(ROOMS_KEY));

        for (HttpResponse<String> response : List.of(user, boost, resource)) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
            assertThat(body(response).path("code").asText()).isEqualTo(ErrorCodes.FORBIDDEN);
        }
        assertThat(body(user).path("message").asText()).contains("acme-app").contains("manage");
        assertThat(gateway.sender.sentNothing()).isTrue();

        assertThat(http.json("PUT", "/v1/workspaces/acme/limits/ai.tokens", limit, "Authorization",
                bearer(ACME_ADMIN_KEY)).statusCode()).isEqualTo(200);
        assertThat(gateway.sender.nextSent()).isInstanceOf(SetLimit.class);
        // A manager of acme is still a stranger to globex
        assertThat(http.json("PUT", "/v1/workspaces/globex/limits/ai.tokens", limit, "Authorization",
                bearer(ACME_ADMIN_KEY)).statusCode()).isEqualTo(404);
        assertThat(http.json("PUT", "/v1/workspaces/globex/limits/ai.tokens", limit, "Authorization",
                bearer(ROOT_KEY)).statusCode()).isEqualTo(200);
        assertThat(gateway.sender.nextSent()).isInstanceOf(SetLimit.class);
    }

    @Test
    void claimScopesAndResourcePrefixesAreReachedOnlyByTheirKeys() throws Exception {
        String claim = "{\"value\":\"acme\",\"owner\":\"ws_1\"}";
        assertThat(http.json("POST", "/v1/claims/tenant-slug", claim, "Authorization", bearer(ACME_KEY))
                .statusCode()).isEqualTo(200);
        assertThat(gateway.sender.nextSent()).isInstanceOf(CreateClaim.class);
        assertThat(http.json("POST", "/v1/claims/customer-phone", "{\"value\":\"+33600000000\",\"owner\":\"c\"}",
                "Authorization", bearer(ACME_KEY)).statusCode()).isEqualTo(404);
        assertThat(http.json("POST", "/v1/claims/tenant-slug", claim, "Authorization", bearer(ROOMS_KEY))
                .statusCode()).isEqualTo(404);

        String booking = "{\"from\":\"2026-12-01\",\"to\":\"2026-12-02\",\"quantity\":1}";
        assertThat(http.json("POST", "/v1/resources/room-7/bookings", booking, "Authorization", bearer(ROOMS_KEY))
                .statusCode()).isEqualTo(200);
        gateway.sender.nextSent();
        assertThat(http.json("POST", "/v1/resources/desk-7/bookings", booking, "Authorization", bearer(ROOMS_KEY))
                .statusCode()).isEqualTo(404);
        assertThat(gateway.sender.sentNothing()).isTrue();
    }

    @Test
    void aCompositeNeedsEveryResourceItNamesInReach() throws Exception {
        String segment = "{\"resource\":\"%s\",\"from\":\"2026-12-01\",\"to\":\"2026-12-02\",\"quantity\":1}";
        String outside = "{\"segments\":[" + segment.formatted("room-1") + "," + segment.formatted("desk-1") + "]}";
        String inside = "{\"segments\":[" + segment.formatted("room-1") + "," + segment.formatted("room-2") + "]}";

        HttpResponse<String> refused = http.json("POST", "/v1/composite-bookings", outside, "Authorization",
                bearer(ROOMS_KEY));
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(404);
        assertThat(gateway.sender.sentNothing()).isTrue();

        assertThat(http.json("POST", "/v1/composite-bookings", inside, "Authorization", bearer(ROOMS_KEY))
                .statusCode()).isEqualTo(200);
        assertThat(gateway.sender.nextSent()).isInstanceOf(BookComposite.class);
    }

    @Test
    void anOpenGatewayNeedsNoKey() throws Exception {
        gateway.close();
        gateway = new GatewayUnderTest(new InMemorySender(100, 60_000)
                .answering(r -> EngineReplies.decision(r, DecisionCode.OK)));
        http = gateway.http;

        assertThat(usage("globex").statusCode()).isEqualTo(200);
        Request sent = gateway.sender.nextSent();
        assertThat(sent).isInstanceOf(RecordUsage.class);
    }

    @Test
    void aKeyPastItsRateIs429WithRetryAfterWhileOtherKeysGoOnAndItsBucketRefills() throws Exception {
        // Given the clock stands still: the key has a burst of one second's worth (40 calls)
        for (int i = 0; i < CALLS_PER_SECOND; i++) {
            assertThat(usage("acme", "X-Api-Key", ACME_KEY).statusCode()).isEqualTo(200);
            gateway.sender.nextSent();
        }

        // When it calls once more
        HttpResponse<String> limited = usage("acme", "X-Api-Key", ACME_KEY);

        // Then it is refused 429 with Retry-After, nothing sent; another key is not held back
        assertThat(limited.statusCode()).as(limited.body()).isEqualTo(429);
        assertThat(body(limited).path("code").asText()).isEqualTo(ErrorCodes.RATE_LIMITED);
        assertThat(body(limited).path("outcome").asText()).isEqualTo("REJECTED");
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(gateway.sender.sentNothing()).isTrue();
        assertThat(http.json("PUT", "/v1/workspaces/acme/limits/ai.tokens", "{\"limit\":10,\"period\":\"MONTH\"}",
                "Authorization", bearer(ACME_ADMIN_KEY)).statusCode()).isEqualTo(200);
        gateway.sender.nextSent();
        // And 50 ms later two calls' worth are back
        clock.addAndGet(50_000_000L);
        assertThat(usage("acme", "X-Api-Key", ACME_KEY).statusCode()).isEqualTo(200);
        assertThat(usage("acme", "X-Api-Key", ACME_KEY).statusCode()).isEqualTo(200);
        assertThat(usage("acme", "X-Api-Key", ACME_KEY).statusCode()).isEqualTo(429);
    }
}
