package dev.tally.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.schemas.DecisionCode;
import dev.tally.schemas.usage.AddBoost;
import dev.tally.schemas.usage.CancelPackage;
import dev.tally.schemas.usage.EntitlementsReport;
import dev.tally.schemas.usage.Enforcement;
import dev.tally.schemas.usage.FeatureEntitlement;
import dev.tally.schemas.usage.FeatureGrant;
import dev.tally.schemas.usage.FeatureKind;
import dev.tally.schemas.usage.LimitSource;
import dev.tally.schemas.usage.PackageView;
import dev.tally.schemas.usage.Period;
import dev.tally.schemas.usage.ProvisionPackage;
import dev.tally.schemas.usage.RecordUsage;
import dev.tally.schemas.usage.SetLimit;
import dev.tally.schemas.usage.SourceKind;
import dev.tally.schemas.usage.UsageDecision;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Packages and boosts through the whole topology: the effective-limit rule as usage meets it. */
class EntitlementsTopologyTest {

    private static final Instant T0 = EngineDriver.CLOCK_START;
    private static final String TOKENS = "ai.tokens";

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

    private static ProvisionPackage base(String id, String code, long limit) {
        return new ProvisionPackage(id, "acme", null, code, true,
                Map.of(TOKENS, FeatureGrant.metered(limit, Period.MONTH, Enforcement.HARD)));
    }

    private static ProvisionPackage addOn(String id, String code, long limit) {
        return new ProvisionPackage(id, "acme", null, code, false,
                Map.of(TOKENS, FeatureGrant.metered(limit, Period.MONTH, Enforcement.HARD)));
    }

    private static AddBoost boost(String id, String externalId, long amount, Instant expiresAt) {
        return new AddBoost(id, "acme", null, TOKENS, amount, externalId, expiresAt);
    }

    private UsageDecision use(String id, long amount, Instant at) {
        return tally.decide(new RecordUsage(id, "acme", null, TOKENS, amount, null), at);
    }

    private FeatureEntitlement tokens(EntitlementsReport report) {
        return report.features().stream().filter(f -> f.feature().equals(TOKENS) && f.namespace() == null)
                .findFirst().orElseThrow();
    }

