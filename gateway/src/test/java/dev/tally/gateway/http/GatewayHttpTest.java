package dev.tally.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.contract.RequestLogContext;
import dev.tally.gateway.Reply;
import dev.tally.schemas.DecisionCode;
import dev.tally.schemas.Json;
import dev.tally.schemas.usage.Enforcement;
import dev.tally.schemas.usage.Period;
import dev.tally.schemas.usage.ReadUsage;
import dev.tally.schemas.usage.RecordUsage;
import dev.tally.schemas.usage.SetLimit;
import dev.tally.schemas.usage.UsageRequest;
import io.javalin.Javalin;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The HTTP layer over real HTTP, with an in-memory engine behind it. */
@Timeout(60)
class GatewayHttpTest {

    private static final int BODY_MAX_BYTES = TestGateways.BODY_MAX_BYTES;
    private static final String USAGE = "/v1/workspaces/acme/usage";
    private static final String LIMIT = "/v1/workspaces/acme/limits/ai.tokens";

    private final List<Javalin> apps = new ArrayList<>();
    private final ExecutorService answers = Executors.newCachedThreadPool();
    private InMemorySender sender;
    private HttpCalls http;

    @AfterEach
    void stop() {
        apps.forEach(Javalin::stop);
        answers.shutdownNow();
    }

    /** Given a gateway whose engine answers every request at once with OK. */
    private void startAnswering() {
        start(new InMemorySender(100, 60_000).answering(EngineReplies::ok));
    }

    private void start(InMemorySender given) {
        sender = given;
        Javalin app = TestGateways.start(sender, answers);
        apps.add(app);
        http = new HttpCalls(app.port());
    }

    // ---- requests and replies ----

    @Test
    void recordUsageIsSentWithPathAndBodyAndTheDecisionPassesThroughUntouched() throws Exception {
        byte[] engineBytes = "{\"requestId\":\"r-1\",\"outcome\":\"ACCEPTED\",\"code\":\"OK\",\"used\":200}"
                .getBytes(StandardCharsets.UTF_8);
        start(new InMemorySender(100, 60_000).answering(r -> new Reply("OK", "decision", engineBytes)));

        HttpResponse<byte[]> response = http.jsonBytes("POST", USAGE,
                "{\"feature\":\"ai.tokens\",\"amount\":200,\"namespace\":\"team-1\",\"dryRun\":true,\"requestId\":\"r-1\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(engineBytes);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(sender.nextSent()).isEqualTo(new RecordUsage("r-1", "acme", "team-1", "ai.tokens", 200L, true));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "OK, 200",
            "SOFT_LIMIT_EXCEEDED, 200",
            "LIMIT_SET, 200",
            "QUOTA_EXCEEDED, 409",
            "NO_LIMIT_DEFINED, 409",
            "REQUEST_ID_REUSED, 409",
            "INVALID_REQUEST, 400"})
    void statusFollowsTheDecisionCode(DecisionCode code, int status) throws Exception {
        start(new InMemorySender(100, 60_000).answering(r -> EngineReplies.decision(r, code)));

        HttpResponse<String> response = http.json("POST", USAGE, "{\"feature\":\"ai.tokens\",\"amount\":1}");

        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(json(response).path("code").asText()).isEqualTo(code.name());
    }

    @Test
    void aCodeThisGatewayDoesNotKnowTakesItsStatusFromTheDecisionsOutcome() throws Exception {
        start(new InMemorySender(100, 60_000).answering(r -> r.requestId().equals("accepted")
                ? EngineReplies.decision(r, "SOME_NEW_CODE", "ACCEPTED")
                : EngineReplies.decision(r, "OTHER_NEW_CODE", "REJECTED")));

        assertThat(http.json("POST", USAGE, "{\"feature\":\"f\",\"amount\":1,\"requestId\":\"accepted\"}").statusCode())
                .isEqualTo(200);
        assertThat(http.json("POST", USAGE, "{\"feature\":\"f\",\"amount\":1,\"requestId\":\"rejected\"}").statusCode())
                .isEqualTo(409);
    }

