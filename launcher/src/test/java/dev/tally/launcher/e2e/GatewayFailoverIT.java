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
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * limit holds. {@code -Dtally.faults.rounds} repeats it, each round with a new gateway to kill.
 */
@ExtendWith(KafkaExtension.class)
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class GatewayFailoverIT {

    private static final String CALLER_SECRET = Secrets.newSecret();

    private static final Pattern HTTP_ADDRESS = Pattern.compile("serving (http://\\S+) against");
    private static final int CALLS = 300;
    private static final long LIMIT = 150;
    /** Killed once this many of the round's calls are on the requests topic: most calls still wait. */
    private static final int FORWARDED_AT_KILL = 30;
    private static final Duration READY = Duration.ofSeconds(90);
    private static final int ROUNDS = Integer.getInteger("tally.faults.rounds", 1);

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
        List<String> rounds = new ArrayList<>();

        try (EngineJvms engines = new EngineJvms(bootstrap, dir, prefix, Map.of())) {
            // Given an engine and a gateway that stays up
            engines.start("engine");
            TallyHttp second = http(startGateway(bootstrap, prefix, "second"));

            // When, round after round, another gateway is killed with calls in flight (each round a workspace
            // with a hard limit of its own, and a new gateway to kill)
            for (int round = 0; round < ROUNDS; round++) {
                rounds.add(killOneGatewayWithCallsInFlight(bootstrap, topics, second, round));
            }

            // Then the audit agrees with every round's checks
            Audit.Report report = new Audit(bootstrap, prefix, Duration.ofSeconds(60)).run();
            assertThat(report.violations()).as("audit").isEmpty();
            System.out.printf("GatewayFailoverIT: %d gateway(s) killed, %d calls each, violations %d; %s%n", ROUNDS,
                    CALLS, report.violations().size(), String.join("; ", rounds));
        }
    }

    /** One round: its figures, after its checks. */
    private String killOneGatewayWithCallsInFlight(String bootstrap, TopicNames topics, TallyHttp second, int round)
            throws Exception {
        String workspace = "ws-" + TestNames.random(6);
        TallyProcess firstProcess = startGateway(bootstrap, topics.prefix(), "first-" + round);
        TallyHttp first = http(firstProcess);
        Response limit = second.put("/v1/workspaces/" + workspace + "/limits/ai.tokens",
                "{\"limit\":" + LIMIT + ",\"period\":\"LIFETIME\",\"enforcement\":\"HARD\"}");
        assertThat(limit.status()).as("limit: %s", limit).isEqualTo(200);

        // When 300 calls go to the first gateway at once, and it is killed hard while they wait
        Map<String, CompletableFuture<Response>> calls = new HashMap<>();
        try (KafkaConsumer<String, byte[]> requests = TestClients.committedReader(bootstrap, topics.usageRequests())) {
            // (counting only what this round sends)
            requests.seekToEnd(requests.assignment());
            requests.assignment().forEach(requests::position);
            for (int i = 0; i < CALLS; i++) {
                String id = "call-" + round + "-" + i;
                calls.put(id, first.postAsync("/v1/workspaces/" + workspace + "/usage", body(id)));
            }
            awaitRecords(requests, FORWARDED_AT_KILL);
        }
        long killedAt = System.nanoTime();
        // (the gateways stamp their records with this machine's clock: before it, only the first one wrote)
        long killedAtMillis = System.currentTimeMillis();
        firstProcess.kill();

        Map<String, Response> answeredByFirst = new HashMap<>();
        List<String> cutOff = new ArrayList<>();
        for (Map.Entry<String, CompletableFuture<Response>> call : calls.entrySet()) {
            try {
                answeredByFirst.put(call.getKey(), call.getValue().join());
            } catch (CompletionException e) {
                cutOff.add(call.getKey());
            }
        }

        // ... and every caller retries through the second gateway with the same requestId and body, each on its
        // own (and again after Retry-After, should that gateway answer 503 while its group rebalances)
        Map<String, CompletableFuture<Response>> retries = new HashMap<>();
        AtomicInteger connectionsLost = new AtomicInteger();
        for (String id : calls.keySet()) {
            retries.put(id, retryWhileUnavailable(second, "/v1/workspaces/" + workspace + "/usage", body(id),
                    System.nanoTime() + READY.toNanos(), connectionsLost));
        }
        Map<String, Response> answeredBySecond = new HashMap<>();
        retries.forEach((id, retry) -> answeredBySecond.put(id, retry.orTimeout(2 * READY.toSeconds(), TimeUnit.SECONDS)
                .join()));
        // The callers' recovery: from the kill until the last of them had its decision through the other gateway.
        Duration allAnswered = Duration.ofNanos(System.nanoTime() - killedAt);

        // Then the kill really cut calls off, some after their request reached Kafka
        // (a retry sent again after a lost connection may add a record: what the first gateway sent is what came
        // before the kill)
        Set<String> sentByFirst = TestClients.readAllCommittedRecords(bootstrap, topics.usageRequests(), READY)
                .stream().filter(record -> record.timestamp() <= killedAtMillis)
                .map(record -> TestClients.json(record.value()).path("requestId").asText())
                .filter(calls::containsKey)
                .collect(Collectors.toSet());
        List<String> inFlight = cutOff.stream().filter(sentByFirst::contains).toList();
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
        return String.format("round %d: %d answered before the kill, %d cut off (%d of them already sent to Kafka),"
                        + " %d retried through the other gateway (%d sent again after a lost connection), %d decisions,"
                        + " %d accepted of limit %d, every caller"
                        + " had its decision %d ms after the kill", round, answeredByFirst.size(), cutOff.size(),
                inFlight.size(), answeredBySecond.size(), connectionsLost.get(), decisions.size(), accepted, LIMIT,
                allAnswered.toMillis());
    }

    /**
     * A caller's retry: the same call again after {@code Retry-After} while the gateway answers 503, and at
     * once when the connection is lost before an answer, until {@code deadlineNs} (nanoTime); then the last
     * answer or failure, whatever it is. (A long run once lost a retry to a reset, most likely a pooled
     * connection the HTTP client reused just as the gateway closed it for being idle, which any caller of
     * any server may meet; the same requestId makes sending it again safe.)
     */
    private static CompletableFuture<Response> retryWhileUnavailable(TallyHttp gateway, String path, String body,
                                                                     long deadlineNs, AtomicInteger connectionsLost) {
        return gateway.postAsync(path, body).handle((response, failure) -> {
            boolean pastDeadline = System.nanoTime() > deadlineNs;
            if (failure != null) {
                if (pastDeadline || !TallyHttp.isConnectionLoss(failure)) {
                    return CompletableFuture.<Response>failedFuture(failure);
                }
                connectionsLost.incrementAndGet();
                return retryWhileUnavailable(gateway, path, body, deadlineNs, connectionsLost);
            }
            if (response.status() != 503 || pastDeadline) {
                return CompletableFuture.completedFuture(response);
            }
            // The caller's own back-off, as Retry-After asks: not a wait for Kafka.
            long seconds = Long.parseLong(response.header("Retry-After"));
            return CompletableFuture.supplyAsync(() -> null,
                            CompletableFuture.delayedExecutor(seconds, TimeUnit.SECONDS))
                    .thenCompose(ignored -> retryWhileUnavailable(gateway, path, body, deadlineNs, connectionsLost));
        }).thenCompose(next -> next);
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

    private TallyProcess startGateway(String bootstrap, String prefix, String name) {
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
        TallyHttp http = http(gateway);
        // Serving is not ready: it answers 503 NOT_READY until its reply consumer has a partition.
        Await.until(READY, "gateway " + name + " ready", () -> http.get("/health/ready").status() == 200);
        return gateway;
    }

    private static TallyHttp http(TallyProcess gateway) {
        return new TallyHttp(gateway.outputMatch(HTTP_ADDRESS)).withKey(CALLER_SECRET);
    }

}
