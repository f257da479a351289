package dev.tally.launcher.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * I3 on hand-made claim decision logs. Each decision carries the claim as the engine words it: on CLAIMED the
 * new claim, on CLAIM_EXISTS, ALREADY_CLAIMED and NOT_OWNER the live one, on RELEASED and HOLD_EXPIRED the one
 * that ended.
 */
class OneOwnerPerClaimTest {

    private static final String ACME = "tenant-slug/acme";
    private static final String GLOBEX = "tenant-slug/globex";

    private final OneOwnerPerClaim check = new OneOwnerPerClaim();
    private final HandMadeLog log = new HandMadeLog("t.");
    private int requests;

    /** A decision on {@code key} whose claim names {@code owner}, asked by that owner; a claim made is a hold. */
    private LoggedRecord decision(String key, String code, String owner) {
        return decision(key, code, owner, owner, "PENDING");
    }

    /** A decision on {@code key} whose claim names {@code owner} in {@code status}; an expiry answers no request. */
    private LoggedRecord decision(String key, String code, String owner, String requestedBy, String status) {
        String requestId = code.equals("HOLD_EXPIRED") ? "" : "\"requestId\":\"r" + requests++ + "\",\"requestedBy\":\""
                + requestedBy + "\",";
        return log.record("claims.decisions", key, "{" + requestId + "\"code\":\"" + code + "\",\"claim\":{\"owner\":\""
                + owner + "\",\"status\":\"" + status + "\"}}");
    }

    private void replay(LoggedRecord... records) {
        for (LoggedRecord record : records) {
            check.accept(record);
        }
    }

    @Test
    void refusalsFindsOfTheOwnerAndNewOwnersAfterAReleaseOrAnExpiryAreClean() {
        replay(decision(ACME, "CLAIMED", "t1"),
                decision(GLOBEX, "CLAIMED", "t2"),
                decision(ACME, "ALREADY_CLAIMED", "t1"),
                decision(ACME, "CLAIM_EXISTS", "t1"),
                decision(ACME, "NOT_OWNER", "t1"),
                decision(ACME, "CONFIRMED", "t1"),
                decision(ACME, "RELEASED", "t1"),
                decision(ACME, "CLAIMED", "t3"),
                decision(ACME, "CLAIM_EXISTS", "t3"),
                decision(GLOBEX, "HOLD_EXPIRED", "t2"),
                decision(GLOBEX, "CLAIMED", "t4"));

        assertThat(check.violations()).isEmpty();
        assertThat(check.summary()).isEqualTo("I3 one live owner per claim: 4 claims made, 2 freed, 2 live at the end");
    }

    @Test
    void aClaimGivenToASecondOwnerWhileTheFirstHoldsItIsReportedWithBothClaims() {
        replay(decision(ACME, "CLAIMED", "t1"), decision(ACME, "CLAIM_EXISTS", "t1"), decision(ACME, "CLAIMED", "t2"));

        assertThat(check.violations()).singleElement().satisfies(violation -> {
            assertThat(violation.invariant()).isEqualTo("I3");
            assertThat(violation.what()).contains("'" + ACME + "' claimed by t2 while t1 held it");
            assertThat(violation.positions()).containsExactly("t.claims.decisions-0@0", "t.claims.decisions-0@2");
        });
        // From then on the log's owner is the second one: a find naming it is not reported again
        check.accept(decision(ACME, "CLAIM_EXISTS", "t2"));
        assertThat(check.violations()).hasSize(1);
    }

    @Test
    void aClaimMadeAgainByItsOwnOwnerLeavesOneOwner() {
        replay(decision(ACME, "CLAIMED", "t1"), decision(ACME, "CLAIMED", "t1"));

        assertThat(check.violations()).isEmpty();
        assertThat(check.summary()).contains("2 claims made, 0 freed, 1 live at the end");
    }