    @Test
    void setLimitOnTheWorkspaceAndOnANamespace() throws Exception {
        startAnswering();

        HttpResponse<String> workspace = http.json("PUT", LIMIT,
                "{\"limit\":1000,\"period\":\"MONTH\",\"requestId\":\"l-1\"}");
        HttpResponse<String> namespace = http.json("PUT", "/v1/workspaces/acme/namespaces/team-1/limits/ai.tokens",
                "{\"limit\":100,\"period\":\"DAY\",\"enforcement\":\"SOFT\",\"requestId\":\"l-2\"}");

        assertThat(workspace.statusCode()).isEqualTo(200);
        assertThat(namespace.statusCode()).isEqualTo(200);
        assertThat(sender.nextSent()).isEqualTo(
                new SetLimit("l-1", "acme", null, "ai.tokens", 1000L, Period.MONTH, null));
        assertThat(sender.nextSent()).isEqualTo(
                new SetLimit("l-2", "acme", "team-1", "ai.tokens", 100L, Period.DAY, Enforcement.SOFT));
    }

    @Test
    void readUsageSendsAReadWithAFreshIdAndAnswersTheReport() throws Exception {
        start(new InMemorySender(100, 60_000).answering(EngineReplies::report));

        HttpResponse<String> response = http.get(USAGE);

        assertThat(response.statusCode()).isEqualTo(200);
        ReadUsage sent = (ReadUsage) sender.nextSent();
        assertThat(sent.workspace()).isEqualTo("acme");
        assertThat(UUID.fromString(sent.requestId())).isNotNull();
        assertThat(json(response).path("key").asText()).isEqualTo("acme");
    }

    // ---- idempotency keys ----

    @Test
    void withoutAnIdTheGatewayMakesOneAndTheDecisionReturnsIt() throws Exception {
        startAnswering();

        HttpResponse<String> response = http.json("POST", USAGE, "{\"feature\":\"ai.tokens\",\"amount\":1}");

        String requestId = sender.nextSent().requestId();
        assertThat(UUID.fromString(requestId)).isNotNull();
        assertThat(json(response).path("requestId").asText()).isEqualTo(requestId);
    }

    @Test
    void theIdempotencyKeyHeaderIsTheRequestId() throws Exception {
        startAnswering();

        HttpResponse<String> response = http.json("POST", USAGE, "{\"feature\":\"ai.tokens\",\"amount\":1}",
                "Idempotency-Key", "key-1");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(sender.nextSent().requestId()).isEqualTo("key-1");
    }

    @Test
    void theSameIdInHeaderAndBodyIsAccepted() throws Exception {
        startAnswering();

        HttpResponse<String> response = http.json("PUT", LIMIT,
                "{\"limit\":1,\"period\":\"DAY\",\"requestId\":\"key-1\"}", "Idempotency-Key", "key-1");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(sender.nextSent().requestId()).isEqualTo("key-1");
    }

    @Test
    void differentIdsInHeaderAndBodyAreRefused() throws Exception {
        startAnswering();

        HttpResponse<String> response = http.json("POST", USAGE,
                "{\"feature\":\"ai.tokens\",\"amount\":1,\"requestId\":\"body-id\"}", "Idempotency-Key", "header-id");

        assertInvalid(response, "requestId");
    }

    @Test
    void aMalformedIdempotencyKeyIsRefusedUnderItsOwnName() throws Exception {
        startAnswering();

        HttpResponse<String> response = http.json("POST", USAGE, "{\"feature\":\"ai.tokens\",\"amount\":1}",
                "Idempotency-Key", "has spaces");

        assertInvalid(response, "Idempotency-Key");
    }

