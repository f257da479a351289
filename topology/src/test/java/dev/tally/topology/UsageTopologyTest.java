package dev.tally.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.contract.KeyPartitioner;
import dev.tally.contract.TallyHeaders;
import dev.tally.schemas.DecisionCode;
import dev.tally.schemas.Outcome;
import dev.tally.schemas.usage.Enforcement;
import dev.tally.schemas.usage.FeatureUsage;
import dev.tally.schemas.usage.Period;
import dev.tally.schemas.usage.ReadUsage;
import dev.tally.schemas.usage.RecordUsage;
import dev.tally.schemas.usage.SetLimit;
import dev.tally.schemas.usage.UsageDecision;
import dev.tally.schemas.usage.UsageReport;
import dev.tally.topology.engine.Remembered;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The usage topology end to end in a TopologyTestDriver: one test per decision code and guard. */
class UsageTopologyTest {

    private static final Instant T0 = Instant.parse("2026-10-18T10:00:00Z");

    @TempDir
    Path stateDir;
    private UsageHarness tally;

    @BeforeEach
    void start() {
        tally = new UsageHarness(stateDir);
    }

    @AfterEach
    void stop() {
        tally.close();
    }

    private static SetLimit limit(String id, String ws, String ns, long limit, Period period, Enforcement e) {
        return new SetLimit(id, ws, ns, "ai.tokens", limit, period, e);
    }

    private static RecordUsage usage(String id, String ws, String ns, long amount) {
        return new RecordUsage(id, ws, ns, "ai.tokens", amount, null);
    }

    @Test
    void usage_up_to_the_exact_limit_is_accepted_and_one_more_unit_is_not() {
        tally.decide(limit("l1", "acme", null, 1000, Period.MONTH, Enforcement.HARD), T0);

        UsageDecision first = tally.decide(usage("u1", "acme", null, 900), T0);
        UsageDecision exact = tally.decide(usage("u2", "acme", null, 100), T0);
        UsageDecision over = tally.decide(usage("u3", "acme", null, 1), T0);

        assertThat(first.code()).isEqualTo(DecisionCode.OK);
        assertThat(exact.outcome()).isEqualTo(Outcome.ACCEPTED);
        assertThat(exact.used()).isEqualTo(1000);
        assertThat(exact.remaining()).isZero();
        assertThat(over.code()).isEqualTo(DecisionCode.QUOTA_EXCEEDED);
        assertThat(over.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(over.used()).isEqualTo(1000);
        assertThat(over.limit()).isEqualTo(1000);
        assertThat(over.periodStart()).isEqualTo(Instant.parse("2026-10-01T00:00:00Z"));
        assertThat(over.periodEnd()).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
    }

    @Test
    void a_feature_without_a_limit_fails_closed() {
        UsageDecision decision = tally.decide(usage("u1", "acme", null, 1), T0);

        assertThat(decision.code()).isEqualTo(DecisionCode.NO_LIMIT_DEFINED);
        assertThat(decision.outcome()).isEqualTo(Outcome.REJECTED);
    }

    @Test
    void setting_a_limit_is_a_decision_of_its_own() {
        UsageDecision decision = tally.decide(limit("l1", "acme", null, 10, Period.DAY, Enforcement.SOFT), T0);

        assertThat(decision.code()).isEqualTo(DecisionCode.LIMIT_SET);
        assertThat(decision.limit()).isEqualTo(10);
        assertThat(decision.period()).isEqualTo(Period.DAY);
        assertThat(decision.enforcement()).isEqualTo(Enforcement.SOFT);
        assertThat(tally.drainDecisions()).extracting(UsageDecision::requestId).containsExactly("l1");
    }

    @Test
    void the_month_rolls_over_at_the_utc_boundary_of_the_record_time() {
        tally.decide(limit("l1", "acme", null, 100, Period.MONTH, Enforcement.HARD), T0);
        Instant lastMs = Instant.parse("2026-10-31T23:59:59.999Z");
        Instant nextMonth = Instant.parse("2026-11-01T00:00:00Z");

        UsageDecision full = tally.decide(usage("u1", "acme", null, 100), lastMs);
        UsageDecision stillOctober = tally.decide(usage("u2", "acme", null, 1), lastMs);
        UsageDecision november = tally.decide(usage("u3", "acme", null, 100), nextMonth);

        assertThat(full.code()).isEqualTo(DecisionCode.OK);
        assertThat(stillOctober.code()).isEqualTo(DecisionCode.QUOTA_EXCEEDED);
        assertThat(november.code()).isEqualTo(DecisionCode.OK);
        assertThat(november.used()).isEqualTo(100);
        assertThat(november.periodStart()).isEqualTo(nextMonth);
    }

    @Test
    void a_namespace_request_is_charged_to_namespace_and_workspace_together_or_not_at_all() {
        tally.decide(limit("l1", "acme", null, 100, Period.MONTH, Enforcement.HARD), T0);
        tally.decide(limit("l2", "acme", "team-a", 60, Period.MONTH, Enforcement.HARD), T0);
        tally.decide(usage("u0", "acme", null, 50), T0);

        // Fits the namespace (60) but not the workspace (50 + 60 > 100): neither is charged.
        UsageDecision rejected = tally.decide(usage("u1", "acme", "team-a", 60), T0);
        UsageDecision accepted = tally.decide(usage("u2", "acme", "team-a", 50), T0);
        UsageDecision namespaceFull = tally.decide(usage("u3", "acme", "team-a", 11), T0);

        assertThat(rejected.code()).isEqualTo(DecisionCode.QUOTA_EXCEEDED);
        assertThat(rejected.scope()).isEqualTo("workspace");
        assertThat(accepted.code()).isEqualTo(DecisionCode.OK);
        assertThat(namespaceFull.code()).isEqualTo(DecisionCode.QUOTA_EXCEEDED);
        assertThat(namespaceFull.scope()).isEqualTo("namespace:team-a");
        UsageReport report = tally.report(new ReadUsage("r1", "acme"), T0);
        assertThat(report.features()).extracting(FeatureUsage::namespace, FeatureUsage::used)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(null, 100L),
                        org.assertj.core.groups.Tuple.tuple("team-a", 50L));
    }

