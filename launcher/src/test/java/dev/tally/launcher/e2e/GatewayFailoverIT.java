package dev.tally.launcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.contract.CommonSettings;
import dev.tally.contract.ConfigSources;
import dev.tally.contract.TopicNames;
import dev.tally.gateway.GatewayConfig;
import dev.tally.gateway.auth.Secrets;
import dev.tally.launcher.audit.Audit;
import dev.tally.launcher.testing.Await;
import dev.tally.launcher.testing.EngineJvms;
import dev.tally.launcher.testing.KafkaExtension;
import dev.tally.launcher.testing.TallyHttp;
import dev.tally.launcher.testing.TallyHttp.Response;
import dev.tally.launcher.testing.TallyProcess;
import dev.tally.launcher.testing.TestClients;
import dev.tally.launcher.testing.TestKafka;
import dev.tally.launcher.testing.TestNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault 4: a gateway ({@code tally gateway}, a JVM of its own) is killed hard while calls wait on it for
 * their decisions. The callers retry through a second gateway with the same requestId and body, and each
 * gets the first decision of its request: one decision per request, whichever gateway sent it, and the
 * limit holds.
 */
@ExtendWith(KafkaExtension.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class GatewayFailoverIT {

    private static final String CALLER_SECRET = Secrets.newSecret();

    private static final Pattern HTTP_ADDRESS = Pattern.compile("serving (http://\\S+) against");
    private static final int CALLS = 300;
    private static final long LIMIT = 150;
    /** Killed once this many records (the limit, then calls) are on the requests topic: most calls still wait. */
    private static final int FORWARDED_AT_KILL = 30;
    private static final Duration READY = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    private final List<TallyProcess> gateways = new ArrayList<>();

    @AfterEach
    void killLeftoverGateways() {
        gateways.forEach(TallyProcess::close);
    }

    @Test
    void callersRetryingThroughAnotherGatewayGetTheFirstDecision(TestKafka kafka) throws Exception {
        String prefix = TestNames.prefix("gateway-kill");
        TopicNames topics = new TopicNames(prefix);
        String bootstrap = kafka.bootstrapServers();
        String workspace = "ws-" + TestNames.random(6);

        try (EngineJvms engines = new EngineJvms(bootstrap, dir, prefix, Map.of())) {
            // Given an engine, two gateways, and a hard limit
            engines.start("engine");
            TallyHttp first = startGateway(bootstrap, prefix, "first");
            TallyHttp second = startGateway(bootstrap, prefix, "second");
            Response limit = second.put("/v1/workspaces/" + workspace + "/limits/ai.tokens",
                    "{\"limit\":" + LIMIT + ",\"period\":\"LIFETIME\",\"enforcement\":\"HARD\"}");
            assertThat(limit.status()).as("limit: %s", limit).isEqualTo(200);

            // When 300 calls go to the first gateway at once, and it is killed hard while they wait
            Map<String, CompletableFuture<Response>> calls = new HashMap<>();
            try (KafkaConsumer<String, byte[]> requests = TestClients.committedReader(bootstrap, topics.usageRequests())) {
                for (int i = 0; i < CALLS; i++) {
                    String id = "call-" + i;
                    calls.put(id, first.postAsync("/v1/workspaces/" + workspace + "/usage", body(id)));
                }
                awaitRecords(requests, FORWARDED_AT_KILL);
            }
            long killedAt = System.nanoTime();
            gateways.get(0).kill();

            Map<String, Response> answeredByFirst = new HashMap<>();
            List<String> cutOff = new ArrayList<>();
            for (Map.Entry<String, CompletableFuture<Response>> call : calls.entrySet()) {
                try {
                    answeredByFirst.put(call.getKey(), call.getValue().join());
                } catch (CompletionException e) {
                    cutOff.add(call.getKey());
                }
            }

            // ... and every caller retries through the second gateway with the same requestId and body, each on its own
            Map<String, CompletableFuture<Response>> retries = new HashMap<>();
            for (String id : calls.keySet()) {
                retries.put(id, second.postAsync("/v1/workspaces/" + workspace + "/usage", body(id)));
            }
            Map<String, Response> answeredBySecond = new HashMap<>();
            retries.forEach((id, retry) -> answeredBySecond.put(id, retry.join()));
            // The callers' recovery: from the kill until the last of them had its decision through the other gateway.
            Duration allAnswered = Duration.ofNanos(System.nanoTime() - killedAt);

            // Then the kill really cut calls off, some after their request reached Kafka
            Map<String, Long> sent = TestClients.readAllCommittedRecords(bootstrap, topics.usageRequests(), READY)
                    .stream().map(record -> TestClients.json(record.value()).path("requestId").asText())
                    .filter(calls::containsKey)
                    .collect(Collectors.groupingBy(id -> id, Collectors.counting()));
            List<String> inFlight = cutOff.stream().filter(id -> sent.getOrDefault(id, 0L) == 2).toList();
            assertThat(cutOff).as("calls cut off by the kill").isNotEmpty();
            assertThat(inFlight).as("cut-off calls whose request the first gateway had sent").isNotEmpty();

            // And each request has exactly one decision, and every answer through either gateway is that decision
            Map<String, List<JsonNode>> decisions = TestClients.readAllCommittedRecords(bootstrap,
                            topics.usageDecisions(), READY).stream()
                    .map(record -> TestClients.json(record.value()))
                    .filter(decision -> calls.containsKey(decision.path("requestId").asText()))
                    .collect(Collectors.groupingBy(decision -> decision.path("requestId").asText()));
            assertThat(decisions.keySet()).as("requests decided").containsExactlyInAnyOrderElementsOf(calls.keySet());
            for (String id : calls.keySet()) {
                assertThat(decisions.get(id)).as("decisions of %s", id).hasSize(1);
                JsonNode decision = decisions.get(id).get(0);
                int status = decision.path("outcome").asText().equals("ACCEPTED") ? 200 : 409;
                assertThat(answeredBySecond.get(id).body()).as("%s through the second gateway", id).isEqualTo(decision);
                assertThat(answeredBySecond.get(id).status()).as("%s's status through the second gateway", id)
                        .isEqualTo(status);
                if (answeredByFirst.containsKey(id)) {
                    assertThat(answeredByFirst.get(id).body()).as("%s through the first gateway", id)
                            .isEqualTo(decision);
                    assertThat(answeredByFirst.get(id).status()).as("%s's status through the first gateway", id)
                            .isEqualTo(status);
                }
            }

            // And the limit held
            long accepted = decisions.values().stream().map(list -> list.get(0))
                    .filter(decision -> decision.path("outcome").asText().equals("ACCEPTED")).count();
            assertThat(accepted).as("accepted calls of 1 against a limit of %d", LIMIT).isEqualTo(LIMIT);
            Audit.Report report = new Audit(bootstrap, prefix, Duration.ofSeconds(60)).run();
            assertThat(report.violations()).as("audit").isEmpty();
            System.out.printf("GatewayFailoverIT: %d calls, 1 gateway killed, %d answered before the kill, %d cut off"
                            + " (%d of them already sent to Kafka), %d retried through the other gateway, %d decisions,"
                            + " %d accepted of limit %d, violations %d; every caller had its decision %d ms after the kill%n",
                    CALLS, answeredByFirst.size(), cutOff.size(), inFlight.size(), answeredBySecond.size(),
                    decisions.size(), accepted, LIMIT, report.violations().size(), allAnswered.toMillis());
        }
    }

    /** Polls until {@code count} records arrived: the kill must come while most calls still wait. */
    private static void awaitRecords(KafkaConsumer<String, byte[]> consumer, int count) {
        int seen = 0;
        long deadlineNs = System.nanoTime() + READY.toNanos();
        while (seen < count) {
            assertThat(System.nanoTime()).as("%d requests within %s", count, READY).isLessThan(deadlineNs);
            seen += consumer.poll(Duration.ofMillis(5)).count();
        }
    }

    private static String body(String requestId) {
        return "{\"feature\":\"ai.tokens\",\"amount\":1,\"requestId\":\"" + requestId + "\"}";
    }

    private TallyHttp startGateway(String bootstrap, String prefix, String name) {
        TallyProcess gateway = TallyProcess.start("gateway-" + name, Map.of(
                        ConfigSources.envName(CommonSettings.BOOTSTRAP_SERVERS), bootstrap,
                        ConfigSources.envName(CommonSettings.TOPIC_PREFIX), prefix,
                        "TALLY_HTTP_PORT", "0",
                        // Both gateways know the caller's key, as a fleet behind one load balancer would
                        ConfigSources.envName(GatewayConfig.AUTH_KEYS), "caller sha256:"
                                + Secrets.sha256Hex(CALLER_SECRET) + " workspace:*:manage"),
                "gateway");
        gateways.add(gateway);
        gateway.awaitOutput(READY, "tally gateway serving");
        TallyHttp http = new TallyHttp(gateway.outputMatch(HTTP_ADDRESS)).withKey(CALLER_SECRET);
        // Serving is not ready: it answers 503 NOT_READY until its reply consumer has a partition.
        Await.until(READY, "gateway " + name + " ready", () -> http.get("/health/ready").status() == 200);
        return http;
    }

}
