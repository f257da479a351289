package dev.tally.launcher.e2e;

import static java.util.stream.Collectors.counting;
import static java.util.stream.Collectors.groupingBy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.contract.TallyHeaders;
import dev.tally.gateway.GatewayConfig;
import dev.tally.launcher.audit.Audit;
import dev.tally.launcher.testing.TallyHttp.Response;
import dev.tally.launcher.testing.TestClients;
import dev.tally.launcher.testing.TestNames;
import dev.tally.schemas.DecisionCode;
import dev.tally.schemas.Outcome;
import dev.tally.schemas.RequestCodec;
import dev.tally.schemas.usage.RecordUsage;
import dev.tally.schemas.usage.UsageDecision;
import dev.tally.schemas.usage.UsageRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Overload: many more calls at once than the gateway lets wait for a decision. The calls past its bound
 * are answered 503 OVERLOADED with Retry-After and never reach Kafka; every call it took is answered with
 * its decision; a client that retries the refused ones under their own requestIds ends with exactly one
 * decision per call, and the limit holds.
 */
class OverloadIT extends RunningStack {

    /** Far below the 300 calls at once; with 4 the retries took twice as long on a busy 2-CPU machine. */
    private static final int PENDING_MAX = 8;
    private static final int CALLS = 300;
    private static final long LIMIT = 120;
    private static final String FEATURE = "ai.tokens";
    /** Far more than needed: 8 slots pass tens of decisions a second at the engine's 100 ms commits. */
    private static final Duration RETRY_DEADLINE = Duration.ofSeconds(60);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
    private static final RequestCodec<UsageRequest> REQUESTS = RequestCodec.of(UsageRequest.class);

    private final String workspace = "ws-" + TestNames.random(6);

    @Override
    protected String name() {
        return "overload";
    }

    @Override
    protected Map<String, ?> settings() {
        return Map.of(GatewayConfig.PENDING_MAX, PENDING_MAX);
    }

    /** One client call: its requestId and body stay the same on every try; each try's answer, in order. */
    private record Call(String requestId, String body, List<Response> answers) {

        Call(String requestId) {
            this(requestId, "{\"feature\":\"" + FEATURE + "\",\"amount\":1,\"requestId\":\"" + requestId + "\"}",
                    new CopyOnWriteArrayList<>());
        }

        Response last() {
            return answers.get(answers.size() - 1);
        }
    }

