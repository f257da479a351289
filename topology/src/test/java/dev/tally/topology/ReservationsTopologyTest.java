package dev.tally.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.schemas.DecisionCode;
import dev.tally.schemas.usage.CommitReservation;
import dev.tally.schemas.usage.Enforcement;
import dev.tally.schemas.usage.FeatureGrant;
import dev.tally.schemas.usage.FeatureUsage;
import dev.tally.schemas.usage.Period;
import dev.tally.schemas.usage.ProvisionPackage;
import dev.tally.schemas.usage.ReadUsage;
import dev.tally.schemas.usage.RecordUsage;
import dev.tally.schemas.usage.ReleaseReservation;
import dev.tally.schemas.usage.Reserve;
import dev.tally.schemas.usage.ReservationStatus;
import dev.tally.schemas.usage.SetLimit;
import dev.tally.schemas.usage.UsageDecision;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reservations through the whole topology: reserve, commit less/more/equal, release, expiry on the clock. */
class ReservationsTopologyTest {

    private static final Instant T0 = EngineDriver.CLOCK_START;
    private static final String TOKENS = "ai.tokens";

    @TempDir
    Path stateDir;
    private UsageHarness tally;

    @BeforeEach
    void start() {
        tally = new UsageHarness(stateDir);
        tally.decide(new SetLimit("limit", "acme", null, TOKENS, 100L, Period.MONTH, Enforcement.HARD), T0);
    }

    @AfterEach
    void stop() {
        tally.close();
    }

    private UsageDecision reserve(String id, long amount, long ttlSeconds) {
        return tally.decide(new Reserve(id, "acme", null, TOKENS, amount, ttlSeconds), T0);
    }

    private UsageDecision commit(String id, String reservationId, long amount) {
        return tally.decide(new CommitReservation(id, "acme", reservationId, amount), T0);
    }

    private UsageDecision release(String id, String reservationId) {
        return tally.decide(new ReleaseReservation(id, "acme", reservationId), T0);
    }

    private UsageDecision use(String id, long amount) {
        return tally.decide(new RecordUsage(id, "acme", null, TOKENS, amount, null), T0);
    }

    private FeatureUsage figures() {
        return tally.report(new ReadUsage("read", "acme"), T0).features().get(0);
    }

    @Test
    void a_live_reservation_counts_against_the_limit() {
        UsageDecision reserved = reserve("r1", 60, 300);

        assertThat(reserved.code()).isEqualTo(DecisionCode.RESERVED);
        assertThat(reserved.reservation().reservationId()).isEqualTo("r1");
        assertThat(reserved.reservation().status()).isEqualTo(ReservationStatus.LIVE);
        assertThat(reserved.reservation().expiresAt()).isEqualTo(EngineDriver.CLOCK_START.plusSeconds(300));
        assertThat(reserved.reserved()).isEqualTo(60);
        assertThat(reserved.remaining()).isEqualTo(40);
        assertThat(use("u1", 41).code()).isEqualTo(DecisionCode.QUOTA_EXCEEDED);
        assertThat(reserve("r2", 41, 300).code()).isEqualTo(DecisionCode.QUOTA_EXCEEDED);
        assertThat(use("u2", 40).code()).isEqualTo(DecisionCode.OK);
        FeatureUsage figures = figures();
        assertThat(figures.used()).isEqualTo(40);
        assertThat(figures.reserved()).isEqualTo(60);
        assertThat(figures.remaining()).isZero();
    }

    @Test
    void committing_less_than_reserved_returns_the_rest() {
        reserve("r1", 60, 300);

        UsageDecision committed = commit("c1", "r1", 25);

        assertThat(committed.code()).isEqualTo(DecisionCode.RESERVATION_COMMITTED);
        assertThat(committed.reservation().status()).isEqualTo(ReservationStatus.COMMITTED);
        assertThat(committed.reservation().committed()).isEqualTo(25);
        assertThat(committed.used()).isEqualTo(25);
        assertThat(committed.reserved()).isZero();
        assertThat(committed.remaining()).isEqualTo(75);
        assertThat(committed.feature()).isEqualTo(TOKENS);
    }

    @Test
    void committing_exactly_what_was_reserved_charges_it() {
        reserve("r1", 60, 300);

        UsageDecision committed = commit("c1", "r1", 60);

        assertThat(committed.code()).isEqualTo(DecisionCode.RESERVATION_COMMITTED);
        assertThat(committed.used()).isEqualTo(60);
        assertThat(committed.reserved()).isZero();
    }

