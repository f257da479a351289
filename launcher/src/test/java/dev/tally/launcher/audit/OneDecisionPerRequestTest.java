package dev.tally.launcher.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** I4 on hand-made decision logs: what makes two records one request id, and what is reported. */
class OneDecisionPerRequestTest {

    private final OneDecisionPerRequest check = new OneDecisionPerRequest();
    private final HandMadeLog log = new HandMadeLog("t.");

    private LoggedRecord decision(String topic, int partition, String key, String requestId) {
        return log.record(topic, partition, key, 0, Map.of(), "{\"requestId\":\"" + requestId
                + "\",\"code\":\"OK\"}");
    }

    private LoggedRecord usage(String requestId) {
        return decision("usage.decisions", 0, "acme", requestId);
    }

    @Test
    void distinctIdsAndOneIdUnderAnotherKeyOrDomainAreOneDecisionEachAndEventsAreCountedApart() {
        check.accept(usage("r1"));
        check.accept(usage("r2"));
        // An id is scoped by its key and its domain's topic (a resource may share a workspace's name)
        check.accept(decision("usage.decisions", 0, "globex", "r1"));
        check.accept(decision("bookings.decisions", 0, "acme", "r1"));
        // A reservation's expiry answers no request
        check.accept(log.record("usage.decisions", "acme", "{\"type\":\"reservation-expired\","
                + "\"code\":\"RESERVATION_LAPSED\"}"));

        assertThat(check.violations()).isEmpty();
        assertThat(check.summary()).isEqualTo("I4 one decision per request id: 4 decisions, 4 request ids, 1 events");
    }

    @Test
    void countsAreGroupedTheSameWayWhateverTheMachinesLocale() {
        for (int i = 0; i < 1_000; i++) {
            check.accept(usage("r" + i));
        }
        Locale before = Locale.getDefault();
        try {
            // German groups thousands with '.': scripts and tests that read the audit's counts want one spelling
            Locale.setDefault(Locale.GERMANY);

            assertThat(check.summary()).contains("1,000 decisions, 1,000 request ids");
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void aSecondDecisionForOneIdIsReportedWithBothPositions() {
        LoggedRecord first = usage("r1");
        LoggedRecord other = usage("r2");
        LoggedRecord second = usage("r1");
        check.accept(first);
        check.accept(other);
        check.accept(second);

        assertThat(check.violations()).singleElement().satisfies(violation -> {
            assertThat(violation.invariant()).isEqualTo("I4");
            assertThat(violation.what()).contains("'r1'").contains("'acme'");
            assertThat(violation.positions()).containsExactly("t.usage.decisions-0@0", "t.usage.decisions-0@2");
        });
        assertThat(check.summary()).contains("3 decisions, 2 request ids");
    }

    @Test
    void oneIdDecidedInTwoPartitionsOfItsTopicIsReported() {
        // One key split across two tasks: the engine must never let that happen
        LoggedRecord inItsPartition = decision("bookings.decisions", 2, "desk", "b1");
        LoggedRecord inAnother = decision("bookings.decisions", 5, "desk", "b1");
        check.accept(inItsPartition);
        check.accept(inAnother);

        assertThat(check.violations()).singleElement().satisfies(violation -> {
            assertThat(violation.invariant()).isEqualTo("I4");
            assertThat(violation.positions()).containsExactly("t.bookings.decisions-2@0",
                    "t.bookings.decisions-5@0");
        });
    }

    @Test
    void aThirdDecisionIsReportedAgainstTheFirst() {
        LoggedRecord first = usage("r1");
        LoggedRecord second = usage("r1");
        LoggedRecord third = usage("r1");
        check.accept(first);
        check.accept(second);
        check.accept(third);

        assertThat(check.violations()).extracting(Violation::positions).containsExactly(
                List.of(first.position(), second.position()),
                List.of(first.position(), third.position()));
    }

    @Test
    void itReadsEveryDomainsDecisionsAndCompositesBeforeBookings() {
        // Its order is the audit's reading order: a composite's segment decisions come after its own
        assertThat(check.topics()).containsExactlyInAnyOrder("usage.decisions", "claims.decisions",
                "composites.decisions", "bookings.decisions");
        assertThat(check.topics()).containsSubsequence("composites.decisions", "bookings.decisions");
    }
}