    @Test
    void callsPastThePendingLimitAreRefused503AndRetriesGetExactlyOneDecisionEachWithinTheLimit() {
        // Given a HARD limit of 120 on a workspace feature, behind a gateway that lets 8 calls wait at once
        Response limit = http.put("/v1/workspaces/" + workspace + "/limits/" + FEATURE,
                "{\"limit\":" + LIMIT + ",\"period\":\"LIFETIME\",\"enforcement\":\"HARD\"}");
        assertThat(limit.status()).as(limit.raw()).isEqualTo(200);
        List<Call> calls = IntStream.range(0, CALLS).mapToObj(i -> new Call("overload-" + workspace + "-" + i))
                .toList();

        // When 300 calls of 1, each with its own requestId, arrive at once
        // (collected before the first join, so that every call is on its way before any is waited for)
        long sentAt = System.nanoTime();
        calls.stream().map(this::attempt).toList().forEach(CompletableFuture::join);

        // Then some are refused 503 OVERLOADED with Retry-After, and every other one got its decision
        List<Response> firstTries = calls.stream().map(call -> call.answers().get(0)).toList();
        assertThat(firstTries).filteredOn(r -> r.status() == 503).isNotEmpty();
        assertThat(firstTries).filteredOn(r -> r.status() != 503).isNotEmpty();
        calls.forEach(call -> assertAnswered(call, call.answers().get(0)));

        // When the client retries each refused call, same requestId and body, until it is not refused
        long deadlineNs = System.nanoTime() + RETRY_DEADLINE.toNanos();
        calls.stream().map(call -> retryWhileOverloaded(call, deadlineNs)).toList()
                .forEach(CompletableFuture::join);
        // The overload's end, as the callers saw it: from the burst until the last of them had its decision.
        Duration allDecided = Duration.ofNanos(System.nanoTime() - sentAt);

        // Then every try was refused 503 OVERLOADED or answered with a decision, and each call got one decision
        calls.forEach(call -> call.answers().forEach(answer -> assertAnswered(call, answer)));
        assertThat(calls).allSatisfy(call -> {
            assertThat(call.answers()).as(call.requestId()).filteredOn(r -> r.status() != 503).hasSize(1);
            assertThat(call.last().status()).as(call.requestId()).isNotEqualTo(503);
        });
        // And no refusal kept its place among the waiting calls: the gateway waits for nothing now
        assertThat(pendingReplies()).isZero();

        // And the requests topic holds exactly one request per call: a refused try never reached Kafka
        Set<String> ids = calls.stream().map(Call::requestId).collect(Collectors.toSet());
        Map<String, Long> sent = requestsSent(ids);
        assertThat(sent).hasSize(CALLS).allSatisfy((id, copies) -> assertThat(copies).as(id).isEqualTo(1L));

        // And the decisions topic holds exactly one decision per requestId, the one its call was answered
        List<TestClients.Decided> decided = TestClients.readAllCommitted(kafka.bootstrapServers(),
                        topics.usageDecisions(), READ_TIMEOUT).stream()
                .filter(d -> workspace.equals(d.decision().workspace())
                        && RecordUsage.TYPE.equals(d.decision().type()))
                .sorted(Comparator.comparingLong(TestClients.Decided::offset))
                .toList();
        // One workspace is one key, so one partition: there, offset order is decision order.
        assertThat(decided).isNotEmpty().extracting(TestClients.Decided::partition)
                .containsOnly(decided.get(0).partition());
        List<UsageDecision> decisions = decided.stream().map(TestClients.Decided::decision).toList();
        assertThat(decisions).extracting(UsageDecision::requestId).containsExactlyInAnyOrderElementsOf(ids);
        Map<String, UsageDecision> byId = decisions.stream()
                .collect(Collectors.toMap(UsageDecision::requestId, Function.identity()));
        assertThat(calls).allSatisfy(call -> assertThat(
                TestClients.parse(call.last().raw().getBytes(StandardCharsets.UTF_8)))
                .as(call.requestId()).isEqualTo(byId.get(call.requestId())));

        // And, in decision order, the accepted total climbs to the limit and never past it
        long accepted = 0;
        for (UsageDecision decision : decisions) {
            if (decision.outcome() == Outcome.ACCEPTED) {
                accepted += decision.amount();
                assertThat(decision.used()).as(decision.requestId()).isEqualTo(accepted);
                assertThat(accepted).as(decision.requestId()).isLessThanOrEqualTo(LIMIT);
            } else {
                assertThat(decision.code()).as(decision.requestId()).isEqualTo(DecisionCode.QUOTA_EXCEEDED);
                assertThat(decision.used()).as(decision.requestId()).isEqualTo(LIMIT);
            }
        }
        assertThat(accepted).isEqualTo(LIMIT);

        // And the audit finds the log clean
        Audit.Report report = new Audit(kafka.bootstrapServers(), topics.prefix(), Duration.ofSeconds(60)).run();
        report.print(System.out);
        assertThat(report.violations()).isEmpty();
        assertThat(report.summaries()).anySatisfy(line -> assertThat(line).contains(LIMIT + " additions checked"));

        List<Response> refusals = calls.stream().flatMap(call -> call.answers().stream())
                .filter(r -> r.status() == 503).toList();
        System.out.printf("OverloadIT: %d calls, %d answered 503 OVERLOADED at first (Retry-After %s), %d 503s"
                        + " in all, %d requests on the topic, %d decisions, accepted %d of limit %d, violations %d;"
                        + " every call decided %d ms after the burst%n",
                CALLS, calls.stream().filter(call -> call.answers().get(0).status() == 503).count(),
                String.join(",", refusals.stream().map(r -> r.header("Retry-After"))
                        .collect(Collectors.toCollection(TreeSet::new))),
                refusals.size(), sent.values().stream().mapToLong(Long::longValue).sum(), decisions.size(), accepted,
                LIMIT, report.violations().size(), allDecided.toMillis());
    }

