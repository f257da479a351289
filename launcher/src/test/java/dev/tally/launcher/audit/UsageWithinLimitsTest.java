package dev.tally.launcher.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * I1 as the usage decisions report it, on hand-made logs: which decisions add to usage, and that what they
 * report of their binding scope stays within its HARD limit.
 */
class UsageWithinLimitsTest {

    private final UsageWithinLimits check = new UsageWithinLimits();
    private final HandMadeLog log = new HandMadeLog("t.");
    private int requests;

    /** A decision of workspace acme on ai.tokens reporting its workspace scope's figures after it. */
    private LoggedRecord decision(String code, long amount, long used, long reserved, long limit, String enforcement,
                                  String more) {
        return log.record("usage.decisions", "acme", "{\"requestId\":\"r" + requests++ + "\",\"code\":\"" + code
                + "\",\"workspace\":\"acme\",\"feature\":\"ai.tokens\",\"amount\":" + amount
                + ",\"scope\":\"workspace\",\"used\":" + used + ",\"reserved\":" + reserved + ",\"limit\":" + limit
                + ",\"enforcement\":\"" + enforcement + "\"" + more + "}");
    }

    private LoggedRecord usage(long amount, long used, long reserved, long limit) {
        return decision("OK", amount, used, reserved, limit, "HARD", "");
    }

    private LoggedRecord reserved(long amount, long used, long reserved, long limit) {
        return decision("RESERVED", amount, used, reserved, limit, "HARD", ",\"reservation\":{\"amount\":" + amount
                + ",\"status\":\"LIVE\"}");
    }

    /** A commit of {@code amount} of a reservation of {@code held}. */
    private LoggedRecord committed(long held, long amount, long used, long reserved, long limit) {
        return decision("RESERVATION_COMMITTED", amount, used, reserved, limit, "HARD", ",\"reservation\":{\"amount\":"
                + held + ",\"status\":\"COMMITTED\",\"committed\":" + amount + "}");
    }

    private void replay(LoggedRecord... records) {
        for (LoggedRecord record : records) {
            check.accept(record);
        }
    }

    @Test
    void additionsThatFillTheLimitExactlyAreClean() {
        replay(usage(4, 4, 0, 10),
                reserved(3, 4, 3, 10),
                committed(3, 5, 9, 0, 10),
                reserved(1, 9, 1, 10));

        assertThat(check.violations()).isEmpty();
        assertThat(check.summary())
                .isEqualTo("I1 usage within HARD limits (limits as decisions report them): 4 additions checked");
    }

    @Test
    void decisionsThatAddNothingOrUnderNoHardLimitAreNotChecked() {
        // Each reports figures past its limit, which the engine may rightly do after a limit was lowered
        replay(decision("LIMIT_SET", 0, 9, 3, 5, "HARD", ""),
                committed(3, 3, 9, 0, 5),
                committed(3, 2, 8, 0, 5),
                decision("RESERVATION_RELEASED", 0, 8, 0, 5, "HARD", ""),
                decision("QUOTA_EXCEEDED", 1, 8, 0, 5, "HARD", ""),
                decision("OK", 2, 10, 0, 5, "SOFT", ""),
                decision("RESERVED", 2, 10, 2, 5, "SOFT", ""),
                // A hand-made OK of nothing (the engine takes amounts from 1)
                usage(0, 10, 0, 5),
                // An unlimited feature reports no limit
                log.record("usage.decisions", "acme", "{\"requestId\":\"u\",\"code\":\"OK\",\"amount\":5,"
                        + "\"used\":10,\"reserved\":0,\"kind\":\"UNLIMITED\",\"enforcement\":\"HARD\"}"));

        assertThat(check.violations()).isEmpty();
        assertThat(check.summary()).endsWith(": 0 additions checked");
    }

    @Test
    void usageAcceptedPastTheLimitIsReportedWithItsPosition() {
        check.accept(usage(9, 9, 0, 10));
        check.accept(usage(2, 11, 0, 10));

        assertThat(check.violations()).singleElement().satisfies(violation -> {
            assertThat(violation.invariant()).isEqualTo("I1");
            assertThat(violation.what()).contains("'acme' ai.tokens (workspace) accepted to 11 used + 0 reserved")
                    .contains("HARD limit 10");
            assertThat(violation.positions()).containsExactly("t.usage.decisions-0@1");
        });
        assertThat(check.summary()).endsWith(": 2 additions checked");
    }

    @Test
    void usageAcceptedPastAHardLimitUnderTheSoftCodeIsReported() {
        // The engine codes an addition SOFT_LIMIT_EXCEEDED when some scope is past its limit: if the HARD scope
        // the decision reports is the one past, the code does not make it right
        LoggedRecord softWithinHard = decision("SOFT_LIMIT_EXCEEDED", 2, 8, 0, 10, "HARD", "");
        LoggedRecord softPastHard = decision("SOFT_LIMIT_EXCEEDED", 3, 11, 0, 10, "HARD", "");
        replay(softWithinHard, softPastHard);

        assertThat(check.violations()).singleElement().satisfies(violation ->
                assertThat(violation.positions()).containsExactly(softPastHard.position()));
        assertThat(check.summary()).endsWith(": 2 additions checked");
    }

    @Test
    void usageThatFitsOnlyWithoutWhatIsReservedIsReported() {
        check.accept(reserved(4, 6, 4, 10));
        LoggedRecord past = usage(1, 7, 4, 10);
        check.accept(past);

        assertThat(check.violations()).singleElement().satisfies(violation -> {
            assertThat(violation.what()).contains("accepted to 7 used + 4 reserved");
            assertThat(violation.positions()).containsExactly(past.position());
        });
    }

    @Test
    void aReservationPastTheLimitIsReported() {
        check.accept(usage(6, 6, 0, 10));
        LoggedRecord past = reserved(5, 6, 5, 10);
        check.accept(past);

        assertThat(check.violations()).singleElement().satisfies(violation -> {
            assertThat(violation.invariant()).isEqualTo("I1");
            assertThat(violation.positions()).containsExactly(past.position());
        });
    }

    @Test
    void aCommitOfMoreThanWasReservedPastTheLimitIsReported() {
        replay(usage(5, 5, 0, 10), reserved(3, 5, 3, 10));
        LoggedRecord past = committed(3, 6, 11, 0, 10);
        check.accept(past);

        assertThat(check.violations()).singleElement().satisfies(violation -> {
            assertThat(violation.invariant()).isEqualTo("I1");
            assertThat(violation.what()).contains("accepted to 11 used + 0 reserved");
            assertThat(violation.positions()).containsExactly(past.position());
        });
    }
}
