package dev.tally.launcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.contract.KeyPartitioner;
import dev.tally.launcher.testing.TallyHttp.Response;
import dev.tally.launcher.testing.TestClients;
import dev.tally.launcher.testing.TestClients.Decided;
import dev.tally.launcher.testing.TestNames;
import dev.tally.schemas.DecisionCode;
import dev.tally.schemas.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * End to end through HTTP and Kafka: a broker, the engine and the gateway wired as {@code tally dev} wires
 * them. Each test works on a workspace of its own, so they share one stack.
 */
class DevStackIT extends RunningStack {

    private static final String FEATURE = "ai.tokens";

    @Override
    protected String name() {
        return "devstack";
    }

    @Test
    void aLimitIsSetAndSpentOverHttp() {
        String ws = workspace();

        // Given a hard monthly limit of 1000
        Response limit = setLimit(ws, 1000);
        assertThat(limit.status()).as(limit.raw()).isEqualTo(200);
        assertThat(limit.text("code")).isEqualTo(DecisionCode.LIMIT_SET.name());
        assertThat(limit.number("limit")).isEqualTo(1000);

        // When 600 is used, Then it is accepted and recorded
        Response first = use(ws, "{\"feature\":\"ai.tokens\",\"amount\":600}");
        assertThat(first.status()).as(first.raw()).isEqualTo(200);
        assertThat(first.text("outcome")).isEqualTo(Outcome.ACCEPTED.name());
        assertThat(first.text("code")).isEqualTo(DecisionCode.OK.name());
        assertThat(first.number("used")).isEqualTo(600);
        assertThat(first.number("limit")).isEqualTo(1000);
        assertThat(first.number("remaining")).isEqualTo(400);
        assertThat(first.text("requestId")).isNotBlank();
        assertThat(first.text("periodStart")).isNotBlank();
        assertThat(first.text("periodEnd")).isNotBlank();

        // When 500 more is asked for, Then it does not fit: 409 QUOTA_EXCEEDED, nothing recorded
        Response tooMuch = use(ws, "{\"feature\":\"ai.tokens\",\"amount\":500}");
        assertThat(tooMuch.status()).as(tooMuch.raw()).isEqualTo(409);
        assertThat(tooMuch.text("outcome")).isEqualTo(Outcome.REJECTED.name());
        assertThat(tooMuch.text("code")).isEqualTo(DecisionCode.QUOTA_EXCEEDED.name());
        assertThat(tooMuch.number("used")).isEqualTo(600);
        assertThat(tooMuch.number("remaining")).isEqualTo(400);

        // When a dry run of 400 checks, Then it would fit, and it records nothing
        Response dryRun = use(ws, "{\"feature\":\"ai.tokens\",\"amount\":400,\"dryRun\":true}");
        assertThat(dryRun.status()).as(dryRun.raw()).isEqualTo(200);
        assertThat(dryRun.text("outcome")).isEqualTo(Outcome.ACCEPTED.name());
        Response dryRunTooMuch = use(ws, "{\"feature\":\"ai.tokens\",\"amount\":401,\"dryRun\":true}");
        assertThat(dryRunTooMuch.status()).as(dryRunTooMuch.raw()).isEqualTo(409);

        // Then the usage read shows 600 of 1000 used
        JsonNode figures = featureUsage(ws);
        assertThat(figures.path("used").asLong()).isEqualTo(600);
        assertThat(figures.path("limit").asLong()).isEqualTo(1000);
        assertThat(figures.path("remaining").asLong()).isEqualTo(400);
    }

    @Test
    void theOneMetricsPageOfTheDevProcessCountsTheEnginesDecisionsNextToTheGatewaysCalls() {
        String ws = workspace();
        setLimit(ws, 10);
        String accepted = "tally_engine_decisions_total{code=\"OK\",domain=\"usage\",outcome=\"ACCEPTED\"}";
        double before = sample(http.get("/metrics").raw(), accepted);

        assertThat(use(ws, "{\"feature\":\"ai.tokens\",\"amount\":1}").status()).isEqualTo(200);

        String metrics = http.get("/metrics").raw();
        // Counted before the reply is sent, so the answer's arrival means it is on the page
        assertThat(sample(metrics, accepted)).isEqualTo(before + 1);
        assertThat(metrics).contains("tally_engine_decision_latency_seconds_count").contains("kafka_stream_")
                .contains("tally_gateway_");
    }