    /** One try of the call; its answer is kept with the call. */
    private CompletableFuture<Response> attempt(Call call) {
        return http.postAsync("/v1/workspaces/" + workspace + "/usage", call.body()).thenApply(answer -> {
            call.answers().add(answer);
            return answer;
        });
    }

    /**
     * Tries the call again while it is refused 503, each time after half the Retry-After the gateway gave
     * and a random part of the other half: refused callers that all waited exactly as long would come back
     * as one herd, and be refused again as one. This paces the client; it waits on no state of Kafka's.
     */
    private CompletableFuture<Response> retryWhileOverloaded(Call call, long deadlineNs) {
        Response last = call.last();
        if (last.status() != 503) {
            return CompletableFuture.completedFuture(last);
        }
        if (System.nanoTime() > deadlineNs) {
            return CompletableFuture.failedFuture(new AssertionError(call.requestId() + " still refused after "
                    + RETRY_DEADLINE.toSeconds() + " s of retries; last answer " + last));
        }
        long retryAfterMs = retryAfterMs(last);
        long waitMs = retryAfterMs / 2 + ThreadLocalRandom.current().nextLong(retryAfterMs / 2 + 1);
        return CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(waitMs, TimeUnit.MILLISECONDS))
                .thenCompose(ignored -> attempt(call))
                .thenCompose(ignored -> retryWhileOverloaded(call, deadlineNs));
    }

    /** The Retry-After of a 503; a second when it has none, which {@link #assertAnswered} then reports. */
    private static long retryAfterMs(Response refused) {
        String seconds = refused.header("Retry-After");
        return seconds != null && seconds.matches("[0-9]+") ? Long.parseLong(seconds) * 1_000 : 1_000;
    }

    /** A try was refused 503 OVERLOADED with Retry-After, naming the call, or answered with its decision. */
    private static void assertAnswered(Call call, Response answer) {
        String what = call.requestId() + ": " + answer;
        if (answer.status() == 503) {
            assertThat(answer.text("code")).as(what).isEqualTo("OVERLOADED");
            // Nothing was sent, so the gateway can say the request was not applied.
            assertThat(answer.text("outcome")).as(what).isEqualTo(Outcome.REJECTED.name());
            assertThat(answer.text("requestId")).as(what).isEqualTo(call.requestId());
            assertThat(answer.header("Retry-After")).as(what).isNotNull().matches("[1-9][0-9]*");
        } else {
            // Not 504 (a call the gateway took and then lost) nor 500.
            assertThat(answer.status()).as(what).isIn(200, 409);
            assertThat(answer.text("requestId")).as(what).isEqualTo(call.requestId());
            assertThat(answer.text("code")).as(what).isEqualTo(answer.status() == 200
                    ? DecisionCode.OK.name() : DecisionCode.QUOTA_EXCEEDED.name());
        }
    }

    /**
     * How many times each of {@code ids} was written to the usage requests topic by the gateway. A record
     * the engine moved to its right partition is a copy of one already counted, so it is left out.
     */
    private Map<String, Long> requestsSent(Set<String> ids) {
        List<ConsumerRecord<String, byte[]>> records = TestClients.readAllCommittedRecords(kafka.bootstrapServers(),
                topics.usageRequests(), READ_TIMEOUT);
        return records.stream()
                .filter(record -> record.headers().lastHeader(TallyHeaders.REROUTED_FROM) == null)
                .map(record -> readRequest(record.value()).requestId())
                .filter(ids::contains)
                .collect(groupingBy(Function.identity(), counting()));
    }

    private static UsageRequest readRequest(byte[] json) {
        try {
            return REQUESTS.read(json);
        } catch (RequestCodec.UnreadableException e) {
            throw new AssertionError("a usage request the gateway wrote is unreadable: " + e.getMessage());
        }
    }

    /** The gateway's gauge of calls waiting for a decision, from its /metrics. */
    private double pendingReplies() {
        Response metrics = http.get("/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        return metrics.raw().lines().filter(line -> line.startsWith("tally_gateway_pending_replies "))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.indexOf(' ') + 1).trim()))
                .findFirst().orElseThrow(() -> new AssertionError("no tally_gateway_pending_replies in /metrics"));
    }
}