    @Test
    void a_soft_limit_accepts_past_the_limit_and_flags_the_overage() {
        tally.decide(limit("l1", "acme", null, 100, Period.DAY, Enforcement.SOFT), T0);

        UsageDecision within = tally.decide(usage("u1", "acme", null, 80), T0);
        UsageDecision over = tally.decide(usage("u2", "acme", null, 30), T0);

        assertThat(within.code()).isEqualTo(DecisionCode.OK);
        assertThat(within.overage()).isNull();
        assertThat(over.outcome()).isEqualTo(Outcome.ACCEPTED);
        assertThat(over.code()).isEqualTo(DecisionCode.SOFT_LIMIT_EXCEEDED);
        assertThat(over.used()).isEqualTo(110);
        assertThat(over.overage()).isEqualTo(10);
        assertThat(over.remaining()).isZero();
    }

    @Test
    void a_dry_run_checks_without_recording() {
        tally.decide(limit("l1", "acme", null, 100, Period.MONTH, Enforcement.HARD), T0);

        UsageDecision dry = tally.decide(new RecordUsage("d1", "acme", null, "ai.tokens", 100L, true), T0);
        UsageDecision dryTooMuch = tally.decide(new RecordUsage("d2", "acme", null, "ai.tokens", 101L, true), T0);
        UsageDecision real = tally.decide(usage("u1", "acme", null, 100), T0);

        assertThat(dry.code()).isEqualTo(DecisionCode.OK);
        assertThat(dry.dryRun()).isTrue();
        assertThat(dry.used()).isZero();
        assertThat(dryTooMuch.code()).isEqualTo(DecisionCode.QUOTA_EXCEEDED);
        assertThat(real.code()).isEqualTo(DecisionCode.OK);
        assertThat(real.used()).isEqualTo(100);
    }

    @Test
    void a_retry_with_the_same_request_id_gets_the_first_decision_and_is_applied_once() {
        tally.decide(limit("l1", "acme", null, 100, Period.MONTH, Enforcement.HARD), T0);

        UsageDecision first = tally.decide(usage("u1", "acme", null, 60), T0);
        UsageDecision retry = tally.decide(usage("u1", "acme", null, 60), T0.plusSeconds(5));
        UsageDecision other = tally.decide(usage("u2", "acme", null, 40), T0.plusSeconds(6));

        assertThat(retry).isEqualTo(first);
        assertThat(other.code()).isEqualTo(DecisionCode.OK);
        assertThat(other.used()).isEqualTo(100);
        // Exactly one decision record per request id on the decisions topic.
        assertThat(tally.drainDecisions()).extracting(UsageDecision::requestId).containsExactly("l1", "u1", "u2");
    }