    // ---- bad input: 400 naming the field, nothing sent ----

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
            "POST|/v1/workspaces/acme/usage|{\"feature\":\"ai.tokens\",\"amount\":5|body",
            "POST|/v1/workspaces/acme/usage|{\"feature\":\"ai.tokens\",\"amout\":5}|amout",
            "POST|/v1/workspaces/acme/usage|{\"feature\":\"ai.tokens\",\"amount\":\"200\"}|amount",
            "POST|/v1/workspaces/acme/usage|{\"feature\":\"ai.tokens\",\"amount\":1.5}|amount",
            "POST|/v1/workspaces/acme/usage|{\"feature\":\"ai.tokens\",\"amount\":true}|amount",
            "POST|/v1/workspaces/acme/usage|{\"amount\":5}|feature",
            "POST|/v1/workspaces/acme/usage|{\"feature\":\"ai.tokens\"}|amount",
            "POST|/v1/workspaces/acme/usage|{\"feature\":\"ai.tokens\",\"amount\":0}|amount",
            "POST|/v1/workspaces/acme/usage|{\"feature\":\"ai.tokens\",\"amount\":-3}|amount",
            "POST|/v1/workspaces/acme/usage|{\"feature\":\"ai.tokens\",\"amount\":5,\"dryRun\":\"yes\"}|dryRun",
            "POST|/v1/workspaces/acme/usage|{\"feature\":\"ai.tokens\",\"amount\":5,\"dryRun\":1}|dryRun",
            "POST|/v1/workspaces/acme/usage|{\"feature\":\"AI Tokens\",\"amount\":5}|feature",
            "POST|/v1/workspaces/acme/usage|{\"feature\":7,\"amount\":5}|feature",
            "POST|/v1/workspaces/acme/usage|{\"feature\":\"ai.tokens\",\"amount\":5,\"namespace\":\"a b\"}|namespace",
            "POST|/v1/workspaces/acme/usage|{\"feature\":\"ai.tokens\",\"amount\":5,\"requestId\":\"\"}|requestId",
            "POST|/v1/workspaces/acme/usage|[1,2]|body",
            "POST|/v1/workspaces/acme/usage|null|body",
            "POST|/v1/workspaces/acme/usage|''|body",
            "POST|/v1/workspaces/bad%20ws/usage|{\"feature\":\"ai.tokens\",\"amount\":5}|workspace",
            "PUT|/v1/workspaces/acme/limits/ai.tokens|{\"limit\":100,\"period\":\"WEEK\"}|period",
            "PUT|/v1/workspaces/acme/limits/ai.tokens|{\"limit\":100,\"period\":1}|period",
            "PUT|/v1/workspaces/acme/limits/ai.tokens|{\"limit\":100}|period",
            "PUT|/v1/workspaces/acme/limits/ai.tokens|{\"period\":\"MONTH\"}|limit",
            "PUT|/v1/workspaces/acme/limits/ai.tokens|{\"limit\":-1,\"period\":\"MONTH\"}|limit",
            "PUT|/v1/workspaces/acme/limits/ai.tokens|{\"limit\":1,\"period\":\"MONTH\",\"enforcement\":\"STRICT\"}|enforcement",
            "PUT|/v1/workspaces/acme/limits/AI.TOKENS|{\"limit\":1,\"period\":\"MONTH\"}|feature",
            "PUT|/v1/workspaces/acme/namespaces/bad%20ns/limits/ai.tokens|{\"limit\":1,\"period\":\"MONTH\"}|namespace"})
    void badInputIsRefusedNamingTheField(String method, String path, String body, String field) throws Exception {
        startAnswering();

        HttpResponse<String> response = http.json(method, path, body);

        assertInvalid(response, field);
    }

    @Test
    void aBadWorkspaceInTheReadPathIsRefused() throws Exception {
        startAnswering();

        assertInvalid(http.get("/v1/workspaces/" + "w".repeat(129) + "/usage"), "workspace");
    }

    @Test
    void aBodyOverTheLimitIsRefusedUnread() throws Exception {
        startAnswering();
        String tooLarge = "{\"feature\":\"ai.tokens\",\"amount\":1,\"requestId\":\"" + "x".repeat(BODY_MAX_BYTES) + "\"}";

        HttpResponse<String> declared = http.json("POST", USAGE, tooLarge);
        HttpResponse<String> chunked = http.jsonChunked("POST", USAGE, tooLarge.getBytes(StandardCharsets.UTF_8));

        for (HttpResponse<String> response : List.of(declared, chunked)) {
            assertThat(response.statusCode()).isEqualTo(413);
            assertThat(json(response).path("code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");
        }
        assertThat(sender.sentNothing()).isTrue();
    }

    @Test
    void aWriteThatIsNotJsonIsRefused() throws Exception {
        startAnswering();
        String body = "{\"feature\":\"ai.tokens\",\"amount\":1}";

        HttpResponse<String> text = http.send(http.request(USAGE).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        HttpResponse<String> none = http.send(http.request(USAGE).POST(HttpRequest.BodyPublishers.ofString(body)));

        for (HttpResponse<String> response : List.of(text, none)) {
            assertThat(response.statusCode()).isEqualTo(415);
            assertThat(json(response).path("code").asText()).isEqualTo("UNSUPPORTED_MEDIA_TYPE");
        }
        assertThat(sender.sentNothing()).isTrue();
    }

    @Test
    void jsonWithACharsetIsJson() throws Exception {
        startAnswering();

        HttpResponse<String> response = http.send(http.request(USAGE)
                .header("Content-Type", "application/json; charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString("{\"feature\":\"ai.tokens\",\"amount\":1}")));

        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void anUnknownRouteIsNotFoundAndAKnownOneWithAnotherMethodIsNotAllowed() throws Exception {
        startAnswering();

        HttpResponse<String> unknown = http.get("/v1/nothing/here");
        HttpResponse<String> wrongMethod = http.json("DELETE", USAGE, "{}");

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).path("code").asText()).isEqualTo("NOT_FOUND");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(json(wrongMethod).path("code").asText()).isEqualTo("METHOD_NOT_ALLOWED");
    }

    // ---- waiting calls: bound, timeout, failures ----

    @Test
    void pastThePendingBoundCallsAreTurnedAwayAndServedAgainOnceTheyDrain() throws Exception {
        start(new InMemorySender(2, 60_000).holding());
        CompletableFuture<HttpResponse<String>> first =
                http.jsonAsync("POST", USAGE, "{\"feature\":\"f\",\"amount\":1,\"requestId\":\"a\"}");
        CompletableFuture<HttpResponse<String>> second =
                http.jsonAsync("POST", USAGE, "{\"feature\":\"f\",\"amount\":1,\"requestId\":\"b\"}");
        UsageRequest a = (UsageRequest) sender.nextSent();
        UsageRequest b = (UsageRequest) sender.nextSent();

        HttpResponse<String> third = http.json("POST", USAGE, "{\"feature\":\"f\",\"amount\":1,\"requestId\":\"c\"}");

        assertThat(third.statusCode()).isEqualTo(503);
        assertThat(third.headers().firstValue("Retry-After")).hasValue("1");
        JsonNode body = json(third);
        assertThat(body.path("code").asText()).isEqualTo("OVERLOADED");
        assertThat(body.path("outcome").asText()).isEqualTo("REJECTED");
        assertThat(body.path("requestId").asText()).isEqualTo("c");

        assertThat(sender.answer("a", EngineReplies.ok(a))).isTrue();
        assertThat(sender.answer("b", EngineReplies.ok(b))).isTrue();
        assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(second.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(sender.pending()).isZero();
        sender.answering(EngineReplies::ok);
        assertThat(http.json("POST", USAGE, "{\"feature\":\"f\",\"amount\":1,\"requestId\":\"c\"}").statusCode())
                .isEqualTo(200);
    }

    @Test
    void aCallWithoutDecisionInTimeGets504WithItsRequestIdAndTheLateReplyIsDropped() throws Exception {
        start(new InMemorySender(10, 200).holding());

        HttpResponse<String> response = http.json("POST", USAGE,
                "{\"feature\":\"ai.tokens\",\"amount\":1,\"requestId\":\"slow-1\"}");

        assertThat(response.statusCode()).isEqualTo(504);
        JsonNode body = json(response);
        assertThat(body.path("requestId").asText()).isEqualTo("slow-1");
        assertThat(body.path("code").asText()).isEqualTo("DECISION_TIMEOUT");
        assertThat(body.path("message").asText()).contains("same requestId");
        // It may have been decided: the answer must not claim it was rejected.
        assertThat(body.has("outcome")).isFalse();
        assertThat(sender.pending()).isZero();
        UsageRequest sent = (UsageRequest) sender.nextSent();
        assertThat(sender.answer("slow-1", EngineReplies.ok(sent))).isFalse();
        awaitMetrics(text -> text.contains("tally_gateway_decision_timeouts_total 1.0"));
    }

    @Test
    void theWarningForACallAnsweredLateNamesItsRequestThoughAnotherThreadWritesIt() throws Exception {
        try (RefusalLog refusals = new RefusalLog()) {
            start(new InMemorySender(10, 200).holding());

            HttpResponse<String> response = http.json("POST", USAGE,
                    "{\"feature\":\"ai.tokens\",\"amount\":1,\"requestId\":\"slow-2\"}");

            assertThat(response.statusCode()).isEqualTo(504);
            ILoggingEvent refused = refusals.events().stream().findFirst()
                    .orElseThrow(() -> new AssertionError("no warning in " + refusals.events()));
            assertThat(refused.getMDCPropertyMap()).containsEntry(RequestLogContext.REQUEST_ID, "slow-2");
            assertThat(refused.getThreadName()).doesNotContain("JettyServerThreadPool");
        }
    }

    @Test
    void aRequestThatCouldNotBeSentIs503WithoutClaimingAnOutcome() throws Exception {
        start(new InMemorySender(10, 60_000).holding());
        sender.failSends(new TimeoutException("broker gone"));

        HttpResponse<String> response = http.json("POST", USAGE,
                "{\"feature\":\"ai.tokens\",\"amount\":1,\"requestId\":\"r-9\"}");

        assertThat(response.statusCode()).isEqualTo(503);
        JsonNode body = json(response);
        assertThat(body.path("code").asText()).isEqualTo("UNAVAILABLE");
        assertThat(body.path("requestId").asText()).isEqualTo("r-9");
        assertThat(body.has("outcome")).isFalse();
        assertThat(sender.pending()).isZero();
    }

    // ---- health and metrics ----

    @Test
    void notReadyGatewayAnswers503AndSaysSoOnReadiness() throws Exception {
        startAnswering();
        sender.ready(false);

        HttpResponse<String> call = http.json("POST", USAGE, "{\"feature\":\"ai.tokens\",\"amount\":1}");
        HttpResponse<String> ready = http.get("/health/ready");
        HttpResponse<String> live = http.get("/health/live");

        assertThat(call.statusCode()).isEqualTo(503);
        assertThat(json(call).path("code").asText()).isEqualTo("NOT_READY");
        assertThat(call.headers().firstValue("Retry-After")).isPresent();
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(json(ready).path("code").asText()).isEqualTo("NOT_READY");
        assertThat(live.statusCode()).isEqualTo(200);

        sender.ready(true);

        assertThat(http.get("/health/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void metricsAreServedAsPrometheusText() throws Exception {
        startAnswering();
        assertThat(http.json("POST", USAGE, "{\"feature\":\"ai.tokens\",\"amount\":1}").statusCode()).isEqualTo(200);

        String text = awaitMetrics(t -> t.contains("tally_gateway_http_requests_seconds_bucket{")
                && t.contains("route=\"/v1/workspaces/{ws}/usage\"") && t.contains("status=\"200\""));

        assertThat(text).contains("tally_gateway_pending_replies 0.0", "tally_gateway_decision_timeouts_total",
                "tally_gateway_replies_total{code=\"OK\"} 1.0");
        assertThat(http.get("/metrics").headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain"));
    }

    /**
     * Meters of a call are recorded once its answer is written, which the client may see first: wait for
     * them, up to a deadline.
     */
    private String awaitMetrics(Predicate<String> condition) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(5));
        String text;
        do {
            HttpResponse<String> response = http.get("/metrics");
            assertThat(response.statusCode()).isEqualTo(200);
            text = response.body();
        } while (!condition.test(text) && Instant.now().isBefore(deadline));
        assertThat(condition).as("metrics:%n%s", text).accepts(text);
        return text;
    }

    private void assertInvalid(HttpResponse<String> response, String field) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode body = json(response);
        assertThat(body.path("outcome").asText()).isEqualTo("REJECTED");
        assertThat(body.path("code").asText()).isEqualTo("INVALID_REQUEST");
        assertThat(body.path("message").asText()).isNotEmpty();
        List<String> fields = new ArrayList<>();
        body.path("errors").forEach(error -> {
            fields.add(error.path("field").asText());
            assertThat(error.path("reason").asText()).isNotEmpty();
        });
        assertThat(fields).contains(field);
        assertThat(sender.sentNothing()).as("nothing sent").isTrue();
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return Json.mapper().readTree(response.body());
    }
}