    @Test
    void committing_more_than_reserved_is_charged_only_if_the_extra_fits() {
        reserve("r1", 60, 300);
        use("u1", 30);

        UsageDecision tooMuch = commit("c1", "r1", 71);
        UsageDecision fits = commit("c2", "r1", 70);

        assertThat(tooMuch.code()).isEqualTo(DecisionCode.QUOTA_EXCEEDED);
        assertThat(tooMuch.reservation().status()).isEqualTo(ReservationStatus.LIVE);
        assertThat(fits.code()).isEqualTo(DecisionCode.RESERVATION_COMMITTED);
        assertThat(fits.used()).isEqualTo(100);
        assertThat(fits.reserved()).isZero();
    }

    @Test
    void releasing_returns_everything_and_charges_nothing() {
        reserve("r1", 60, 300);

        UsageDecision released = release("x1", "r1");

        assertThat(released.code()).isEqualTo(DecisionCode.RESERVATION_RELEASED);
        assertThat(released.reservation().status()).isEqualTo(ReservationStatus.RELEASED);
        assertThat(released.used()).isZero();
        assertThat(released.reserved()).isZero();
        assertThat(use("u1", 100).code()).isEqualTo(DecisionCode.OK);
    }

    @Test
    void a_reservation_ends_exactly_once() {
        reserve("r1", 60, 300);
        commit("c1", "r1", 10);

        UsageDecision secondCommit = commit("c2", "r1", 10);
        UsageDecision release = release("x1", "r1");
        UsageDecision retry = commit("c1", "r1", 10);

        assertThat(secondCommit.code()).isEqualTo(DecisionCode.RESERVATION_ENDED);
        assertThat(secondCommit.reservation().status()).isEqualTo(ReservationStatus.COMMITTED);
        assertThat(release.code()).isEqualTo(DecisionCode.RESERVATION_ENDED);
        assertThat(retry.code()).isEqualTo(DecisionCode.RESERVATION_COMMITTED);
        assertThat(figures().used()).isEqualTo(10);
    }

    @Test
    void an_unknown_reservation_is_not_found() {
        assertThat(commit("c1", "nope", 1).code()).isEqualTo(DecisionCode.RESERVATION_NOT_FOUND);
        assertThat(release("x1", "nope").code()).isEqualTo(DecisionCode.RESERVATION_NOT_FOUND);
    }

