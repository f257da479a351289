package dev.tally.launcher.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** I1 against the audit's own model of direct limits, on hand-made decision logs. */
class UsageByDirectLimitsTest {

    private static final long DEC_31 = Instant.parse("2026-12-31T23:59:00Z").toEpochMilli();
    private static final long JAN_1 = Instant.parse("2027-01-01T00:01:00Z").toEpochMilli();
    private final UsageByDirectLimits check = new UsageByDirectLimits();
    private long offset;

    private LoggedRecord decision(long atMs, String json) {
        try {
            return new LoggedRecord("t.usage.decisions", 0, offset++, "acme", atMs, Map.of(),
                    new ObjectMapper().readTree(json));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private LoggedRecord limit(long limit, String period) {
        return decision(DEC_31, "{\"type\":\"set-limit\",\"outcome\":\"ACCEPTED\",\"code\":\"LIMIT_SET\",\"workspace\":"
                + "\"acme\",\"feature\":\"ai.tokens\",\"limit\":" + limit + ",\"period\":\"" + period
                + "\",\"enforcement\":\"HARD\"}");
    }

    private LoggedRecord usage(long atMs, long amount, boolean accepted, long used, long limit) {
        return decision(atMs, "{\"type\":\"record-usage\",\"outcome\":\"" + (accepted ? "ACCEPTED" : "REJECTED")
                + "\",\"code\":\"" + (accepted ? "OK" : "QUOTA_EXCEEDED") + "\",\"workspace\":\"acme\",\"feature\":"
                + "\"ai.tokens\",\"amount\":" + amount + ",\"scope\":\"workspace\",\"used\":" + used + ",\"limit\":"
                + limit + "}");
    }

    @Test
    void usageDecidedAsTheModelDecidesItIsClean() {
        check.accept(limit(10, "MONTH"));
        check.accept(usage(DEC_31, 6, true, 6, 10));
        check.accept(usage(DEC_31, 5, false, 6, 10));
        check.accept(usage(DEC_31, 4, true, 10, 10));
        // A new month starts from 0
        check.accept(usage(JAN_1, 10, true, 10, 10));

        assertThat(check.violations()).isEmpty();
        assertThat(check.summary()).contains("4 usage records checked");
    }

    @Test
    void anAcceptPastTheLimitARefusalThatFitAndAWrongReportAreEachReported() {
        check.accept(limit(10, "LIFETIME"));
        check.accept(usage(DEC_31, 6, true, 6, 10));
        LoggedRecord refusedThoughItFit = usage(DEC_31, 4, false, 6, 10);
        check.accept(refusedThoughItFit);
        LoggedRecord wrongReport = usage(DEC_31, 1, true, 6, 10);
        check.accept(wrongReport);
        LoggedRecord pastTheLimit = usage(DEC_31, 5, true, 12, 10);
        check.accept(pastTheLimit);

        assertThat(check.violations()).extracting(Violation::positions).containsExactly(
                List.of(refusedThoughItFit.position()), List.of(wrongReport.position()),
                List.of(pastTheLimit.position()));
        assertThat(check.violations().get(2).what()).contains("accepted past the limit");
    }

    @Test
    void aLimitTheDecisionMisreportsIsCaught() {
        // (the decision checks out against its own limit of 20, which UsageWithinLimits alone would accept)
        check.accept(limit(10, "LIFETIME"));
        LoggedRecord accepted = usage(DEC_31, 15, true, 15, 20);
        check.accept(accepted);

        assertThat(check.violations()).singleElement()
                .satisfies(violation -> assertThat(violation.what()).contains("accepted past the limit"));
    }

    @Test
    void aWorkspaceWithAPackageLeavesTheModel() {
        check.accept(limit(10, "LIFETIME"));
        check.accept(decision(DEC_31, "{\"type\":\"provision-package\",\"outcome\":\"ACCEPTED\",\"code\":"
                + "\"PACKAGE_PROVISIONED\",\"workspace\":\"acme\"}"));
        check.accept(usage(DEC_31, 15, true, 15, 100));

        assertThat(check.violations()).isEmpty();
        assertThat(check.summary()).contains("0 usage records checked, 1 workspaces left");
    }
}
