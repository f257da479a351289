package dev.tally.launcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.launcher.audit.Audit;
import dev.tally.launcher.examples.ProvisioningConsumer;
import dev.tally.launcher.testing.TallyHttp.Response;
import dev.tally.launcher.testing.TestClients;
import dev.tally.launcher.testing.TestNames;
import dev.tally.schemas.DecisionCode;
import dev.tally.schemas.RequestCodec;
import dev.tally.schemas.claims.Claim;
import dev.tally.schemas.claims.ClaimDecision;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * Claims against a real broker: the races a unique constraint loses (two tenants, one slug; two
 * customers, one phone number) sent as real concurrent HTTP calls, holds that expire on the engine's
 * clock, and requests published straight to Kafka under another spelling.
 */
class ClaimsIT extends RunningStack {

    private static final RequestCodec<ClaimDecision> DECISIONS = RequestCodec.of(ClaimDecision.class);
    private static final int CALLERS = 50;

    @Override
    protected String name() {
        return "claims";
    }

    @Test
    void fiftyConcurrentCreateOnlyClaimsOnOneSlugHaveExactlyOneWinnerAndEveryLoserNamesIt() {
        // Given a slug nobody holds, and fifty tenants who each spell it their own way
        String slug = "acme-" + TestNames.random(6);
        String[] spellings = {slug, slug.toUpperCase(), " " + slug + " "};

        // When all fifty claim it at once
        List<Response> responses = fire(i -> http.postAsync("/v1/claims/tenant-slug",
                "{\"value\":\"" + spellings[i % 3] + "\",\"owner\":\"tenant-" + i + "\"}"));

        // Then one gets 201 and the other 49 get 409 ALREADY_CLAIMED naming that one
        Map<Integer, Long> statuses = statusCounts(responses);
        assertThat(statuses).containsExactlyInAnyOrderEntriesOf(Map.of(201, 1L, 409, (long) CALLERS - 1));
        Response winner = responses.stream().filter(r -> r.status() == 201).findFirst().orElseThrow();
        String owner = winner.body().path("claim").path("owner").asText();
        assertThat(responses).filteredOn(r -> r.status() == 409).allSatisfy(loser -> {
            assertThat(loser.text("code")).isEqualTo(DecisionCode.ALREADY_CLAIMED.name());
            assertThat(loser.body().path("claim").path("owner").asText()).isEqualTo(owner);
        });
        // And a read through the owning task agrees
        Response read = http.get("/v1/claims/tenant-slug/" + slug);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.text("owner")).isEqualTo(owner);
    }

    @Test
    void fiftyConcurrentGetOrCreatesOnOnePhoneNumberCreateOneCustomerAndAllSeeIt() {
        // Given a phone number within a company, written five ways
        String company = "co-" + TestNames.random(6);
        String[] spellings = {"+1 415 555 0100", "+1(415)555-0100", "+14155550100", "+1.415.555.0100",
                "+1 (415) 555-0100"};

        // When fifty signups get-or-create the customer at once, each proposing its own customer id
        List<Response> responses = fire(i -> http.putAsync("/v1/claims/customer-phone/" + company + ":"
                + encode(spellings[i % spellings.length]), "{\"owner\":\"cust-" + i + "\"}"));

        // Then exactly one created it, and every caller got the same customer
        assertThat(statusCounts(responses)).containsExactlyInAnyOrderEntriesOf(Map.of(201, 1L, 200, (long) CALLERS - 1));
        assertThat(responses).filteredOn(r -> r.body().path("created").asBoolean()).hasSize(1);
        assertThat(responses.stream().map(r -> r.body().path("claim").path("owner").asText()).distinct())
                .hasSize(1);
        assertThat(responses).allSatisfy(r -> assertThat(r.text("value")).isEqualTo(company + ":+14155550100"));
    }

    @Test
    void anUnconfirmedHoldExpiresOnTheEnginesClockAndAProvisioningConsumerHearsOfIt() {
        // Given a slug held for one second by a provisioning workflow that then dies
        String slug = "held-" + TestNames.random(6);
        Response held = http.post("/v1/claims/tenant-slug",
                "{\"value\":\"" + slug + "\",\"owner\":\"tenant-a\",\"holdSeconds\":1}");
        assertThat(held.status()).as(held.raw()).isEqualTo(201);
        assertThat(held.body().path("claim").path("status").asText()).isEqualTo("PENDING");

        // When nobody confirms it, a provisioning consumer of the decisions topic is told to undo its work
        List<Claim> provisioned = new CopyOnWriteArrayList<>();
        List<Claim> undone = new CopyOnWriteArrayList<>();
        try (ProvisioningConsumer consumer = new ProvisioningConsumer(kafka.bootstrapServers(),
                topics.claimDecisions(), "provisioning-" + slug, new ProvisioningConsumer.Workflow() {
                    @Override
                    public void provision(Claim held) {
                        provisioned.add(held);
                    }

                    @Override
                    public void activate(Claim confirmed) {
                    }

                    @Override
                    public void undo(Claim ended) {
                        undone.add(ended);
                    }
                })) {
            long deadlineNs = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (undone.stream().noneMatch(c -> c.value().equals(slug)) && System.nanoTime() < deadlineNs) {
                consumer.pollOnce(Duration.ofMillis(200));
            }
        }
        assertThat(provisioned).filteredOn(c -> c.value().equals(slug)).singleElement()
                .satisfies(c -> assertThat(c.owner()).isEqualTo("tenant-a"));
        assertThat(undone).filteredOn(c -> c.value().equals(slug)).singleElement()
                .satisfies(c -> assertThat(c.owner()).isEqualTo("tenant-a"));
        ClaimDecision expired = awaitDecision("tenant-slug/" + slug, DecisionCode.HOLD_EXPIRED, Duration.ofSeconds(10));
        assertThat(expired.requestId()).isNull();

        // Then the value is free: the late confirm is refused, and another tenant can have it
        Response late = http.post("/v1/claims/tenant-slug/" + slug + "/confirm", "{\"owner\":\"tenant-a\"}");
        assertThat(late.status()).as(late.raw()).isEqualTo(404);
        Response next = http.post("/v1/claims/tenant-slug", "{\"value\":\"" + slug + "\",\"owner\":\"tenant-b\"}");
        assertThat(next.status()).as(next.raw()).isEqualTo(201);
        Response released = http.delete("/v1/claims/tenant-slug/" + slug + "?owner=tenant-b");
        assertThat(released.status()).as(released.raw()).isEqualTo(200);
        assertThat(http.get("/v1/claims/tenant-slug/" + slug).status()).isEqualTo(404);

        // And a hold confirmed in time is kept
        String kept = "kept-" + slug;
        Response keptHold = http.post("/v1/claims/tenant-slug", "{\"value\":\"" + kept + "\",\"owner\":\"tenant-c\","
                + "\"holdSeconds\":60}");
        assertThat(keptHold.status()).as(keptHold.raw()).isEqualTo(201);
        Response confirmed = http.post("/v1/claims/tenant-slug/" + kept + "/confirm", "{\"owner\":\"tenant-c\"}");
        assertThat(confirmed.status()).as(confirmed.raw()).isEqualTo(200);

        // And the audit, replaying this claim log of holds, an expiry, a confirmation and a release, finds
        // every answer naming the live owner and no confirmed claim expiring
        Audit.Report report = new Audit(kafka.bootstrapServers(), topics.prefix(), Duration.ofSeconds(60)).run();
        assertThat(report.violations()).isEmpty();
        assertThat(report.summaries()).anySatisfy(line -> assertThat(line).startsWith("I3 one live owner per claim:"));
    }

    @Test
    void claimsPublishedStraightToKafkaUnderAnotherSpellingAreDecidedByTheOwningTask() throws Exception {
        // Given a producer that keys by the value as its user typed it, not the canonical spelling
        String slug = "direct-" + TestNames.random(6);
        String typed = slug.toUpperCase();
        try (KafkaProducer<String, String> producer = TestClients.producer(kafka.bootstrapServers())) {
            producer.send(new ProducerRecord<>(topics.claimRequests(), "tenant-slug/" + typed,
                    "{\"type\":\"create-claim\",\"requestId\":\"k-1\",\"scope\":\"tenant-slug\",\"value\":\""
                            + typed + "\",\"owner\":\"tenant-k\"}")).get(30, TimeUnit.SECONDS);
        }

        // When its decision is out
        ClaimDecision decided = awaitDecision("tenant-slug/" + slug, DecisionCode.CLAIMED, Duration.ofSeconds(60));

        // Then it was decided under the canonical key, and an HTTP caller with another spelling meets it
        assertThat(decided.value()).isEqualTo(slug);
        Response loser = http.post("/v1/claims/tenant-slug", "{\"value\":\"" + slug + "\",\"owner\":\"tenant-h\"}");
        assertThat(loser.status()).as(loser.raw()).isEqualTo(409);
        assertThat(loser.body().path("claim").path("owner").asText()).isEqualTo("tenant-k");
    }

    private List<Response> fire(IntFunction<CompletableFuture<Response>> call) {
        List<CompletableFuture<Response>> calls = new ArrayList<>(CALLERS);
        for (int i = 0; i < CALLERS; i++) {
            calls.add(call.apply(i));
        }
        return calls.stream().map(CompletableFuture::join).collect(Collectors.toList());
    }

    private static Map<Integer, Long> statusCounts(List<Response> responses) {
        return responses.stream().collect(Collectors.groupingBy(Response::status, Collectors.counting()));
    }

    private static String encode(String pathSegment) {
        return java.net.URLEncoder.encode(pathSegment, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Reads the claims decisions topic as a provisioning workflow would, until the record turns up. */
    private ClaimDecision awaitDecision(String key, DecisionCode code, Duration timeout) {
        try (KafkaConsumer<String, byte[]> consumer =
                     TestClients.committedReader(kafka.bootstrapServers(), topics.claimDecisions())) {
            long deadlineNs = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadlineNs) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (key.equals(record.key())) {
                        ClaimDecision decision = DECISIONS.read(record.value());
                        if (decision.code() == code) {
                            return decision;
                        }
                    }
                }
            }
        } catch (RequestCodec.UnreadableException e) {
            throw new AssertionError("unreadable claim decision: " + e.getMessage(), e);
        }
        throw new AssertionError("no " + code + " for " + key + " within " + timeout);
    }
}
