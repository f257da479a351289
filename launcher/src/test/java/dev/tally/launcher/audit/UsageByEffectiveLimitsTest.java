package dev.tally.launcher.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * I1 against the audit's own model of the effective-limit rule, on hand-made decision logs. The clean logs put
 * their decisions on the rule's edges (an amount that fills the limit exactly, then one more unit refused), so
 * a model that got the limit wrong either way would report one of them.
 */
class UsageByEffectiveLimitsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NOVEMBER = "2026-11-01T00:00:00Z";
    private final UsageByEffectiveLimits check = new UsageByEffectiveLimits();
    private long offset;

    /** What a decision reports of its binding scope. */
    private record Figures(String scope, String kind, Long limit, String period, String periodStart, long used,
                           long reserved) {

        Figures in(String otherScope) {
            return new Figures(otherScope, kind, limit, period, periodStart, used, reserved);
        }

        Figures per(String otherPeriod, String otherStart) {
            return new Figures(scope, kind, limit, otherPeriod, otherStart, used, reserved);
        }

        void into(ObjectNode decision) {
            decision.put("scope", scope).put("used", used).put("reserved", reserved);
            if (limit != null) {
                decision.put("limit", limit).put("remaining", Math.max(0, limit - used - reserved));
            }
            decision.put("kind", kind).put("period", period);
            if (limit != null) {
                decision.put("enforcement", "HARD");
            }
            if (periodStart != null) {
                decision.put("periodStart", periodStart);
            }
        }
    }

    /** A HARD monthly limit in the workspace scope, in November 2026. */
    private static Figures metered(long limit, long used, long reserved) {
        return new Figures("workspace", "METERED", limit, "MONTH", NOVEMBER, used, reserved);
    }

    private static Figures unlimited(long used) {
        return new Figures("workspace", "UNLIMITED", null, "MONTH", NOVEMBER, used, 0);
    }

    private static Figures flag(long used) {
        return new Figures("workspace", "BOOLEAN", null, "MONTH", NOVEMBER, used, 0);
    }

    private static long at(String dayAndTime) {
        return Instant.parse("2026-11-" + dayAndTime + ":00Z").toEpochMilli();
    }

    /** A JSON object of the given fields; null values are left out, as the engine leaves them out. */
    private static ObjectNode fields(Object... namesAndValues) {
        ObjectNode node = JSON.createObjectNode();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                node.set((String) namesAndValues[i], JSON.valueToTree(namesAndValues[i + 1]));
            }
        }
        return node;
    }

    private LoggedRecord decision(long atMs, ObjectNode body) {
        body.put("decidedAt", Instant.ofEpochMilli(atMs).toString());
        return new LoggedRecord("t.usage.decisions", 0, offset++, body.path("workspace").asText(), atMs, Map.of(),
                body);
    }

    private static String outcome(String code) {
        return List.of("OK", "SOFT_LIMIT_EXCEEDED", "RESERVED", "RESERVATION_COMMITTED", "RESERVATION_RELEASED")
                .contains(code) ? "ACCEPTED" : "REJECTED";
    }

    // Sources

    private static JsonNode meteredGrant(long limit, String period) {
        return fields("limit", limit, "period", period, "enforcement", "HARD");
    }

    private static JsonNode unlimitedGrant(String period) {
        return fields("unlimited", true, "period", period);
    }

    private static JsonNode flagGrant(boolean enabled) {
        return fields("enabled", enabled);
    }

    private LoggedRecord provisioned(long atMs, String code, boolean base, String replaced, Object... grants) {
        ObjectNode pkg = fields("packageCode", code, "base", base, "features", fields(grants),
                "provisionedAt", Instant.ofEpochMilli(atMs).toString(), "requestId", "pkg-" + offset);
        return decision(atMs, fields("requestId", "pkg-" + offset, "type", "provision-package", "outcome", "ACCEPTED",
                "code", "PACKAGE_PROVISIONED", "workspace", "acme", "provisioned", pkg, "replacedPackage", replaced));
    }

    private LoggedRecord cancelled(long atMs, String code, boolean base, Object... grants) {
        ObjectNode pkg = fields("packageCode", code, "base", base, "features", fields(grants));
        return decision(atMs, fields("requestId", "cancel-" + offset, "type", "cancel-package", "outcome",
                "ACCEPTED", "code", "PACKAGE_CANCELLED", "workspace", "acme", "provisioned", pkg));
    }

    private LoggedRecord boostAdded(long atMs, String feature, long amount, String expiresAt) {
        ObjectNode boost = fields("externalId", "inv-" + offset, "feature", feature, "amount", amount,
                "expiresAt", expiresAt);
        return decision(atMs, fields("requestId", "boost-" + offset, "type", "add-boost", "outcome", "ACCEPTED",
                "code", "BOOST_ADDED", "workspace", "acme", "feature", feature, "amount", amount, "boost", boost));
    }

    /** A direct limit; the decision reports the feature's figures after it, not the limit asked for. */
    private LoggedRecord limitSet(long atMs, String namespace, Figures after) {
        ObjectNode body = fields("requestId", "limit-" + offset, "type", "set-limit", "outcome", "ACCEPTED",
                "code", "LIMIT_SET", "workspace", "acme", "namespace", namespace, "feature", "ai.tokens");
        after.into(body);
        return decision(atMs, body);
    }

    // Usage and reservations

    private LoggedRecord usage(long atMs, String feature, long amount, String code, Figures figures) {
        return usageIn(atMs, null, feature, amount, code, figures);
    }

    private LoggedRecord usageIn(long atMs, String namespace, String feature, long amount, String code,
                                 Figures figures) {
        ObjectNode body = fields("requestId", "use-" + offset, "type", "record-usage", "outcome", outcome(code),
                "code", code, "workspace", "acme", "namespace", namespace, "feature", feature, "amount", amount);
        if (figures != null) {
            figures.into(body);
        }
        return decision(atMs, body);
    }

    private static ObjectNode reservation(String id, long amount, String status) {
        return fields("reservationId", id, "feature", "ai.tokens", "amount", amount,
                "expiresAt", "2026-11-23T23:00:00Z", "status", status);
    }

    private LoggedRecord reserve(long atMs, String id, long amount, String code, Figures figures) {
        ObjectNode body = fields("requestId", id, "type", "reserve", "outcome", outcome(code), "code", code,
                "workspace", "acme", "feature", "ai.tokens", "amount", amount);
        figures.into(body);
        if (code.equals("RESERVED")) {
            body.set("reservation", reservation(id, amount, "LIVE"));
        }
        return decision(atMs, body);
    }

    private LoggedRecord commit(long atMs, String id, long reserved, long amount, String code, Figures figures) {
        ObjectNode body = fields("requestId", "commit-" + offset, "type", "commit-reservation", "outcome",
                outcome(code), "code", code, "workspace", "acme", "feature", "ai.tokens", "amount", amount);
        figures.into(body);
        ObjectNode view = reservation(id, reserved, code.equals("RESERVATION_COMMITTED") ? "COMMITTED" : "LIVE");
        if (code.equals("RESERVATION_COMMITTED")) {
            view.put("committed", amount);
        }
        body.set("reservation", view);
        return decision(atMs, body);
    }

    private LoggedRecord released(long atMs, String id, long reserved, Figures figures) {
        ObjectNode body = fields("requestId", "release-" + offset, "type", "release-reservation", "outcome",
                "ACCEPTED", "code", "RESERVATION_RELEASED", "workspace", "acme", "feature", "ai.tokens",
                "reservation", reservation(id, reserved, "RELEASED"));
        figures.into(body);
        return decision(atMs, body);
    }

    private LoggedRecord expired(long atMs, String id, long reserved) {
        return decision(atMs, fields("type", "reservation-expired", "outcome", "ACCEPTED", "code",
                "RESERVATION_LAPSED", "workspace", "acme", "feature", "ai.tokens",
                "reservation", reservation(id, reserved, "EXPIRED")));
    }

    private void replay(LoggedRecord... records) {
        for (LoggedRecord record : records) {
            check.accept(record);
        }
    }

    private List<List<String>> violationPositions() {
        return check.violations().stream().map(Violation::positions).toList();
    }

    // The rule

    @Test
    void aBasePackageGrantsItsMeteredLimit() {
        replay(provisioned(at("23T10:00"), "starter", true, null, "ai.tokens", meteredGrant(1000, "MONTH")),
                usage(at("23T10:01"), "ai.tokens", 600, "OK", metered(1000, 600, 0)),
                usage(at("23T10:02"), "ai.tokens", 401, "QUOTA_EXCEEDED", metered(1000, 600, 0)),
                usage(at("23T10:03"), "ai.tokens", 400, "OK", metered(1000, 1000, 0)));
        LoggedRecord pastTheBase = usage(at("23T10:04"), "ai.tokens", 1, "OK", metered(1000, 1001, 0));
        check.accept(pastTheBase);

        assertThat(violationPositions()).containsExactly(List.of(pastTheBase.position()));
        assertThat(check.violations().get(0).what()).contains("accepted past the limit");
        assertThat(check.summary()).contains(": 4 usage records");
    }

    @Test
    void addOnsStackAndAPackageReprovisionedOrCancelledChangesTheLimit() {
        replay(provisioned(at("23T10:00"), "starter", true, null, "ai.tokens", meteredGrant(1000, "MONTH")),
                provisioned(at("23T10:00"), "tokens-5k", false, null, "ai.tokens", meteredGrant(5000, "MONTH")),
                provisioned(at("23T10:00"), "tokens-2k", false, null, "ai.tokens", meteredGrant(2000, "MONTH")),
                usage(at("23T10:01"), "ai.tokens", 8000, "OK", metered(8000, 8000, 0)),
                usage(at("23T10:02"), "ai.tokens", 1, "QUOTA_EXCEEDED", metered(8000, 8000, 0)),
                // Its new content replaces the old one: 1000 + 5000 + 3000, not + 2000 + 3000.
                provisioned(at("23T10:03"), "tokens-2k", false, null, "ai.tokens", meteredGrant(3000, "MONTH")),
                usage(at("23T10:04"), "ai.tokens", 1000, "OK", metered(9000, 9000, 0)),
                usage(at("23T10:05"), "ai.tokens", 1, "QUOTA_EXCEEDED", metered(9000, 9000, 0)),
                // Usage stands above the new limit after a cancel.
                cancelled(at("23T10:06"), "tokens-5k", false, "ai.tokens", meteredGrant(5000, "MONTH")),
                usage(at("23T10:07"), "ai.tokens", 1, "QUOTA_EXCEEDED", metered(4000, 9000, 0)),
                // New content without the feature takes the package's grant of it away.
                provisioned(at("23T10:08"), "tokens-2k", false, null, "ai.images", meteredGrant(10, "MONTH")),
                usage(at("23T10:09"), "ai.tokens", 1, "QUOTA_EXCEEDED", metered(1000, 9000, 0)));

        assertThat(check.violations()).isEmpty();
        assertThat(check.summary()).contains(": 6 usage records");
    }

    @Test
    void aDirectLimitTakesTheBasePackagesPlaceAndKeepsItWhenTheBaseIsReplaced() {
        replay(provisioned(at("23T10:00"), "starter", true, null, "ai.tokens", meteredGrant(1000, "MONTH")),
                provisioned(at("23T10:00"), "extra", false, null, "ai.tokens", meteredGrant(500, "MONTH")),
                // 200 set directly, plus the add-on: the base package no longer counts
                limitSet(at("23T10:01"), null, metered(700, 0, 0)),
                usage(at("23T10:02"), "ai.tokens", 700, "OK", metered(700, 700, 0)),
                provisioned(at("23T10:03"), "pro", true, "starter", "ai.tokens", meteredGrant(10000, "MONTH")),
                usage(at("23T10:04"), "ai.tokens", 1, "QUOTA_EXCEEDED", metered(700, 700, 0)));

        assertThat(check.violations()).isEmpty();
        assertThat(check.summary()).contains(": 2 usage records", "checked, 0 workspaces left");
    }

    @Test
    void anUnlimitedGrantTakesAnyAmountAndKeepsCounting() {
        replay(provisioned(at("23T10:00"), "starter", true, null, "ai.tokens", meteredGrant(100, "MONTH")),
                provisioned(at("23T10:00"), "all-you-can-eat", false, null, "ai.tokens", unlimitedGrant("MONTH")),
                usage(at("23T10:01"), "ai.tokens", 5000, "OK", unlimited(5000)));
        LoggedRecord refusedThoughUnlimited = usage(at("23T10:02"), "ai.tokens", 1, "QUOTA_EXCEEDED",
                unlimited(5000));
        check.accept(refusedThoughUnlimited);
        replay(cancelled(at("23T10:03"), "all-you-can-eat", false, "ai.tokens", unlimitedGrant("MONTH")),
                usage(at("23T10:04"), "ai.tokens", 1, "QUOTA_EXCEEDED", metered(100, 5000, 0)));

        assertThat(violationPositions()).containsExactly(List.of(refusedThoughUnlimited.position()));
        assertThat(check.violations().get(0).what()).contains("though it fit");
    }

    @Test
    void aFlagIsEnabledIfAnyGrantEnablesItAndRefusesEverythingOtherwise() {
        replay(provisioned(at("23T10:00"), "starter", true, null, "sso", flagGrant(false)),
                usage(at("23T10:01"), "sso", 1, "FEATURE_DISABLED", flag(0)),
                provisioned(at("23T10:02"), "sso-addon", false, null, "sso", flagGrant(true)),
                usage(at("23T10:03"), "sso", 3, "OK", flag(3)),
                cancelled(at("23T10:04"), "sso-addon", false, "sso", flagGrant(true)));
        LoggedRecord acceptedWhileDisabled = usage(at("23T10:05"), "sso", 1, "OK", flag(4));
        check.accept(acceptedWhileDisabled);

        assertThat(violationPositions()).containsExactly(List.of(acceptedWhileDisabled.position()));
        assertThat(check.violations().get(0).what()).contains("FEATURE_DISABLED");
    }

    @Test
    void aBoostCountsUpToItsExpiryAndBoostsAloneMakeALifetimeLimit() {
        replay(provisioned(at("23T10:00"), "starter", true, null, "ai.tokens", meteredGrant(100, "MONTH")),
                boostAdded(at("23T10:00"), "ai.tokens", 50, "2026-11-23T12:00:00Z"),
                usage(at("23T11:59"), "ai.tokens", 150, "OK", metered(150, 150, 0)),
                // At its expiresAt it no longer counts.
                usage(at("23T12:00"), "ai.tokens", 1, "QUOTA_EXCEEDED", metered(100, 150, 0)),
                boostAdded(at("23T12:00"), "ai.images", 10, null),
                usage(at("23T12:01"), "ai.images", 10, "OK",
                        metered(10, 10, 0).per("LIFETIME", null)),
                usage(at("23T12:02"), "ai.images", 1, "QUOTA_EXCEEDED",
                        metered(10, 10, 0).per("LIFETIME", null)));
        LoggedRecord countsAnExpiredBoost = usage(at("23T12:30"), "ai.tokens", 1, "OK", metered(150, 151, 0));
        check.accept(countsAnExpiredBoost);

        assertThat(violationPositions()).containsExactly(List.of(countsAnExpiredBoost.position()));
    }

    @Test
    void aNamespaceRequestMustFitItsNamespaceAndItsWorkspace() {
        replay(limitSet(at("23T10:00"), null, metered(1000, 0, 0)),
                limitSet(at("23T10:00"), "team-a", metered(300, 0, 0).in("namespace:team-a")),
                usageIn(at("23T10:01"), "team-a", "ai.tokens", 200, "OK",
                        metered(300, 200, 0).in("namespace:team-a")),
                // The workspace counts the namespace's 200 too.
                usage(at("23T10:02"), "ai.tokens", 750, "OK", metered(1000, 950, 0)),
                // 100 left in the namespace, 50 in the workspace: the workspace refuses, and binds.
                usageIn(at("23T10:03"), "team-a", "ai.tokens", 60, "QUOTA_EXCEEDED", metered(1000, 950, 0)),
                usageIn(at("23T10:04"), "team-a", "ai.tokens", 50, "OK", metered(1000, 1000, 0)),
                // A namespace with no limit of its own counts in the workspace only.
                usageIn(at("23T10:05"), "team-b", "ai.tokens", 1, "QUOTA_EXCEEDED", metered(1000, 1000, 0)));

        assertThat(check.violations()).isEmpty();
        assertThat(check.summary()).contains(": 5 usage records");
    }

    @Test
    void aReservationCountsAgainstTheLimitUntilItsExpiryEvent() {
        replay(provisioned(at("23T10:00"), "starter", true, null, "ai.tokens", meteredGrant(1000, "MONTH")),
                reserve(at("23T10:01"), "r-1", 600, "RESERVED", metered(1000, 0, 600)),
                usage(at("23T10:02"), "ai.tokens", 401, "QUOTA_EXCEEDED", metered(1000, 0, 600)),
                usage(at("23T10:03"), "ai.tokens", 400, "OK", metered(1000, 400, 600)),
                expired(at("23T10:04"), "r-1", 600),
                usage(at("23T10:05"), "ai.tokens", 600, "OK", metered(1000, 1000, 0)));
        LoggedRecord reservedPastTheLimit = reserve(at("23T10:06"), "r-2", 1, "RESERVED", metered(1000, 1000, 1));
        check.accept(reservedPastTheLimit);

        assertThat(violationPositions()).containsExactly(List.of(reservedPastTheLimit.position()));
        assertThat(check.summary()).contains("3 usage records, 2 reservations");
    }

    @Test
    void aCommitChargesItsAmountAndOnlyTheExtraBeyondTheReservationMustFit() {
        replay(provisioned(at("23T10:00"), "starter", true, null, "ai.tokens", meteredGrant(1000, "MONTH")),
                reserve(at("23T10:01"), "r-1", 600, "RESERVED", metered(1000, 0, 600)),
                commit(at("23T10:02"), "r-1", 600, 700, "RESERVATION_COMMITTED", metered(1000, 700, 0)),
                reserve(at("23T10:03"), "r-2", 300, "RESERVED", metered(1000, 700, 300)),
                // 100 beyond the 300 reserved does not fit: refused, the reservation stays live.
                commit(at("23T10:04"), "r-2", 300, 400, "QUOTA_EXCEEDED", metered(1000, 700, 300)),
                usage(at("23T10:05"), "ai.tokens", 1, "QUOTA_EXCEEDED", metered(1000, 700, 300)),
                released(at("23T10:06"), "r-2", 300, metered(1000, 700, 0)),
                usage(at("23T10:07"), "ai.tokens", 300, "OK", metered(1000, 1000, 0)));

        assertThat(check.violations()).isEmpty();
        assertThat(check.summary()).contains("2 usage records, 2 reservations and 2 commits checked");
    }

    @Test
    void aChangeOfPeriodKindCarriesTheUsageIntoTheNewKindsWindow() {
        replay(provisioned(at("23T10:00"), "daily", true, null, "ai.tokens", meteredGrant(100, "DAY")),
                usage(at("23T10:30"), "ai.tokens", 60, "OK",
                        metered(100, 60, 0).per("DAY", "2026-11-23T00:00:00Z")),
                provisioned(at("23T11:00"), "monthly", true, "daily", "ai.tokens", meteredGrant(100, "MONTH")),
                // The day's 60 are November's now: 50 more do not fit.
                usage(at("23T12:00"), "ai.tokens", 50, "QUOTA_EXCEEDED", metered(100, 60, 0)),
                // and a new day does not start them again.
                usage(at("24T09:00"), "ai.tokens", 40, "OK", metered(100, 100, 0)));

        assertThat(check.violations()).isEmpty();
        assertThat(check.summary()).contains(": 3 usage records");
    }

    @Test
    void aSoftLimitAcceptsPastItAndSaysSo() {
        replay(provisioned(at("23T10:00"), "starter", true, null, "ai.tokens",
                fields("limit", 100, "period", "MONTH", "enforcement", "SOFT")));
        LoggedRecord pastSoft = usage(at("23T10:01"), "ai.tokens", 150, "SOFT_LIMIT_EXCEEDED", metered(100, 150, 0));
        ((ObjectNode) pastSoft.body()).put("enforcement", "SOFT").put("overage", 50);
        check.accept(pastSoft);

        assertThat(check.violations()).isEmpty();
        assertThat(check.summary()).contains(": 1 usage records");
    }

    // Violations

    @Test
    void aDecisionAcceptedPastTheModelsLimitIsReported() {
        replay(provisioned(at("23T10:00"), "starter", true, null, "ai.tokens", meteredGrant(1000, "MONTH")),
                usage(at("23T10:01"), "ai.tokens", 900, "OK", metered(1000, 900, 0)));
        // Its own figures look fine (1100 of 2000): only the model knows the limit is 1000.
        LoggedRecord pastTheLimit = usage(at("23T10:02"), "ai.tokens", 200, "OK", metered(2000, 1100, 0));
        check.accept(pastTheLimit);

        assertThat(check.violations()).singleElement().satisfies(violation -> {
            assertThat(violation.positions()).containsExactly(pastTheLimit.position());
            assertThat(violation.what()).contains("accepted past the limit", "900 used + 0 reserved of 1000");
        });
    }

    @Test
    void aDecisionRefusedThoughItFitIsReported() {
        replay(provisioned(at("23T10:00"), "starter", true, null, "ai.tokens", meteredGrant(1000, "MONTH")),
                provisioned(at("23T10:00"), "tokens-500", false, null, "ai.tokens", meteredGrant(500, "MONTH")));
        // Refused as if the add-on did not count.
        LoggedRecord refused = usage(at("23T10:01"), "ai.tokens", 1200, "QUOTA_EXCEEDED", metered(1000, 0, 0));
        check.accept(refused);
        // Refused, it was not charged: 1500 still fit.
        check.accept(usage(at("23T10:02"), "ai.tokens", 1500, "OK", metered(1500, 1500, 0)));

        assertThat(check.violations()).singleElement().satisfies(violation -> {
            assertThat(violation.positions()).containsExactly(refused.position());
            assertThat(violation.what()).contains("refused (QUOTA_EXCEEDED) though it fit");
        });
    }

    @Test
    void aMisreportedLimitIsReported() {
        replay(provisioned(at("23T10:00"), "starter", true, null, "ai.tokens", meteredGrant(1000, "MONTH")),
                boostAdded(at("23T10:00"), "ai.tokens", 500, "2026-11-23T11:00:00Z"));
        // Accepted rightly (100 fits either way), but the boost had expired: the limit is 1000, not 1500.
        LoggedRecord misreported = usage(at("23T11:30"), "ai.tokens", 100, "OK", metered(1500, 100, 0));
        check.accept(misreported);

        assertThat(check.violations()).singleElement().satisfies(violation -> {
            assertThat(violation.positions()).containsExactly(misreported.position());
            assertThat(violation.what()).contains("limit 1500 (the model 1000)");
        });
    }

    @Test
    void aReservationEndedTwiceIsReportedAndTheWorkspaceLeavesTheModel() {
        replay(provisioned(at("23T10:00"), "starter", true, null, "ai.tokens", meteredGrant(1000, "MONTH")),
                reserve(at("23T10:01"), "r-1", 600, "RESERVED", metered(1000, 0, 600)),
                expired(at("23T10:02"), "r-1", 600));
        LoggedRecord committedAfterItsExpiry = commit(at("23T10:03"), "r-1", 600, 600, "RESERVATION_COMMITTED",
                metered(1000, 600, 0));
        check.accept(committedAfterItsExpiry);
        check.accept(usage(at("23T10:04"), "ai.tokens", 5000, "OK", metered(9000, 5600, 0)));

        assertThat(violationPositions()).containsExactly(List.of(committedAfterItsExpiry.position()));
        assertThat(check.summary()).contains("checked, 1 workspaces left", "contradicts the model");
    }

    @Test
    void aDirectLimitHiddenByAnUnlimitedAddOnLeavesTheModelOnceItIsNeeded() {
        replay(provisioned(at("23T10:00"), "all-you-can-eat", false, null, "ai.tokens", unlimitedGrant("MONTH")),
                limitSet(at("23T10:01"), null, unlimited(0)),
                usage(at("23T10:02"), "ai.tokens", 5000, "OK", unlimited(5000)),
                cancelled(at("23T10:03"), "all-you-can-eat", false, "ai.tokens", unlimitedGrant("MONTH")),
                usage(at("23T10:04"), "ai.tokens", 1, "OK", metered(10, 5001, 0)));

        assertThat(check.violations()).isEmpty();
        assertThat(check.summary()).contains(": 1 usage records", "checked, 1 workspaces left", "unlimited add-on");
    }

    // A real log

    /**
     * The README's sessions as the engine wrote them: {@code acme}'s direct and namespace limits, and
     * {@code globex}'s packages, add-on, boost, reservations, expiry and flag. {@code …} stands for the README's
     * elided figures; the lines its kcat command cut at 400 characters are completed from its other figures.
     */
    private static final String README_SESSION = """
            {"requestId":"624861a8-bb6a-4110-8963-87d65ee7ef18","type":"set-limit","outcome":"ACCEPTED","code":"LIMIT_SET","message":"limit set","workspace":"acme","feature":"ai.tokens","scope":"workspace","used":0,"reserved":0,"limit":1000,"remaining":1000,…,"decidedAt":"2026-11-23T19:27:12.392Z"}
            {"requestId":"a3feba43-5c7e-4a3d-8da9-c4f98321a6c4","type":"set-limit","outcome":"ACCEPTED","code":"LIMIT_SET","message":"limit set","workspace":"acme","namespace":"team-a","feature":"ai.tokens","scope":"namespace:team-a","used":0,"reserved":0,"limit":300,"remaining":300,…,"decidedAt":"2026-11-23T19:27:15.746Z"}
            {"requestId":"req-1","type":"record-usage","outcome":"ACCEPTED","code":"OK","message":"recorded","workspace":"acme","namespace":"team-a","feature":"ai.tokens","amount":200,"scope":"namespace:team-a","used":200,"reserved":0,"limit":300,"remaining":100,…,"decidedAt":"2026-11-23T19:27:16.031Z"}
            {"requestId":"10b33f5f-c3ed-44db-8cfa-56b33d9eced0","type":"record-usage","outcome":"ACCEPTED","code":"OK","message":"would be accepted","workspace":"acme","namespace":"team-a","feature":"ai.tokens","amount":100,"dryRun":true,"scope":"namespace:team-a","used":200,"reserved":0,"limit":300,"remaining":100,…,"decidedAt":"2026-11-23T19:27:16.263Z"}
            {"requestId":"req-2","type":"record-usage","outcome":"REJECTED","code":"QUOTA_EXCEEDED","message":"150 does not fit: 100 of 300 left in namespace:team-a","workspace":"acme","namespace":"team-a","feature":"ai.tokens","amount":150,"scope":"namespace:team-a","used":200,"reserved":0,"limit":300,"remaining":100,…,"decidedAt":"2026-11-23T19:27:16.429Z"}
            {"requestId":"a03c8c87-6cd1-4766-8d19-7b5025deac0e","type":"record-usage","outcome":"REJECTED","code":"NO_LIMIT_DEFINED","message":"no limit is defined for feature 'ai.images'","workspace":"acme","feature":"ai.images","amount":1,"decidedAt":"2026-11-23T19:27:16.820Z"}
            {"requestId":"k-1","type":"set-limit","outcome":"ACCEPTED","code":"LIMIT_SET","message":"limit set","workspace":"acme","feature":"api.calls","scope":"workspace","used":0,"reserved":0,"limit":5,"remaining":5,‥,"decidedAt":"2026-11-23T19:27:17.224Z"}
            {"requestId":"k-2","type":"record-usage","outcome":"ACCEPTED","code":"OK","message":"recorded","workspace":"acme","feature":"api.calls","amount":3,"scope":"workspace","used":3,"reserved":0,"limit":5,"remaining":2,‥,"decidedAt":"2026-11-23T19:27:17.224Z"}
            {"requestId":"k-3","type":"record-usage","outcome":"REJECTED","code":"QUOTA_EXCEEDED","message":"3 does not fit: 2 of 5 left in workspace","workspace":"acme","feature":"api.calls","amount":3,"scope":"workspace","used":3,"reserved":0,"limit":5,"remaining":2,‥,"decidedAt":"2026-11-23T19:27:17.224Z"}
            {"requestId":"k-4","type":"record-usage","outcome":"REJECTED","code":"INVALID_REQUEST","message":"invalid request: 1 field(s) at fault","workspace":"acme","feature":"api.calls","amount":0,"errors":[{"field":"amount","reason":"must be between 1 and 1000000000000000"}],"decidedAt":"2026-11-23T19:27:17.224Z"}
            {"requestId":"k-5","type":"record-usage","outcome":"ACCEPTED","code":"OK","message":"recorded","workspace":"acme","feature":"api.calls","amount":1,"scope":"workspace","used":4,"reserved":0,"limit":5,"remaining":1,‥,"decidedAt":"2026-11-23T19:27:22.385Z"}
            {"requestId":"pkg-1","type":"provision-package","outcome":"ACCEPTED","code":"PACKAGE_PROVISIONED","message":"package 'starter' provisioned","workspace":"globex","provisioned":{"packageCode":"starter","base":true,"features":{"ai.tokens":{"limit":1000,"period":"MONTH","enforcement":"HARD"},"sso":{"enabled":false}},"provisionedAt":"2026-11-23T19:27:27.595Z","requestId":"pkg-1"},"decidedAt":"2026-11-23T19:27:27.595Z"}
            {"requestId":"pkg-2","type":"provision-package","outcome":"ACCEPTED","code":"PACKAGE_PROVISIONED","message":"package 'pro' provisioned; base package 'starter' cancelled","workspace":"globex","provisioned":{"packageCode":"pro","base":true,"features":{"ai.tokens":{"limit":10000,"period":"MONTH","enforcement":"HARD"},"sso":{"enabled":true}},"provisionedAt":"2026-11-23T19:27:27.708Z","requestId":"pkg-2"},"replacedPackage":"starter","decidedAt":"2026-11-23T19:27:27.708Z"}
            {"requestId":"fcce9581-86d3-4243-95a6-42833d2bc0af","type":"provision-package","outcome":"ACCEPTED","code":"PACKAGE_PROVISIONED","message":"package 'tokens-5k' provisioned","workspace":"globex","provisioned":{"packageCode":"tokens-5k","base":false,"features":{"ai.tokens":{"limit":5000,"period":"MONTH","enforcement":"HARD"}},"provisionedAt":"2026-11-23T19:27:27.802Z","requestId":"fcce9581-86d3-4243-95a6-42833d2bc0af"},"decidedAt":"2026-11-23T19:27:27.802Z"}
            {"requestId":"boost-1","type":"add-boost","outcome":"ACCEPTED","code":"BOOST_ADDED","message":"boost of 2500 added","workspace":"globex","feature":"ai.tokens","amount":2500,"scope":"workspace","used":0,"reserved":0,"limit":17500,"remaining":17500,…,"boost":{"externalId":"inv-2026-0042","feature":"ai.tokens","amount":2500,"expiresAt":"2099-12-31T00:00:00Z","provisionedAt":"2026-11-23T19:27:27.885Z","requestId":"boost-1"},"decidedAt":"2026-11-23T19:27:27.885Z"}
            {"requestId":"0a2cb69a-806c-4cf0-a382-7eadcd4c187f","type":"add-boost","outcome":"REJECTED","code":"DUPLICATE_EXTERNAL_ID","message":"externalId 'inv-2026-0042' was provisioned by request 'boost-1'; a boost is provisioned once","workspace":"globex","feature":"ai.tokens","amount":2500,"boost":{"externalId":"inv-2026-0042","feature":"ai.tokens","amount":2500,"expiresAt":"2099-12-31T00:00:00Z","provisionedAt":"2026-11-23T19:27:27.885Z","requestId":"boost-1"},"decidedAt":"2026-11-23T19:27:27.986Z"}
            {"requestId":"job-7","type":"reserve","outcome":"ACCEPTED","code":"RESERVED","message":"reserved","workspace":"globex","feature":"ai.tokens","amount":12000,"scope":"workspace","used":0,"reserved":12000,"limit":17500,"remaining":5500,…,"reservation":{"reservationId":"job-7","feature":"ai.tokens","amount":12000,"expiresAt":"2026-11-23T19:32:28.180Z","status":"LIVE"},"decidedAt":"2026-11-23T19:27:28.172Z"}
            {"requestId":"caabce8e-8bd0-43a1-a2e2-0ecd2d25645c","type":"reserve","outcome":"REJECTED","code":"QUOTA_EXCEEDED","message":"6000 does not fit: 5500 of 17500 left in workspace","workspace":"globex","feature":"ai.tokens","amount":6000,"scope":"workspace","used":0,"reserved":12000,"limit":17500,"remaining":5500,…,"decidedAt":"2026-11-23T19:27:28.281Z"}
            {"requestId":"00a3a071-8ae8-45dc-a285-c84503cefb44","type":"commit-reservation","outcome":"ACCEPTED","code":"RESERVATION_COMMITTED","message":"committed 9500 of 12000 reserved; 2500 returned","workspace":"globex","feature":"ai.tokens","amount":9500,"scope":"workspace","used":9500,"reserved":0,"limit":17500,"remaining":8000,…,"reservation":{"reservationId":"job-7","feature":"ai.tokens","amount":12000,"expiresAt":"2026-11-23T19:32:28.180Z","status":"COMMITTED","committed":9500,"endedAt":"2026-11-23T19:27:28.405Z"},"decidedAt":"2026-11-23T19:27:28.397Z"}
            {"requestId":"54279478-391c-4010-971b-6453feb3081c","type":"commit-reservation","outcome":"REJECTED","code":"RESERVATION_ENDED","message":"reservation 'job-7' was already committed","workspace":"globex","feature":"ai.tokens","amount":9500,"reservation":{"reservationId":"job-7","feature":"ai.tokens","amount":12000,"expiresAt":"2026-11-23T19:32:28.180Z","status":"COMMITTED","committed":9500,"endedAt":"2026-11-23T19:27:28.405Z"},"decidedAt":"2026-11-23T19:27:28.484Z"}
            {"requestId":"job-8","type":"reserve","outcome":"ACCEPTED","code":"RESERVED","message":"reserved","workspace":"globex","feature":"ai.tokens","amount":500,"scope":"workspace","used":9500,"reserved":500,"limit":17500,"remaining":7500,…,"reservation":{"reservationId":"job-8","feature":"ai.tokens","amount":500,"expiresAt":"2026-11-23T19:27:29.559Z","status":"LIVE"},"decidedAt":"2026-11-23T19:27:28.551Z"}
            {"type":"reservation-expired","outcome":"ACCEPTED","code":"RESERVATION_LAPSED","message":"reservation 'job-8' ran out uncommitted; 500 returned","workspace":"globex","feature":"ai.tokens","reservation":{"reservationId":"job-8","feature":"ai.tokens","amount":500,"expiresAt":"2026-11-23T19:27:29.559Z","status":"EXPIRED","endedAt":"2026-11-23T19:27:30.068Z"},"decidedAt":"2026-11-23T19:27:30.068Z"}
            {"requestId":"12af788b-de4c-49df-b125-eef04b34a3f8","type":"commit-reservation","outcome":"REJECTED","code":"RESERVATION_EXPIRED","message":"reservation 'job-8' expired before this request; its amount was returned","workspace":"globex","feature":"ai.tokens","amount":500,"reservation":{"reservationId":"job-8","feature":"ai.tokens","amount":500,"expiresAt":"2026-11-23T19:27:29.559Z","status":"EXPIRED","endedAt":"2026-11-23T19:27:30.068Z"},"decidedAt":"2026-11-23T19:27:30.635Z"}
            {"requestId":"6a38e3b1-c2d0-4567-994a-bb6000380d58","type":"cancel-package","outcome":"ACCEPTED","code":"PACKAGE_CANCELLED","message":"package 'tokens-5k' cancelled","workspace":"globex","provisioned":{"packageCode":"tokens-5k","base":false,"features":{"ai.tokens":{"limit":5000,"period":"MONTH","enforcement":"HARD"}},"provisionedAt":"2026-11-23T19:27:27.802Z","requestId":"fcce9581-86d3-4243-95a6-42833d2bc0af"},"decidedAt":"2026-11-23T19:27:30.771Z"}
            {"requestId":"c1597a4c-abae-4ebc-bf88-2de1b2b0ae9a","type":"record-usage","outcome":"ACCEPTED","code":"OK","message":"recorded","workspace":"globex","feature":"sso","amount":1,"scope":"workspace","used":1,"reserved":0,"kind":"BOOLEAN","period":"MONTH","periodStart":"2026-11-01T00:00:00Z","periodEnd":"2026-12-01T00:00:00Z","decidedAt":"2026-11-23T19:27:30.832Z"}
            {"requestId":"batch-12","type":"record-usage","outcome":"ACCEPTED","code":"OK","message":"recorded","workspace":"globex","feature":"ai.tokens","amount":600,"scope":"workspace","used":10100,"reserved":0,"limit":12500,"remaining":2400,…,"decidedAt":"2026-11-23T19:27:30.902Z"}
            {"requestId":"k-r1","type":"reserve","outcome":"ACCEPTED","code":"RESERVED","message":"reserved","workspace":"globex","feature":"ai.tokens","amount":1000,"scope":"workspace","used":10100,"reserved":1000,"limit":12500,"remaining":1400,…,"reservation":{"reservationId":"k-r1","feature":"ai.tokens","amount":1000,"expiresAt":"2026-11-23T19:37:31.525Z","status":"LIVE"},"decidedAt":"2026-11-23T19:27:31.510Z"}
            {"requestId":"k-c1","type":"commit-reservation","outcome":"ACCEPTED","code":"RESERVATION_COMMITTED","message":"committed 1200 of 1000 reserved","workspace":"globex","feature":"ai.tokens","amount":1200,"scope":"workspace","used":11300,"reserved":0,"limit":12500,"remaining":1200,…,"reservation":{"reservationId":"k-r1","feature":"ai.tokens","amount":1000,"expiresAt":"2026-11-23T19:37:31.525Z","status":"COMMITTED","committed":1200,"endedAt":"2026-11-23T19:27:31.530Z"},"decidedAt":"2026-11-23T19:27:31.514Z"}
            {"requestId":"k-c2","type":"commit-reservation","outcome":"REJECTED","code":"RESERVATION_ENDED","message":"reservation 'k-r1' was already committed","workspace":"globex","feature":"ai.tokens","amount":900,"reservation":{"reservationId":"k-r1","feature":"ai.tokens","amount":1000,"expiresAt":"2026-11-23T19:37:31.525Z","status":"COMMITTED","committed":1200,"endedAt":"2026-11-23T19:27:31.530Z"},"decidedAt":"2026-11-23T19:27:31.540Z"}
            """;

    @Test
    void theReadmeSessionsAreClean() throws Exception {
        String month = "\"kind\":\"METERED\",\"period\":\"MONTH\",\"enforcement\":\"HARD\","
                + "\"periodStart\":\"2026-11-01T00:00:00Z\",\"periodEnd\":\"2026-12-01T00:00:00Z\"";
        String day = "\"kind\":\"METERED\",\"period\":\"DAY\",\"enforcement\":\"HARD\","
                + "\"periodStart\":\"2026-11-23T00:00:00Z\",\"periodEnd\":\"2026-11-24T00:00:00Z\"";
        for (String line : README_SESSION.strip().split("\n")) {
            JsonNode body = JSON.readTree(line.replace("…", month).replace("‥", day));
            check.accept(new LoggedRecord("tally.usage.decisions", 0, offset++, body.path("workspace").asText(),
                    Instant.parse(body.path("decidedAt").asText()).toEpochMilli(), Map.of(), body));
        }

        assertThat(check.violations()).isEmpty();
        assertThat(check.summary()).contains("8 usage records, 4 reservations and 2 commits checked",
                "checked, 0 workspaces left");
    }
}