    @Test
    void a_new_base_package_cancels_the_old_one_in_the_same_step() {
        UsageDecision starter = tally.decide(base("p1", "starter", 100), T0);
        UsageDecision pro = tally.decide(base("p2", "pro", 1000), T0);

        assertThat(starter.code()).isEqualTo(DecisionCode.PACKAGE_PROVISIONED);
        assertThat(starter.replacedPackage()).isNull();
        assertThat(pro.code()).isEqualTo(DecisionCode.PACKAGE_PROVISIONED);
        assertThat(pro.replacedPackage()).isEqualTo("starter");
        EntitlementsReport report = tally.entitlements("acme", T0);
        assertThat(report.packages()).extracting(PackageView::packageCode).containsExactly("pro");
        assertThat(tokens(report).limit()).isEqualTo(1000);
        assertThat(tokens(report).sources()).extracting(LimitSource::source, LimitSource::id)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(SourceKind.BASE_PACKAGE, "pro"));
        // The old base's grant no longer counts: 1000 fits, 1001 does not.
        assertThat(use("u1", 1000, T0).code()).isEqualTo(DecisionCode.OK);
        assertThat(use("u2", 1, T0).code()).isEqualTo(DecisionCode.QUOTA_EXCEEDED);
    }

    @Test
    void a_base_package_replaces_only_the_base_of_its_own_scope() {
        tally.decide(base("p1", "starter", 100), T0);
        UsageDecision namespaceBase = tally.decide(new ProvisionPackage("p2", "acme", "team-a", "team-plan", true,
                Map.of(TOKENS, FeatureGrant.metered(10, Period.MONTH, Enforcement.HARD))), T0);

        assertThat(namespaceBase.replacedPackage()).isNull();
        assertThat(tally.entitlements("acme", T0).packages()).extracting(PackageView::packageCode)
                .containsExactlyInAnyOrder("starter", "team-plan");
    }

    @Test
    void add_ons_stack_on_the_base_and_cancelling_one_takes_only_its_share_away() {
        tally.decide(base("p1", "pro", 1000), T0);
        tally.decide(addOn("p2", "extra-500", 500), T0);
        tally.decide(addOn("p3", "extra-250", 250), T0);

        assertThat(tokens(tally.entitlements("acme", T0)).limit()).isEqualTo(1750);
        assertThat(use("u1", 1750, T0).code()).isEqualTo(DecisionCode.OK);

        UsageDecision cancelled = tally.decide(new CancelPackage("c1", "acme", null, "extra-500"), T0);

        assertThat(cancelled.code()).isEqualTo(DecisionCode.PACKAGE_CANCELLED);
        assertThat(tokens(tally.entitlements("acme", T0)).limit()).isEqualTo(1250);
        // Cancelling takes nothing back: usage stays at 1750, above the new limit, and more is refused.
        UsageDecision over = use("u2", 1, T0);
        assertThat(over.code()).isEqualTo(DecisionCode.QUOTA_EXCEEDED);
        assertThat(over.used()).isEqualTo(1750);
        assertThat(over.remaining()).isZero();
    }

    @Test
    void provisioning_the_same_package_twice_changes_nothing_and_other_content_replaces_it() {
        UsageDecision first = tally.decide(addOn("p1", "extra", 500), T0);
        UsageDecision again = tally.decide(addOn("p2", "extra", 500), T0.plusSeconds(5));
        UsageDecision changed = tally.decide(addOn("p3", "extra", 700), T0.plusSeconds(10));

        assertThat(first.code()).isEqualTo(DecisionCode.PACKAGE_PROVISIONED);
        assertThat(again.code()).isEqualTo(DecisionCode.ALREADY_PROVISIONED);
        assertThat(again.provisioned().requestId()).isEqualTo("p1");
        assertThat(changed.code()).isEqualTo(DecisionCode.PACKAGE_PROVISIONED);
        assertThat(tokens(tally.entitlements("acme", T0.plusSeconds(10))).limit()).isEqualTo(700);
    }

    @Test
    void cancelling_a_package_that_is_not_active_is_not_found() {
        tally.decide(base("p1", "starter", 100), T0);
        tally.decide(base("p2", "pro", 1000), T0);

        UsageDecision replaced = tally.decide(new CancelPackage("c1", "acme", null, "starter"), T0);
        UsageDecision unknown = tally.decide(new CancelPackage("c2", "acme", null, "nope"), T0);

        assertThat(replaced.code()).isEqualTo(DecisionCode.PACKAGE_NOT_FOUND);
        assertThat(unknown.code()).isEqualTo(DecisionCode.PACKAGE_NOT_FOUND);
    }

    @Test
    void a_direct_limit_takes_the_base_packages_place_and_add_ons_still_add() {
        tally.decide(base("p1", "pro", 1000), T0);
        tally.decide(addOn("p2", "extra", 100), T0);
        tally.decide(new SetLimit("l1", "acme", null, TOKENS, 300L, Period.DAY, Enforcement.SOFT), T0);

        FeatureEntitlement tokens = tokens(tally.entitlements("acme", T0));

        assertThat(tokens.limit()).isEqualTo(400);
        assertThat(tokens.period()).isEqualTo(Period.DAY);
        assertThat(tokens.enforcement()).isEqualTo(Enforcement.SOFT);
        assertThat(tokens.sources()).extracting(LimitSource::source, LimitSource::counted).containsExactly(
                org.assertj.core.groups.Tuple.tuple(SourceKind.LIMIT, true),
                org.assertj.core.groups.Tuple.tuple(SourceKind.ADDON_PACKAGE, true),
                org.assertj.core.groups.Tuple.tuple(SourceKind.BASE_PACKAGE, false));
    }

    @Test
    void an_unlimited_grant_makes_the_feature_unlimited_and_a_flag_is_on_or_off() {
        tally.decide(base("p1", "pro", 10), T0);
        tally.decide(new ProvisionPackage("p2", "acme", null, "all-you-can-eat", false,
                Map.of(TOKENS, FeatureGrant.unlimitedPer(Period.MONTH),
                        "sso", FeatureGrant.flag(true),
                        "audit-log", FeatureGrant.flag(false))), T0);

        UsageDecision lots = use("u1", 1_000_000, T0);
        UsageDecision sso = tally.decide(new RecordUsage("u2", "acme", null, "sso", 1L, null), T0);
        UsageDecision audit = tally.decide(new RecordUsage("u3", "acme", null, "audit-log", 1L, null), T0);

        assertThat(lots.code()).isEqualTo(DecisionCode.OK);
        assertThat(lots.kind()).isEqualTo(FeatureKind.UNLIMITED);
        assertThat(lots.limit()).isNull();
        assertThat(lots.used()).isEqualTo(1_000_000);
        assertThat(sso.code()).isEqualTo(DecisionCode.OK);
        assertThat(sso.kind()).isEqualTo(FeatureKind.BOOLEAN);
        assertThat(audit.code()).isEqualTo(DecisionCode.FEATURE_DISABLED);
        EntitlementsReport report = tally.entitlements("acme", T0);
        assertThat(report.features()).filteredOn(f -> f.feature().equals("audit-log"))
                .singleElement().satisfies(f -> {
                    assertThat(f.kind()).isEqualTo(FeatureKind.BOOLEAN);
                    assertThat(f.enabled()).isFalse();
                });
    }

    @Test
    void a_boost_adds_to_the_limit_until_it_expires() {
        Instant expiry = T0.plus(Duration.ofHours(2));
        tally.decide(base("p1", "pro", 100), T0);
        UsageDecision added = tally.decide(boost("b1", "inv-1", 50, expiry), T0);

        assertThat(added.code()).isEqualTo(DecisionCode.BOOST_ADDED);
        assertThat(added.limit()).isEqualTo(150);
        assertThat(use("u1", 120, T0).code()).isEqualTo(DecisionCode.OK);
        assertThat(use("u2", 30, expiry.minusMillis(1)).code()).isEqualTo(DecisionCode.OK);
        // At its expiry the boost stops counting: the limit is 100 again and usage stands at 150.
        UsageDecision after = use("u3", 1, expiry);
        assertThat(after.code()).isEqualTo(DecisionCode.QUOTA_EXCEEDED);
        assertThat(after.limit()).isEqualTo(100);
        assertThat(tally.entitlements("acme", expiry).boosts()).isEmpty();
        assertThat(tally.entitlements("acme", expiry.minusMillis(1)).boosts()).hasSize(1);
    }

    @Test
    void a_boost_external_id_is_provisioned_once_and_the_second_names_the_first() {
        tally.decide(base("p1", "pro", 100), T0);
        tally.decide(boost("b1", "inv-1", 50, null), T0);

        UsageDecision second = tally.decide(boost("b2", "inv-1", 50, null), T0);
        UsageDecision retry = tally.decide(boost("b1", "inv-1", 50, null), T0);

        assertThat(second.code()).isEqualTo(DecisionCode.DUPLICATE_EXTERNAL_ID);
        assertThat(second.boost().requestId()).isEqualTo("b1");
        assertThat(second.message()).contains("b1");
        assertThat(retry.code()).isEqualTo(DecisionCode.BOOST_ADDED);
        assertThat(tokens(tally.entitlements("acme", T0)).limit()).isEqualTo(150);
    }

    @Test
    void an_expired_boosts_external_id_stays_taken() {
        tally.decide(boost("b1", "inv-1", 50, T0.plusSeconds(60)), T0);

        UsageDecision again = tally.decide(boost("b2", "inv-1", 50, null), T0.plusSeconds(120));

        assertThat(again.code()).isEqualTo(DecisionCode.DUPLICATE_EXTERNAL_ID);
    }

    @Test
    void a_boost_that_expires_before_the_request_is_invalid() {
        UsageDecision late = tally.decide(boost("b1", "inv-1", 50, T0), T0);

        assertThat(late.code()).isEqualTo(DecisionCode.INVALID_REQUEST);
        assertThat(late.errors()).extracting(e -> e.field()).containsExactly("expiresAt");
    }

    @Test
    void boosts_alone_limit_a_feature_over_its_lifetime() {
        tally.decide(boost("b1", "trial", 20, null), T0);

        assertThat(use("u1", 20, T0).code()).isEqualTo(DecisionCode.OK);
        UsageDecision over = use("u2", 1, T0.plus(Duration.ofDays(60)));
        assertThat(over.code()).isEqualTo(DecisionCode.QUOTA_EXCEEDED);
        assertThat(over.period()).isEqualTo(Period.LIFETIME);
    }

    @Test
    void provisioning_decisions_go_to_the_decisions_topic_with_the_package() {
        tally.publish(base("p1", "starter", 100), T0);
        tally.publish(base("p2", "pro", 1000), T0);

        var decisions = tally.drainDecisions();

        assertThat(decisions).extracting(UsageDecision::type).containsExactly("provision-package",
                "provision-package");
        assertThat(decisions.get(1).provisioned().packageCode()).isEqualTo("pro");
        assertThat(decisions.get(1).replacedPackage()).isEqualTo("starter");
    }

    @Test
    void replacing_a_base_package_counts_usage_like_changing_a_direct_limit() {
        Instant oct18 = Instant.parse("2026-10-18T10:00:00Z");
        tally.decide(new ProvisionPackage("p1", "acme", null, "daily", true,
                Map.of(TOKENS, FeatureGrant.metered(100, Period.DAY, Enforcement.HARD))), oct18);
        assertThat(use("u1", 100, oct18).code()).isEqualTo(DecisionCode.OK);
        tally.decide(new ProvisionPackage("p2", "acme", null, "monthly", true,
                Map.of(TOKENS, FeatureGrant.metered(150, Period.MONTH, Enforcement.HARD))), oct18.plusSeconds(3600));

        UsageDecision nextDay = use("u2", 100, Instant.parse("2026-10-19T10:00:00Z"));

        // The day's 100 were carried into the month when the monthly plan replaced the daily one
        assertThat(nextDay.code()).isEqualTo(DecisionCode.QUOTA_EXCEEDED);
        assertThat(nextDay.used()).isEqualTo(100);
        assertThat(nextDay.limit()).isEqualTo(150);
    }

    @Test
    void an_unlimited_add_on_counts_per_its_own_period() {
        tally.decide(new ProvisionPackage("p1", "acme", null, "pro", true,
                Map.of(TOKENS, FeatureGrant.metered(100, Period.DAY, Enforcement.HARD))), T0);
        tally.decide(new ProvisionPackage("p2", "acme", null, "unlimited", false,
                Map.of(TOKENS, FeatureGrant.unlimitedPer(Period.MONTH))), T0);

        UsageDecision used = use("u1", 500, T0);

        assertThat(used.kind()).isEqualTo(FeatureKind.UNLIMITED);
        assertThat(used.period()).isEqualTo(Period.MONTH);
    }

    @Test
    void a_boost_expiring_past_year_9999_is_invalid_not_a_stalled_partition() {
        UsageDecision far = tally.decide(boost("b1", "inv-1", 10, Instant.parse("+300000000-01-01T00:00:00Z")), T0);
        UsageDecision next = tally.decide(boost("b2", "inv-2", 10, null), T0);

        assertThat(far.code()).isEqualTo(DecisionCode.INVALID_REQUEST);
        assertThat(far.errors()).extracting(e -> e.field()).containsExactly("expiresAt");
        assertThat(next.code()).isEqualTo(DecisionCode.BOOST_ADDED);
    }

    @Test
    void a_namespace_package_is_cancelled_in_its_namespace_only() {
        tally.decide(new ProvisionPackage("p1", "acme", "team-a", "team", true,
                Map.of(TOKENS, FeatureGrant.metered(50, Period.MONTH, Enforcement.HARD))), T0);

        UsageDecision inWorkspace = tally.decide(new CancelPackage("c1", "acme", null, "team"), T0);
        UsageDecision inNamespace = tally.decide(new CancelPackage("c2", "acme", "team-a", "team"), T0);

        assertThat(inWorkspace.code()).isEqualTo(DecisionCode.PACKAGE_NOT_FOUND);
        assertThat(inNamespace.code()).isEqualTo(DecisionCode.PACKAGE_CANCELLED);
        assertThat(tally.entitlements("acme", T0).packages()).isEmpty();
        // The namespace's counters stay, with nothing to limit them: the feature fails closed there
        UsageDecision after = tally.decide(new RecordUsage("u1", "acme", "team-a", TOKENS, 1L, null), T0);
        assertThat(after.code()).isEqualTo(DecisionCode.NO_LIMIT_DEFINED);
    }

    @Test
    void sources_the_rule_does_not_use_are_listed_as_not_counted() {
        tally.decide(new ProvisionPackage("p1", "acme", null, "pro", true,
                Map.of(TOKENS, FeatureGrant.flag(true))), T0);
        tally.decide(boost("b1", "inv-1", 500, null), T0);

        FeatureEntitlement tokens = tokens(tally.entitlements("acme", T0));

        assertThat(tokens.kind()).isEqualTo(FeatureKind.BOOLEAN);
        assertThat(tokens.sources()).extracting(LimitSource::source, LimitSource::counted).containsExactly(
                org.assertj.core.groups.Tuple.tuple(SourceKind.BASE_PACKAGE, true),
                org.assertj.core.groups.Tuple.tuple(SourceKind.BOOST, false));
    }
}