    /** The value of one series in Prometheus text, 0 when it is not there yet. */
    private static double sample(String metrics, String series) {
        return metrics.lines().filter(line -> line.startsWith(series + " ")).findFirst()
                .map(line -> Double.parseDouble(line.substring(series.length() + 1).strip())).orElse(0.0);
    }

    @Test
    void aRetryWithTheSameRequestIdGetsTheFirstDecisionAndIsChargedOnce() {
        String ws = workspace();
        setLimit(ws, 100);
        String body = "{\"feature\":\"ai.tokens\",\"amount\":30,\"requestId\":\"retry-1\"}";

        // When the same request is sent three times
        Response first = use(ws, body);
        Response second = use(ws, body);
        Response third = use(ws, body);

        // Then every answer is the first decision
        assertThat(first.status()).as(first.raw()).isEqualTo(200);
        assertThat(second.status()).isEqualTo(200);
        assertThat(third.status()).isEqualTo(200);
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(third.body()).isEqualTo(first.body());
        assertThat(first.text("requestId")).isEqualTo("retry-1");

        // And the usage was charged once
        assertThat(featureUsage(ws).path("used").asLong()).isEqualTo(30);

        // And the same id with another body is refused, not applied
        Response reused = use(ws, "{\"feature\":\"ai.tokens\",\"amount\":31,\"requestId\":\"retry-1\"}");
        assertThat(reused.text("code")).as(reused.raw()).isEqualTo(DecisionCode.REQUEST_ID_REUSED.name());
        assertThat(featureUsage(ws).path("used").asLong()).isEqualTo(30);
    }

    @Test
    void aFeatureWithoutALimitIsRefused() {
        String ws = workspace();

        Response response = use(ws, "{\"feature\":\"ai.images\",\"amount\":1}");

        assertThat(response.status()).as(response.raw()).isEqualTo(409);
        assertThat(response.text("code")).isEqualTo(DecisionCode.NO_LIMIT_DEFINED.name());
    }

    @Test
    void aNamespaceRequestIsChargedToTheNamespaceAndTheWorkspaceOrToNeither() {
        String ws = workspace();
        setLimit(ws, 100);
        Response nsLimit = http.put("/v1/workspaces/" + ws + "/namespaces/team-a/limits/" + FEATURE,
                "{\"limit\":50,\"period\":\"MONTH\",\"enforcement\":\"HARD\"}");
        assertThat(nsLimit.status()).as(nsLimit.raw()).isEqualTo(200);

        Response fits = use(ws, "{\"feature\":\"ai.tokens\",\"amount\":40,\"namespace\":\"team-a\"}");
        Response namespaceFull = use(ws, "{\"feature\":\"ai.tokens\",\"amount\":20,\"namespace\":\"team-a\"}");
        Response workspaceOnly = use(ws, "{\"feature\":\"ai.tokens\",\"amount\":60}");
        Response workspaceFull = use(ws, "{\"feature\":\"ai.tokens\",\"amount\":5,\"namespace\":\"team-a\"}");

        assertThat(fits.status()).as(fits.raw()).isEqualTo(200);
        assertThat(namespaceFull.status()).as(namespaceFull.raw()).isEqualTo(409);
        assertThat(workspaceOnly.status()).as(workspaceOnly.raw()).isEqualTo(200);
        // 100 of 100 used in the workspace, 40 of 50 in the namespace: neither is charged
        assertThat(workspaceFull.status()).as(workspaceFull.raw()).isEqualTo(409);
        JsonNode features = http.get("/v1/workspaces/" + ws + "/usage").body().path("features");
        long namespaceUsed = 0;
        for (JsonNode feature : features) {
            if ("team-a".equals(feature.path("namespace").asText(null))) {
                namespaceUsed = feature.path("used").asLong();
            }
        }
        assertThat(namespaceUsed).isEqualTo(40);
        assertThat(featureUsage(ws).path("used").asLong()).isEqualTo(100);
    }

