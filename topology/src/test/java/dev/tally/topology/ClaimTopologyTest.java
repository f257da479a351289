package dev.tally.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.contract.KeyPartitioner;
import dev.tally.contract.TallyHeaders;
import dev.tally.schemas.DecisionCode;
import dev.tally.schemas.FieldError;
import dev.tally.schemas.Outcome;
import dev.tally.schemas.claims.Claim;
import dev.tally.schemas.claims.ClaimDecision;
import dev.tally.schemas.claims.ClaimStatus;
import dev.tally.schemas.claims.ConfirmClaim;
import dev.tally.schemas.claims.CreateClaim;
import dev.tally.schemas.claims.GetOrCreateClaim;
import dev.tally.schemas.claims.ReadClaim;
import dev.tally.schemas.claims.ReleaseClaim;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The claims topology end to end in a TopologyTestDriver: every decision code, holds, guards, retries. */
class ClaimTopologyTest {

    private static final Instant T0 = EngineDriver.CLOCK_START;
    private static final String SLUG = "tenant-slug";

    @TempDir
    Path stateDir;
    private ClaimHarness tally;

    @BeforeEach
    void start() {
        tally = new ClaimHarness(stateDir);
    }

    @AfterEach
    void stop() {
        tally.close();
    }

    private static CreateClaim create(String id, String value, String owner) {
        return new CreateClaim(id, SLUG, value, owner, null, null);
    }

    private static CreateClaim hold(String id, String value, String owner, long seconds) {
        return new CreateClaim(id, SLUG, value, owner, null, seconds);
    }