    @Test
    void the_same_request_id_with_another_body_is_rejected_with_its_own_code() {
        tally.decide(limit("l1", "acme", null, 100, Period.MONTH, Enforcement.HARD), T0);
        tally.decide(usage("u1", "acme", null, 60), T0);

        UsageDecision reused = tally.decide(usage("u1", "acme", null, 30), T0);
        UsageDecision after = tally.decide(usage("u2", "acme", null, 40), T0);

        assertThat(reused.code()).isEqualTo(DecisionCode.REQUEST_ID_REUSED);
        assertThat(reused.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(after.used()).isEqualTo(100);
        assertThat(tally.drainDecisions()).extracting(UsageDecision::requestId).containsExactly("l1", "u1", "u2");
    }

    @Test
    void a_request_id_is_forgotten_after_the_retention_by_record_time() {
        tally.decide(limit("l1", "acme", null, 100, Period.LIFETIME, Enforcement.HARD), T0);
        tally.decide(usage("u1", "acme", null, 10), T0);

        UsageDecision later = tally.decide(usage("u1", "acme", null, 10),
                T0.plusMillis(UsageHarness.RETENTION_MS + 1));

        assertThat(later.used()).isEqualTo(20);
    }

    @Test
    void request_ids_past_retention_are_deleted_from_the_store_as_stream_time_passes() {
        tally.decide(limit("l1", "acme", null, 100, Period.LIFETIME, Enforcement.HARD), T0);
        for (int i = 0; i < 50; i++) {
            tally.decide(usage("old-" + i, "acme", null, 1), T0.plusSeconds(i));
        }
        KeyValueStore<String, Remembered> ids = tally.driver().getKeyValueStore(Names.USAGE_REQUEST_IDS_STORE);
        assertThat(countOf(ids)).isEqualTo(51);

        // Stream time moves past the retention of every id so far: the sweeps that follow delete them
        Instant later = T0.plusMillis(UsageHarness.RETENTION_MS).plus(Duration.ofHours(1));
        for (int i = 0; i < 5; i++) {
            tally.decide(usage("new-" + i, "acme", null, 1), later.plus(Duration.ofMinutes(2L * i)));
        }

        assertThat(countOf(ids)).isEqualTo(5);
        // And a retry of a forgotten id is a new request again
        assertThat(tally.decide(usage("old-0", "acme", null, 1), later.plus(Duration.ofMinutes(10))).used())
                .isEqualTo(56);
    }

    private static long countOf(KeyValueStore<String, Remembered> store) {
        try (var all = store.all()) {
            long n = 0;
            while (all.hasNext()) {
                all.next();
                n++;
            }
            return n;
        }
    }

    @Test
    void a_readable_but_invalid_request_is_rejected_with_the_fields_at_fault() {
        UsageDecision invalid = tally.decide(usage("u1", "acme", null, -5), T0);

        assertThat(invalid.code()).isEqualTo(DecisionCode.INVALID_REQUEST);
        assertThat(invalid.errors()).extracting(dev.tally.schemas.FieldError::field).containsExactly("amount");
        assertThat(tally.drainDecisions()).hasSize(1);
    }

    @Test
    void an_invalid_request_under_a_valid_id_is_decided_once_like_any_other() {
        UsageDecision first = tally.decide(usage("u1", "acme", null, 0), T0);

        UsageDecision again = tally.decide(usage("u1", "acme", null, 0), T0.plusSeconds(1));
        UsageDecision corrected = tally.decide(usage("u1", "acme", null, 5), T0.plusSeconds(2));

        assertThat(again).isEqualTo(first);
        assertThat(corrected.code()).isEqualTo(DecisionCode.REQUEST_ID_REUSED);
        assertThat(tally.drainDecisions()).extracting(UsageDecision::requestId, UsageDecision::code)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("u1", DecisionCode.INVALID_REQUEST));
    }