    @Test
    void aFindNamingAnOwnerWhoDoesNotHoldTheClaimIsReportedWithTheLiveClaim() {
        LoggedRecord claim = decision(ACME, "CLAIMED", "t1");
        LoggedRecord find = decision(ACME, "CLAIM_EXISTS", "t2");
        replay(claim, find);

        assertThat(check.violations()).singleElement().satisfies(violation -> {
            assertThat(violation.invariant()).isEqualTo("I3");
            assertThat(violation.what()).contains("answered CLAIM_EXISTS as t2's, but the log has t1's");
            assertThat(violation.positions()).containsExactly(claim.position(), find.position());
        });
    }

    @Test
    void aFindAfterTheClaimWasReleasedIsReportedAlone() {
        replay(decision(ACME, "CLAIMED", "t1"), decision(ACME, "RELEASED", "t1"), decision(ACME, "CLAIM_EXISTS", "t1"));

        assertThat(check.violations()).singleElement().satisfies(violation -> {
            assertThat(violation.invariant()).isEqualTo("I3");
            assertThat(violation.what()).contains("but the log has no live claim");
            assertThat(violation.positions()).containsExactly("t.claims.decisions-0@2");
        });
    }

    @Test
    void anExpiredHoldFreesItsValueToo() {
        replay(decision(ACME, "CLAIMED", "t1"), decision(ACME, "HOLD_EXPIRED", "t1"),
                decision(ACME, "CLAIM_EXISTS", "t1"));

        assertThat(check.violations()).singleElement().satisfies(violation ->
                assertThat(violation.positions()).containsExactly("t.claims.decisions-0@2"));
        assertThat(check.summary()).contains("1 claims made, 1 freed, 0 live at the end");
    }

    @Test
    void aReleaseAskedByAnotherOwnerIsReported() {
        LoggedRecord claim = decision(ACME, "CLAIMED", "t1");
        LoggedRecord release = decision(ACME, "RELEASED", "t1", "t2", "PENDING");
        replay(claim, release);

        assertThat(check.violations()).singleElement().satisfies(violation -> {
            assertThat(violation.what()).contains("released by t2 while t1 held it");
            assertThat(violation.positions()).containsExactly(claim.position(), release.position());
        });
    }

    @Test
    void aConfirmedClaimOrOneNeverHeldThatExpiresIsReported() {
        LoggedRecord held = decision(ACME, "CLAIMED", "t1");
        LoggedRecord confirmed = decision(ACME, "CONFIRMED", "t1", "t1", "ACTIVE");
        LoggedRecord expired = decision(ACME, "HOLD_EXPIRED", "t1", "t1", "ACTIVE");
        LoggedRecord active = decision(GLOBEX, "CLAIMED", "t2", "t2", "ACTIVE");
        LoggedRecord activeExpired = decision(GLOBEX, "HOLD_EXPIRED", "t2", "t2", "ACTIVE");
        replay(held, confirmed, expired, active, activeExpired);

        assertThat(check.violations()).hasSize(2).allSatisfy(violation ->
                assertThat(violation.what()).contains("active claim, expired as if it were a hold"));
        assertThat(check.violations().get(0).positions()).containsExactly(held.position(), expired.position());
        assertThat(check.violations().get(1).positions()).containsExactly(active.position(), activeExpired.position());
    }

    @Test
    void aRefusalOrAConfirmationNamingAnotherOwnerThanTheLiveOneIsReported() {
        replay(decision(ACME, "CLAIMED", "t1"),
                decision(ACME, "ALREADY_CLAIMED", "t2"),
                decision(ACME, "NOT_OWNER", "t3"),
                decision(ACME, "CONFIRMED", "t4"));

        assertThat(check.violations()).extracting(Violation::what).containsExactly(
                "'" + ACME + "' answered ALREADY_CLAIMED as t2's, but the log has t1's",
                "'" + ACME + "' answered NOT_OWNER as t3's, but the log has t1's",
                "'" + ACME + "' answered CONFIRMED as t4's, but the log has t1's");
    }
}