    @Test
    void aRequestPublishedStraightToKafkaGetsItsDecisionOnTheDecisionsTopic() {
        String ws = workspace();

        // When a producer (any client) publishes a limit and two usage requests keyed by workspace
        try (KafkaProducer<String, String> producer = TestClients.producer(kafka.bootstrapServers())) {
            producer.send(new ProducerRecord<>(topics.usageRequests(), ws, "{\"type\":\"set-limit\",\"requestId\":\""
                    + ws + "-l1\",\"workspace\":\"" + ws + "\",\"feature\":\"ai.tokens\",\"limit\":1000,"
                    + "\"period\":\"MONTH\",\"enforcement\":\"HARD\"}"));
            producer.send(new ProducerRecord<>(topics.usageRequests(), ws, "{\"type\":\"record-usage\",\"requestId\":\""
                    + ws + "-r1\",\"workspace\":\"" + ws + "\",\"feature\":\"ai.tokens\",\"amount\":200}"));
            producer.send(new ProducerRecord<>(topics.usageRequests(), ws, "{\"type\":\"record-usage\",\"requestId\":\""
                    + ws + "-r2\",\"workspace\":\"" + ws + "\",\"feature\":\"ai.tokens\",\"amount\":900}"));
        }

        // Then each gets one decision, keyed by workspace, in the workspace's partition, in order
        List<String> ids = List.of(ws + "-l1", ws + "-r1", ws + "-r2");
        List<Decided> decided = TestClients.readDecisionsUntil(kafka.bootstrapServers(), topics.usageDecisions(),
                Duration.ofSeconds(60), read -> read.stream().map(d -> d.decision().requestId())
                        .collect(Collectors.toSet()).containsAll(ids));
        List<Decided> mine = decided.stream().filter(d -> ids.contains(d.decision().requestId()))
                .collect(Collectors.toList());
        assertThat(mine).extracting(d -> d.decision().requestId()).containsExactlyElementsOf(ids);
        assertThat(mine).allSatisfy(d -> {
            assertThat(d.key()).isEqualTo(ws);
            assertThat(d.partition()).isEqualTo(KeyPartitioner.partitionFor(ws, 6));
        });
        Map<String, Decided> byId = mine.stream()
                .collect(Collectors.toMap(d -> d.decision().requestId(), Function.identity()));
        assertThat(byId.get(ws + "-l1").decision().code()).isEqualTo(DecisionCode.LIMIT_SET);
        assertThat(byId.get(ws + "-r1").decision().code()).isEqualTo(DecisionCode.OK);
        assertThat(byId.get(ws + "-r1").decision().used()).isEqualTo(200);
        assertThat(byId.get(ws + "-r2").decision().code()).isEqualTo(DecisionCode.QUOTA_EXCEEDED);
        assertThat(byId.get(ws + "-r2").decision().used()).isEqualTo(200);

        // And HTTP reads see what Kafka producers did
        assertThat(featureUsage(ws).path("used").asLong()).isEqualTo(200);
    }

    private Response setLimit(String ws, long limit) {
        return http.put("/v1/workspaces/" + ws + "/limits/" + FEATURE,
                "{\"limit\":" + limit + ",\"period\":\"MONTH\",\"enforcement\":\"HARD\"}");
    }

    private Response use(String ws, String body) {
        return http.post("/v1/workspaces/" + ws + "/usage", body);
    }

    /** The workspace-level figures of ai.tokens from GET usage. */
    private JsonNode featureUsage(String ws) {
        Response read = http.get("/v1/workspaces/" + ws + "/usage");
        assertThat(read.status()).as(read.raw()).isEqualTo(200);
        for (JsonNode feature : read.body().path("features")) {
            if (FEATURE.equals(feature.path("feature").asText()) && (feature.path("namespace").isMissingNode() || feature.path("namespace").isNull())) {
                return feature;
            }
        }
        throw new AssertionError("no workspace figures for " + FEATURE + " in " + read.raw());
    }

    private static String workspace() {
        return "ws-" + TestNames.random(8);
    }
}