    @Test
    void a_record_that_cannot_be_read_goes_to_the_dead_letter_topic_with_the_reason() {
        tally.requests.pipeInput(new TestRecord<>("acme", "{not json".getBytes(StandardCharsets.UTF_8), T0));
        tally.requests.pipeInput(new TestRecord<>("acme",
                "{\"type\":\"record-usage\",\"workspace\":\"acme\",\"amout\":1}".getBytes(StandardCharsets.UTF_8), T0));
        tally.requests.pipeInput(new TestRecord<>("acme", (byte[]) null, T0));
        tally.decide(limit("l1", "acme", null, 100, Period.MONTH, Enforcement.HARD), T0);

        List<TestRecord<String, byte[]>> dead = tally.deadLetters.readRecordsToList();

        assertThat(dead).hasSize(3);
        assertThat(TallyHeaders.text(dead.get(0).headers(), TallyHeaders.DLQ_REASON)).startsWith("not JSON");
        assertThat(TallyHeaders.text(dead.get(1).headers(), TallyHeaders.DLQ_REASON)).contains("amout");
        assertThat(TallyHeaders.text(dead.get(2).headers(), TallyHeaders.DLQ_REASON)).contains("no value");
        assertThat(TallyHeaders.text(dead.get(0).headers(), TallyHeaders.DLQ_TOPIC)).isEqualTo("tally.usage.requests");
        assertThat(TallyHeaders.text(dead.get(1).headers(), TallyHeaders.DLQ_OFFSET)).isEqualTo("1");
        // The engine kept going: the next readable request was decided.
        assertThat(tally.drainDecisions()).extracting(UsageDecision::code).containsExactly(DecisionCode.LIMIT_SET);
    }

    @Test
    void a_read_reports_every_feature_and_writes_no_decision() {
        tally.decide(limit("l1", "acme", null, 100, Period.HOUR, Enforcement.HARD), T0);
        tally.decide(usage("u1", "acme", null, 30), T0);
        tally.drainDecisions();

        UsageReport report = tally.report(new ReadUsage("r1", "acme"), T0.plusSeconds(60));

        assertThat(report.features()).singleElement().satisfies(f -> {
            assertThat(f.used()).isEqualTo(30);
            assertThat(f.limit()).isEqualTo(100);
            assertThat(f.remaining()).isEqualTo(70);
            assertThat(f.periodStart()).isEqualTo(Instant.parse("2026-10-18T10:00:00Z"));
            assertThat(f.periodEnd()).isEqualTo(Instant.parse("2026-10-18T11:00:00Z"));
        });
        assertThat(tally.drainDecisions()).isEmpty();
    }

    @Test
    void a_record_under_a_key_that_does_not_match_its_body_is_rerouted_not_decided() {
        tally.decide(limit("l1", "acme", null, 100, Period.MONTH, Enforcement.HARD), T0);
        tally.drainDecisions();

        tally.requests.pipeInput(new TestRecord<>("someone-else",
                UsageHarness.REQUESTS.write(usage("u1", "acme", null, 10)), T0));

        // The driver feeds the re-routed record back in under the right key, and only then is it decided.
        List<TestRecord<String, byte[]>> decided = tally.decisions.readRecordsToList();
        assertThat(decided).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo("acme");
            assertThat(UsageHarness.read(UsageHarness.DECISIONS, r.value()).used()).isEqualTo(10);
        });
    }

    @Test
    void a_record_in_a_partition_the_java_partitioner_would_not_pick_is_never_decided_there(@TempDir Path dir) {
        // Four partitions; the driver puts every record in partition 0. Pick a workspace that belongs elsewhere.
        String elsewhere = java.util.stream.IntStream.range(0, 100).mapToObj(i -> "ws-" + i)
                .filter(ws -> KeyPartitioner.partitionFor(ws, 4) != 0).findFirst().orElseThrow();
        try (UsageHarness four = new UsageHarness(dir, 4)) {
            four.publish(limit("l1", elsewhere, null, 100, Period.MONTH, Enforcement.HARD), T0);

            // Re-routed once; back in partition 0 it is still misplaced, so it is parked, not decided.
            assertThat(four.drainDecisions()).isEmpty();
            assertThat(four.deadLetters.readRecordsToList()).singleElement().satisfies(r ->
                    assertThat(TallyHeaders.text(r.headers(), TallyHeaders.DLQ_REASON))
                            .contains("wrong partition"));
        }
    }
}