    @Test
    void the_first_create_wins_and_every_later_one_is_rejected_naming_the_owner() {
        ClaimDecision first = tally.decide(new CreateClaim("c1", SLUG, "acme", "ws_1", Map.of("plan", "pro"), null), T0);
        ClaimDecision second = tally.decide(create("c2", "acme", "ws_2"), T0.plusSeconds(1));

        assertThat(first.code()).isEqualTo(DecisionCode.CLAIMED);
        assertThat(first.created()).isTrue();
        assertThat(first.claim()).isEqualTo(new Claim(SLUG, "acme", "ws_1", ClaimStatus.ACTIVE, Map.of("plan", "pro"),
                T0, null, null, "c1"));
        assertThat(second.code()).isEqualTo(DecisionCode.ALREADY_CLAIMED);
        assertThat(second.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(second.requestedBy()).isEqualTo("ws_2");
        assertThat(second.claim().owner()).isEqualTo("ws_1");
        assertThat(second.message()).contains("ws_1");
        List<TestRecord<String, byte[]>> records = tally.decisions.readRecordsToList();
        assertThat(records).extracting(TestRecord::key).containsOnly("tenant-slug/acme");
        assertThat(records).extracting(r -> TallyHeaders.text(r.headers(), TallyHeaders.CODE))
                .containsExactly("CLAIMED", "ALREADY_CLAIMED");
    }

    @Test
    void get_or_create_creates_once_and_then_returns_the_same_claim_to_everyone() {
        ClaimDecision created = tally.decide(new GetOrCreateClaim("g1", SLUG, "acme", "ws_1", null), T0);
        ClaimDecision found = tally.decide(new GetOrCreateClaim("g2", SLUG, "acme", "ws_2", null), T0.plusSeconds(1));
        ClaimDecision own = tally.decide(new GetOrCreateClaim("g3", SLUG, "acme", "ws_1", null), T0.plusSeconds(2));

        assertThat(created.code()).isEqualTo(DecisionCode.CLAIMED);
        assertThat(created.created()).isTrue();
        assertThat(found.code()).isEqualTo(DecisionCode.CLAIM_EXISTS);
        assertThat(found.outcome()).isEqualTo(Outcome.ACCEPTED);
        assertThat(found.created()).isFalse();
        assertThat(found.claim()).isEqualTo(created.claim());
        assertThat(own.claim()).isEqualTo(created.claim());
    }

    @Test
    void a_held_claim_blocks_others_and_only_its_owner_can_confirm_it() {
        ClaimDecision held = tally.decide(hold("h1", "acme", "ws_1", 60), T0);
        ClaimDecision blocked = tally.decide(create("c2", "acme", "ws_2"), T0.plusSeconds(1));
        ClaimDecision seen = tally.decide(new GetOrCreateClaim("g3", SLUG, "acme", "ws_2", null), T0.plusSeconds(2));
        ClaimDecision stranger = tally.decide(new ConfirmClaim("f4", SLUG, "acme", "ws_2"), T0.plusSeconds(3));
        ClaimDecision confirmed = tally.decide(new ConfirmClaim("f5", SLUG, "acme", "ws_1"), T0.plusSeconds(4));
        ClaimDecision again = tally.decide(new ConfirmClaim("f6", SLUG, "acme", "ws_1"), T0.plusSeconds(5));

        assertThat(held.code()).isEqualTo(DecisionCode.CLAIMED);
        assertThat(held.claim().status()).isEqualTo(ClaimStatus.PENDING);
        assertThat(held.claim().holdExpiresAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(blocked.code()).isEqualTo(DecisionCode.ALREADY_CLAIMED);
        assertThat(seen.code()).isEqualTo(DecisionCode.CLAIM_EXISTS);
        assertThat(seen.claim().status()).isEqualTo(ClaimStatus.PENDING);
        assertThat(stranger.code()).isEqualTo(DecisionCode.NOT_OWNER);
        assertThat(stranger.claim().owner()).isEqualTo("ws_1");
        assertThat(confirmed.code()).isEqualTo(DecisionCode.CONFIRMED);
        assertThat(confirmed.claim().status()).isEqualTo(ClaimStatus.ACTIVE);
        assertThat(confirmed.claim().holdExpiresAt()).isNull();
        assertThat(confirmed.claim().confirmedAt()).isEqualTo(T0.plusSeconds(4));
        assertThat(again.code()).isEqualTo(DecisionCode.CONFIRMED);
        assertThat(again.claim()).isEqualTo(confirmed.claim());

        tally.drainDecisions();
        tally.advanceClock(Duration.ofMinutes(5));
        assertThat(tally.drainDecisions()).as("a confirmed claim never expires").isEmpty();
    }

    @Test
    void an_unconfirmed_hold_expires_on_the_clock_with_an_event_and_frees_the_value() {
        tally.decide(hold("h1", "acme", "ws_1", 60), T0);
        tally.drainDecisions();

        tally.advanceClock(Duration.ofSeconds(59));
        assertThat(tally.drainDecisions()).as("not yet").isEmpty();
        tally.advanceClock(Duration.ofSeconds(2));
        List<TestRecord<String, byte[]>> events = tally.decisions.readRecordsToList();

        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.key()).isEqualTo("tenant-slug/acme");
            ClaimDecision expired = EngineDriver.read(ClaimHarness.DECISIONS, event.value());
            assertThat(expired.type()).isEqualTo(ClaimDecision.EXPIRE_HOLD_TYPE);
            assertThat(expired.code()).isEqualTo(DecisionCode.HOLD_EXPIRED);
            assertThat(expired.requestId()).isNull();
            assertThat(expired.claim().owner()).isEqualTo("ws_1");
            assertThat(expired.claim().claimRequestId()).isEqualTo("h1");
        });
        assertThat(tally.decide(new ConfirmClaim("f2", SLUG, "acme", "ws_1"), T0.plusSeconds(62)).code())
                .isEqualTo(DecisionCode.CLAIM_NOT_FOUND);
        assertThat(tally.decide(create("c3", "acme", "ws_2"), T0.plusSeconds(63)).code())
                .isEqualTo(DecisionCode.CLAIMED);
    }

    @Test
    void a_hold_that_ran_out_between_two_ticks_ends_before_the_next_request_on_its_value() {
        // Holds end on the engine's clock; its punctuation fires at most once a second. The hold ends at
        // +1.5 s; a tick at +1.2 s is too early for it, and the next is not due before +2.2 s.
        tally.advanceClock(Duration.ofMillis(500));
        tally.decide(hold("h1", "acme", "ws_1", 1), T0);
        tally.advanceClock(Duration.ofMillis(700));
        tally.advanceClock(Duration.ofMillis(500));
        assertThat(tally.drainDecisions()).extracting(ClaimDecision::code).containsExactly(DecisionCode.CLAIMED);

        ClaimDecision next = tally.decide(create("c2", "acme", "ws_2"), T0.plusSeconds(2));

        assertThat(next.code()).isEqualTo(DecisionCode.CLAIMED);
        assertThat(tally.drainDecisions()).extracting(ClaimDecision::code)
                .containsExactly(DecisionCode.HOLD_EXPIRED, DecisionCode.CLAIMED);
        tally.advanceClock(Duration.ofMinutes(2));
        assertThat(tally.drainDecisions()).as("expired once, not again by the clock").isEmpty();
    }

    @Test
    void a_producer_clock_running_ahead_cannot_end_a_hold_early() {
        ClaimDecision held = tally.decide(hold("h1", "acme", "ws_1", 600), T0);

        // A request stamped an hour ahead (a skewed producer; brokers accept up to an hour by default).
        ClaimDecision early = tally.decide(create("c2", "acme", "ws_2"), T0.plus(Duration.ofHours(1)));
        ClaimDecision confirmed = tally.decide(new ConfirmClaim("f3", SLUG, "acme", "ws_1"), T0.plusSeconds(5));

        assertThat(held.claim().holdExpiresAt()).as("the engine's clock plus the hold")
                .isEqualTo(EngineDriver.CLOCK_START.plusSeconds(600));
        assertThat(early.code()).isEqualTo(DecisionCode.ALREADY_CLAIMED);
        assertThat(confirmed.code()).isEqualTo(DecisionCode.CONFIRMED);
    }

    @Test
    void a_released_claim_frees_its_value_for_the_next_owner() {
        tally.decide(create("c1", "acme", "ws_1"), T0);

        ClaimDecision stranger = tally.decide(new ReleaseClaim("r2", SLUG, "acme", "ws_2"), T0.plusSeconds(1));
        ClaimDecision released = tally.decide(new ReleaseClaim("r3", SLUG, "acme", "ws_1"), T0.plusSeconds(2));
        TestRecord<String, byte[]> read = tally.read(new ReadClaim("q4", SLUG, "acme"), T0.plusSeconds(3));
        ClaimDecision reclaimed = tally.decide(create("c5", "acme", "ws_2"), T0.plusSeconds(4));

        assertThat(stranger.code()).isEqualTo(DecisionCode.NOT_OWNER);
        assertThat(released.code()).isEqualTo(DecisionCode.RELEASED);
        assertThat(released.claim().owner()).isEqualTo("ws_1");
        assertThat(TallyHeaders.text(read.headers(), TallyHeaders.CODE)).isEqualTo("CLAIM_NOT_FOUND");
        assertThat(reclaimed.code()).isEqualTo(DecisionCode.CLAIMED);
        assertThat(reclaimed.claim().owner()).isEqualTo("ws_2");
        assertThat(tally.decide(new ReleaseClaim("r6", SLUG, "acme", "ws_1"), T0.plusSeconds(5)).code())
                .isEqualTo(DecisionCode.NOT_OWNER);
        assertThat(tally.decide(new ReleaseClaim("r7", SLUG, "other", "ws_1"), T0.plusSeconds(6)).code())
                .isEqualTo(DecisionCode.CLAIM_NOT_FOUND);
    }

    @Test
    void a_read_goes_through_the_owning_task_and_sees_the_last_write() {
        tally.decide(hold("h1", "acme", "ws_1", 60), T0);
        tally.decide(new ConfirmClaim("f2", SLUG, "acme", "ws_1"), T0.plusSeconds(1));

        TestRecord<String, byte[]> reply = tally.read(new ReadClaim("q3", SLUG, "acme"), T0.plusSeconds(2));

        assertThat(TallyHeaders.text(reply.headers(), TallyHeaders.REPLY_KIND)).isEqualTo(TallyHeaders.KIND_REPORT);
        Claim claim = EngineDriver.read(ClaimHarness.CLAIMS, reply.value());
        assertThat(claim.status()).isEqualTo(ClaimStatus.ACTIVE);
        assertThat(claim.owner()).isEqualTo("ws_1");
        tally.drainDecisions();
        tally.read(new ReadClaim("q4", SLUG, "acme"), T0.plusSeconds(3));
        assertThat(tally.drainDecisions()).as("reads write no decision").isEmpty();
    }

    @Test
    void equivalent_spellings_meet_in_one_claim_and_other_companies_do_not() {
        String phone = "customer-phone";
        ClaimDecision first = tally.decide(new GetOrCreateClaim("p1", phone, "co_1:+1 (415) 555-0100", "cust_1", null)
                .withValue("co_1:+14155550100"), T0);
        // Published straight to Kafka under the spelling the caller had: the engine normalises and re-routes.
        tally.publish(new GetOrCreateClaim("p2", phone, "co_1:+1.415.555.0100", "cust_2", null),
                "customer-phone/co_1:+1.415.555.0100", T0.plusSeconds(1));
        tally.publish(new GetOrCreateClaim("p3", phone, "co_2:+1 415 555 0100", "cust_3", null),
                "customer-phone/co_2:+1 415 555 0100", T0.plusSeconds(2));
        tally.publish(create("s4", "ACME", "ws_1"), "tenant-slug/ACME", T0.plusSeconds(3));
        tally.publish(create("s5", " acme ", "ws_2"), "tenant-slug/acme", T0.plusSeconds(4));

        List<TestRecord<String, byte[]>> records = tally.decisions.readRecordsToList();
        List<ClaimDecision> decisions = records.stream()
                .map(r -> EngineDriver.read(ClaimHarness.DECISIONS, r.value())).toList();
        assertThat(first.created()).isTrue();
        assertThat(decisions).extracting(ClaimDecision::requestId).containsExactly("p1", "p2", "p3", "s4", "s5");
        assertThat(decisions.get(1).code()).isEqualTo(DecisionCode.CLAIM_EXISTS);
        assertThat(decisions.get(1).claim().owner()).isEqualTo("cust_1");
        assertThat(decisions.get(2).code()).as("another company's customer").isEqualTo(DecisionCode.CLAIMED);
        assertThat(decisions.get(2).value()).isEqualTo("co_2:+14155550100");
        assertThat(decisions.get(4).code()).isEqualTo(DecisionCode.ALREADY_CLAIMED);
        assertThat(records).extracting(TestRecord::key).containsExactly("customer-phone/co_1:+14155550100",
                "customer-phone/co_1:+14155550100", "customer-phone/co_2:+14155550100", "tenant-slug/acme",
                "tenant-slug/acme");
    }

    @Test
    void a_retry_gets_the_first_decision_and_is_applied_once() {
        ClaimDecision first = tally.decide(create("c1", "acme", "ws_1"), T0);
        tally.decide(new ReleaseClaim("r2", SLUG, "acme", "ws_1"), T0.plusSeconds(1));

        ClaimDecision retry = tally.decide(create("c1", "Acme", "ws_1"), T0.plusSeconds(2));
        ClaimDecision reused = tally.decide(create("c1", "acme", "ws_9"), T0.plusSeconds(3));

        assertThat(retry).as("another spelling of the same request").isEqualTo(first);
        assertThat(reused.code()).isEqualTo(DecisionCode.REQUEST_ID_REUSED);
        assertThat(tally.drainDecisions()).extracting(ClaimDecision::requestId).containsExactly("c1", "r2");
        assertThat(tally.read(new ReadClaim("q", SLUG, "acme"), T0.plusSeconds(4)).headers()
                .lastHeader(TallyHeaders.CODE).value()).asString(StandardCharsets.UTF_8).isEqualTo("CLAIM_NOT_FOUND");
    }

    @Test
    void invalid_requests_are_decided_with_the_fields_at_fault() {
        ClaimDecision unknownScope = tally.decide(new CreateClaim("i1", "tenant_slug", "acme", "ws_1", null, null), T0);
        ClaimDecision badValue = tally.decide(create("i2", "acme inc", "ws_1"), T0);
        ClaimDecision noOwner = tally.decide(new CreateClaim("i3", SLUG, "acme", null, null, 0L), T0);
        ClaimDecision noOwnerAgain = tally.decide(new CreateClaim("i3", SLUG, "acme", null, null, 0L), T0);

        assertThat(unknownScope.code()).isEqualTo(DecisionCode.INVALID_REQUEST);
        assertThat(unknownScope.errors()).extracting(FieldError::field).containsExactly("scope");
        assertThat(badValue.errors()).extracting(FieldError::field).containsExactly("value");
        assertThat(noOwner.errors()).extracting(FieldError::field).containsExactly("owner", "holdSeconds");
        assertThat(noOwnerAgain).isEqualTo(noOwner);
        assertThat(tally.drainDecisions()).as("a keyed invalid request is remembered: one decision")
                .extracting(ClaimDecision::requestId).containsExactly("i1", "i2", "i3");
        assertThat(tally.decide(create("c4", "acme", "ws_1"), T0).code()).isEqualTo(DecisionCode.CLAIMED);
    }

    @Test
    void the_hold_index_holds_exactly_the_pending_claims() {
        KeyValueStore<String, byte[]> holds = tally.engine().driver().getKeyValueStore(Names.CLAIM_HOLDS_STORE);
        tally.decide(hold("h1", "confirmed", "ws_1", 60), T0);
        tally.decide(hold("h2", "released", "ws_1", 60), T0);
        tally.decide(hold("h3", "expired", "ws_1", 30), T0);
        tally.decide(hold("h4", "waiting", "ws_1", 600), T0);
        tally.decide(new ConfirmClaim("f1", SLUG, "confirmed", "ws_1"), T0.plusSeconds(1));
        tally.decide(new ReleaseClaim("r2", SLUG, "released", "ws_1"), T0.plusSeconds(1));
        tally.advanceClock(Duration.ofSeconds(31));

        List<String> keys = new java.util.ArrayList<>();
        try (var all = holds.all()) {
            all.forEachRemaining(kv -> keys.add(kv.key));
        }
        assertThat(keys).singleElement().asString().endsWith("|tenant-slug/waiting");
    }

    @Test
    void an_unreadable_record_goes_to_the_dead_letter_topic_and_the_next_is_decided() {
        tally.requests.pipeInput(new TestRecord<>("tenant-slug/acme",
                "{\"type\":\"create-claim\",\"holdSeconds\":\"soon\"}".getBytes(StandardCharsets.UTF_8), T0));

        TestRecord<String, byte[]> dead = tally.deadLetters().readRecord();
        assertThat(TallyHeaders.text(dead.headers(), TallyHeaders.DLQ_REASON)).startsWith("holdSeconds");
        assertThat(TallyHeaders.text(dead.headers(), TallyHeaders.DLQ_TOPIC)).isEqualTo("tally.claims.requests");
        assertThat(tally.decide(create("c1", "acme", "ws_1"), T0).code()).isEqualTo(DecisionCode.CLAIMED);
    }

    @Test
    void an_oversized_record_is_dead_lettered_without_its_value_and_the_next_is_decided() {
        String attributes = java.util.stream.IntStream.range(0, 32)
                .mapToObj(i -> "\"" + "n".repeat(10_000) + i + "\":\"v\"").collect(java.util.stream.Collectors.joining(","));
        byte[] huge = ("{\"type\":\"create-claim\",\"requestId\":\"big\",\"scope\":\"tenant-slug\","
                + "\"value\":\"acme\",\"owner\":\"ws_1\",\"attributes\":{" + attributes + "}}")
                .getBytes(StandardCharsets.UTF_8);
        tally.requests.pipeInput(new TestRecord<>("tenant-slug/acme", huge, T0));

        TestRecord<String, byte[]> dead = tally.deadLetters().readRecord();
        assertThat(dead.value()).isNull();
        assertThat(TallyHeaders.text(dead.headers(), TallyHeaders.DLQ_REASON)).contains("over the engine's limit");
        assertThat(tally.drainDecisions()).isEmpty();
        assertThat(tally.decide(create("c1", "acme", "ws_1"), T0).code()).isEqualTo(DecisionCode.CLAIMED);
    }

    @Test
    void a_claim_in_a_partition_the_java_partitioner_would_not_pick_is_never_decided_there(@TempDir Path dir) {
        // Four partitions; the driver puts every record in partition 0. Pick a slug whose key belongs elsewhere.
        String elsewhere = java.util.stream.IntStream.range(0, 100).mapToObj(i -> "slug-" + i)
                .filter(v -> KeyPartitioner.partitionFor("tenant-slug/" + v, 4) != 0).findFirst().orElseThrow();
        String here = java.util.stream.IntStream.range(0, 100).mapToObj(i -> "slug-" + i)
                .filter(v -> KeyPartitioner.partitionFor("tenant-slug/" + v, 4) == 0).findFirst().orElseThrow();
        try (ClaimHarness four = new ClaimHarness(dir, 4)) {
            four.publish(create("c1", elsewhere, "ws_1"), "tenant-slug/" + elsewhere, T0);
            four.publish(create("c2", here, "ws_1"), "tenant-slug/" + here, T0);

            // Re-routed once; back in partition 0 it is still misplaced, so it is parked, not decided.
            assertThat(four.drainDecisions()).extracting(ClaimDecision::requestId).containsExactly("c2");
            assertThat(four.deadLetters().readRecordsToList()).singleElement().satisfies(r ->
                    assertThat(TallyHeaders.text(r.headers(), TallyHeaders.DLQ_REASON)).contains("wrong partition"));
        }
    }

    @Test
    void a_read_without_a_usable_key_answers_its_caller_and_writes_no_decision() {
        TestRecord<String, byte[]> reply = tally.call(new ReadClaim("q1", "no-such-scope", "acme"), "no-such-scope/acme", T0);

        assertThat(TallyHeaders.text(reply.headers(), TallyHeaders.CODE)).isEqualTo("INVALID_REQUEST");
        assertThat(tally.drainDecisions()).isEmpty();
    }
}
