package dev.tally.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.schemas.usage.AddBoost;
import dev.tally.schemas.usage.CommitReservation;
import dev.tally.schemas.usage.Enforcement;
import dev.tally.schemas.usage.Period;
import dev.tally.schemas.usage.RecordUsage;
import dev.tally.schemas.usage.Reserve;
import dev.tally.schemas.usage.SetLimit;
import dev.tally.schemas.usage.UsageAlert;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Threshold alerts through the whole topology: once per threshold and period, with the usage that crossed it. */
class AlertsTopologyTest {

    private static final Instant OCT = Instant.parse("2026-10-18T10:00:00Z");
    private static final Instant NOV = Instant.parse("2026-11-02T10:00:00Z");
    private static final String TOKENS = "ai.tokens";

    @TempDir
    Path stateDir;
    private UsageHarness tally;
    private int ids;

    @BeforeEach
    void start() {
        tally = new UsageHarness(stateDir);
        tally.decide(new SetLimit("limit", "acme", null, TOKENS, 1000L, Period.MONTH, Enforcement.HARD), OCT);
    }

    @AfterEach
    void stop() {
        tally.close();
    }

    private void use(long amount, Instant at) {
        tally.decide(new RecordUsage("u" + ids++, "acme", null, TOKENS, amount, null), at);
    }

    @Test
    void each_threshold_alerts_once_when_usage_reaches_it() {
        use(799, OCT);
        assertThat(tally.drainAlerts()).isEmpty();

        use(1, OCT);
        List<UsageAlert> at80 = tally.drainAlerts();
        use(99, OCT);
        use(1, OCT);
        List<UsageAlert> at90 = tally.drainAlerts();
        use(50, OCT);
        use(50, OCT);
        List<UsageAlert> at100 = tally.drainAlerts();

        assertThat(at80).singleElement().satisfies(alert -> {
            assertThat(alert.threshold()).isEqualTo(80);
            assertThat(alert.used()).isEqualTo(800);
            assertThat(alert.limit()).isEqualTo(1000);
            assertThat(alert.requestId()).isEqualTo("u1");
            assertThat(alert.periodStart()).isEqualTo(Instant.parse("2026-10-01T00:00:00Z"));
            assertThat(alert.alertId()).isEqualTo("acme/workspace/ai.tokens/MONTH/2026-10-01T00:00:00Z/80");
        });
        assertThat(at90).extracting(UsageAlert::threshold).containsExactly(90);
        assertThat(at100).extracting(UsageAlert::threshold, UsageAlert::used)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(100, 1000L));
    }

    @Test
    void one_amount_crossing_several_thresholds_alerts_each() {
        use(1000, OCT);

        assertThat(tally.drainAlerts()).extracting(UsageAlert::threshold).containsExactly(80, 90, 100);
    }

    @Test
    void a_refused_amount_alerts_nothing() {
        use(799, OCT);
        use(202, OCT); // would reach 100 %, but does not fit

        assertThat(tally.drainAlerts()).isEmpty();
    }

    @Test
    void a_new_period_kind_is_a_new_period_with_its_own_alerts_and_ids() {
        Instant nov1 = Instant.parse("2026-11-01T10:00:00Z");
        tally.decide(new SetLimit("daily", "acme", null, TOKENS, 100L, Period.DAY, Enforcement.HARD), nov1);
        use(80, nov1);
        tally.decide(new SetLimit("monthly", "acme", null, TOKENS, 1000L, Period.MONTH, Enforcement.HARD),
                nov1.plusSeconds(60));
        use(720, nov1.plusSeconds(120)); // 800 of 1,000 this month, the day's 80 carried

        List<UsageAlert> alerts = tally.drainAlerts();

        assertThat(alerts).extracting(UsageAlert::period, UsageAlert::threshold).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Period.DAY, 80),
                org.assertj.core.groups.Tuple.tuple(Period.MONTH, 80));
        assertThat(alerts.get(0).alertId()).isNotEqualTo(alerts.get(1).alertId());
    }

    @Test
    void a_threshold_alerts_again_only_in_the_next_period() {
        use(850, OCT);
        tally.decide(new AddBoost("b1", "acme", null, TOKENS, 1000L, "inv-1", null), OCT);
        use(800, OCT); // 1650 of 2000: past 80 % again, but 80 % was already alerted this month
        assertThat(tally.drainAlerts()).extracting(UsageAlert::threshold).containsExactly(80);

        use(1700, NOV);

        assertThat(tally.drainAlerts()).singleElement().satisfies(alert -> {
            assertThat(alert.threshold()).isEqualTo(80);
            assertThat(alert.periodStart()).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
        });
    }

    @Test
    void dry_runs_and_reservations_do_not_alert_but_a_commit_does() {
        tally.decide(new RecordUsage("dry", "acme", null, TOKENS, 900L, true), OCT);
        tally.decide(new Reserve("r1", "acme", null, TOKENS, 900L, 300L), OCT);
        assertThat(tally.drainAlerts()).isEmpty();

        tally.decide(new CommitReservation("c1", "acme", "r1", 850L), OCT);

        assertThat(tally.drainAlerts()).extracting(UsageAlert::threshold, UsageAlert::requestId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(80, "c1"));
    }

    @Test
    void alerts_are_keyed_by_workspace_and_stamped_with_the_usage() {
        tally.decide(new RecordUsage("u1", "acme", null, TOKENS, 800L, null), OCT);

        TestRecord<String, byte[]> record = tally.alerts.readRecord();

        assertThat(record.key()).isEqualTo("acme");
        assertThat(record.getRecordTime()).isEqualTo(OCT);
    }

    @Test
    void namespace_limits_alert_for_their_own_scope() {
        tally.decide(new SetLimit("ns", "acme", "team-a", TOKENS, 100L, Period.MONTH, Enforcement.HARD), OCT);

        tally.decide(new RecordUsage("u1", "acme", "team-a", TOKENS, 90L, null), OCT);

        assertThat(tally.drainAlerts()).extracting(UsageAlert::namespace, UsageAlert::threshold).containsExactly(
                org.assertj.core.groups.Tuple.tuple("team-a", 80),
                org.assertj.core.groups.Tuple.tuple("team-a", 90));
    }
}