    @Test
    void an_expired_reservation_returns_its_amount_and_says_so_once() {
        reserve("r1", 60, 30);
        tally.drainDecisions();

        tally.advanceClock(Duration.ofSeconds(29));
        assertThat(tally.drainDecisions()).isEmpty();
        assertThat(figures().reserved()).isEqualTo(60);
        tally.advanceClock(Duration.ofSeconds(2));

        List<UsageDecision> events = tally.drainDecisions();
        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.type()).isEqualTo(UsageDecision.RESERVATION_EXPIRED_TYPE);
            assertThat(event.code()).isEqualTo(DecisionCode.RESERVATION_LAPSED);
            assertThat(event.requestId()).isNull();
            assertThat(event.reservation().reservationId()).isEqualTo("r1");
            assertThat(event.reservation().status()).isEqualTo(ReservationStatus.EXPIRED);
        });
        assertThat(figures().reserved()).isZero();
        tally.advanceClock(Duration.ofSeconds(5));
        assertThat(tally.drainDecisions()).isEmpty();
    }

    @Test
    void a_commit_after_expiry_is_refused_with_its_own_code() {
        reserve("r1", 60, 30);
        tally.advanceClock(Duration.ofSeconds(31));

        UsageDecision late = commit("c1", "r1", 60);

        assertThat(late.code()).isEqualTo(DecisionCode.RESERVATION_EXPIRED);
        assertThat(late.reservation().status()).isEqualTo(ReservationStatus.EXPIRED);
        assertThat(figures().used()).isZero();
        assertThat(release("x1", "r1").code()).isEqualTo(DecisionCode.RESERVATION_EXPIRED);
    }

    @Test
    void a_namespace_reservation_holds_in_both_scopes_and_gives_back_to_both() {
        tally.decide(new SetLimit("ns-limit", "acme", "team-a", TOKENS, 50L, Period.MONTH, Enforcement.HARD), T0);

        UsageDecision reserved = tally.decide(new Reserve("r1", "acme", "team-a", TOKENS, 40L, 300L), T0);
        UsageDecision workspaceOnly = use("u1", 61);
        UsageDecision committed = commit("c1", "r1", 15);

        assertThat(reserved.code()).isEqualTo(DecisionCode.RESERVED);
        assertThat(reserved.scope()).isEqualTo("namespace:team-a");
        assertThat(workspaceOnly.code()).isEqualTo(DecisionCode.QUOTA_EXCEEDED);
        assertThat(committed.code()).isEqualTo(DecisionCode.RESERVATION_COMMITTED);
        assertThat(tally.report(new ReadUsage("read", "acme"), T0).features())
                .allSatisfy(f -> {
                    assertThat(f.used()).isEqualTo(15);
                    assertThat(f.reserved()).isZero();
                });
    }

    @Test
    void a_reservation_on_a_feature_without_a_limit_fails_closed() {
        UsageDecision refused = tally.decide(new Reserve("r1", "acme", null, "ai.images", 1L, 60L), T0);

        assertThat(refused.code()).isEqualTo(DecisionCode.NO_LIMIT_DEFINED);
    }

    @Test
    void an_expiry_on_the_engines_clock_does_not_start_the_records_period_early() {
        // Records stamped in the 09:00 hour, decided while the engine's clock reads 10:00 (a backlog)
        Instant t0930 = Instant.parse("2026-10-18T09:30:00Z");
        tally.decide(new SetLimit("hourly", "acme", null, "api.calls", 100L, Period.HOUR, Enforcement.HARD), t0930);
        tally.decide(new Reserve("r1", "acme", null, "api.calls", 10L, 1L), t0930);
        tally.decide(new RecordUsage("u1", "acme", null, "api.calls", 90L, null), t0930.plusSeconds(600));
        tally.advanceClock(Duration.ofSeconds(2));

        UsageDecision next = tally.decide(new RecordUsage("u2", "acme", null, "api.calls", 100L, null),
                t0930.plusSeconds(1200));

        // The 09:00 hour holds 90 of 100: 100 more does not fit, whatever the engine's clock says
        assertThat(next.code()).isEqualTo(DecisionCode.QUOTA_EXCEEDED);
        assertThat(next.used()).isEqualTo(90);
        assertThat(next.periodStart()).isEqualTo(Instant.parse("2026-10-18T09:00:00Z"));
    }

    @Test
    void more_reservations_than_one_walk_ends_all_end_before_the_next_request() {
        tally.decide(new SetLimit("big", "acme", null, "api.calls", 2_500L, Period.MONTH, Enforcement.HARD), T0);
        for (int i = 0; i < 2_500; i++) {
            tally.publish(new Reserve("r" + i, "acme", null, "api.calls", 1L, 1L), T0);
        }
        // One punctuation (the clock moves one interval) ends 1,000 of them, one walk before the next
        // request 1,000 more; all 2,500 must end before it is decided
        tally.advanceClock(Duration.ofSeconds(1));

        UsageDecision all = tally.decide(new Reserve("all", "acme", null, "api.calls", 2_500L, 60L), T0);

        assertThat(all.code()).isEqualTo(DecisionCode.RESERVED);
    }

    @Test
    void a_disabled_feature_commits_at_most_what_was_reserved() {
        tally.decide(new ProvisionPackage("p1", "acme", null, "flags", true,
                Map.of("sso", FeatureGrant.flag(true))), T0);
        tally.decide(new Reserve("r1", "acme", null, "sso", 10L, 300L), T0);
        tally.decide(new ProvisionPackage("p2", "acme", null, "flags", true,
                Map.of("sso", FeatureGrant.flag(false))), T0);

        UsageDecision more = commit("c1", "r1", 1_000);
        UsageDecision held = commit("c2", "r1", 10);

        assertThat(more.code()).isEqualTo(DecisionCode.FEATURE_DISABLED);
        assertThat(more.reservation().status()).isEqualTo(ReservationStatus.LIVE);
        assertThat(held.code()).isEqualTo(DecisionCode.RESERVATION_COMMITTED);
        assertThat(held.used()).isEqualTo(10);
    }
}
