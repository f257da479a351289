package dev.tally.launcher.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** I5 on hand-made logs: what a booked, a refused and an abandoned composite must leave behind. */
class CompositesAllOrNothingTest {

    private static final long NOW = 1_000_000;
    private final CompositesAllOrNothing check = new CompositesAllOrNothing(NOW);
    private final HandMadeLog log = new HandMadeLog("t.");

    private LoggedRecord record(String topic, long timestamp, String json) {
        return log.record(topic, 0, "k", timestamp, Map.of(), json);
    }

    private LoggedRecord composite(String compositeId, String code, int segments) {
        String list = "{}" + ",{}".repeat(segments - 1);
        return record("composites.decisions", NOW - 10, "{\"requestId\":\"" + compositeId + "\",\"compositeId\":\""
                + compositeId + "\",\"code\":\"" + code + "\",\"segments\":[" + list + "]}");
    }

    private LoggedRecord segment(String compositeId, int index, String verb, String code) {
        return record("bookings.decisions", NOW - 20, "{\"requestId\":\"composite:" + compositeId + ":" + index + ":"
                + verb + "\",\"code\":\"" + code + "\"}");
    }

    @Test
    void aBookedCompositeWithEverySegmentConfirmedAndARefusedOneWithEveryHoldReleasedAreClean() {
        check.accept(segment("c1", 0, "hold", "SEGMENT_HELD"));
        check.accept(segment("c1", 1, "hold", "SEGMENT_HELD"));
        check.accept(segment("c1", 0, "confirm", "SEGMENT_CONFIRMED"));
        check.accept(segment("c1", 1, "confirm", "SEGMENT_CONFIRMED"));
        check.accept(composite("c1", "COMPOSITE_BOOKED", 2));
        // A compositeId may hold ':' (ids are split from the right)
        check.accept(segment("c:2", 0, "hold", "AVAILABILITY_CONFLICT"));
        check.accept(segment("c:2", 1, "hold", "SEGMENT_HELD"));
        check.accept(segment("c:2", 1, "release", "SEGMENT_RELEASED"));
        check.accept(composite("c:2", "COMPOSITE_REFUSED", 2));

        assertThat(check.violations()).isEmpty();
        assertThat(check.summary()).contains("2 decided (1 booked, 1 not)");
    }

    @Test
    void aBookedCompositeWithASegmentNeverConfirmedIsAViolation() {
        check.accept(segment("c1", 0, "hold", "SEGMENT_HELD"));
        check.accept(segment("c1", 0, "confirm", "SEGMENT_CONFIRMED"));
        LoggedRecord booked = composite("c1", "COMPOSITE_BOOKED", 2);
        check.accept(booked);

        assertThat(check.violations()).singleElement().satisfies(violation -> {
            assertThat(violation.invariant()).isEqualTo("I5");
            assertThat(violation.what()).contains("segment 1");
            assertThat(violation.positions()).containsExactly(booked.position());
        });
    }

    @Test
    void aRefusedCompositeWhoseHoldStaysIsAViolationNamingTheHold() {
        LoggedRecord hold = segment("c1", 0, "hold", "SEGMENT_HELD");
        check.accept(hold);
        check.accept(segment("c1", 1, "hold", "AVAILABILITY_CONFLICT"));
        LoggedRecord refused = composite("c1", "COMPOSITE_REFUSED", 2);
        check.accept(refused);

        assertThat(check.violations()).singleElement().satisfies(violation -> {
            assertThat(violation.what()).contains("never released");
            assertThat(violation.positions()).containsExactly(refused.position(), hold.position());
        });
    }

    @Test
    void aTimedOutCompositeWithAConfirmedSegmentIsAViolation() {
        check.accept(segment("c1", 0, "hold", "SEGMENT_HELD"));
        check.accept(segment("c1", 0, "confirm", "SEGMENT_CONFIRMED"));
        check.accept(composite("c1", "COMPOSITE_TIMED_OUT", 2));

        assertThat(check.violations()).singleElement()
                .satisfies(violation -> assertThat(violation.what()).contains("was confirmed"));
    }

    @Test
    void aCompositeDecidedWithinTheGracePeriodIsCountedNotChecked() {
        // (its confirms may still be on their way to the resources' partitions)
        check.accept(record("composites.decisions", NOW + 1,
                "{\"requestId\":\"c1\",\"compositeId\":\"c1\",\"code\":\"COMPOSITE_BOOKED\",\"segments\":[{}]}"));

        assertThat(check.violations()).isEmpty();
        assertThat(check.summary()).contains("1 decided (1 booked, 0 not), 1 too recent to tell");
    }

    @Test
    void aHoldSeenAgainAfterItsReleaseIsNoReleaseOfABookedComposite() {
        check.accept(segment("c1", 0, "hold", "SEGMENT_HELD"));
        check.accept(segment("c1", 0, "confirm", "SEGMENT_CONFIRMED"));
        check.accept(segment("c1", 0, "hold", "SEGMENT_RELEASED"));
        check.accept(composite("c1", "COMPOSITE_BOOKED", 1));

        assertThat(check.violations()).isEmpty();
    }

    @Test
    void anUndecidedCompositesOldHoldIsAViolationAndARecentOneIsCountedOnly() {
        LoggedRecord old = segment("abandoned", 0, "hold", "SEGMENT_HELD");
        check.accept(old);
        check.accept(record("bookings.decisions", NOW + 1,
                "{\"requestId\":\"composite:in-flight:0:hold\",\"code\":\"SEGMENT_HELD\"}"));

        assertThat(check.violations()).singleElement()
                .satisfies(violation -> assertThat(violation.positions()).containsExactly(old.position()));
        assertThat(check.summary()).contains("1 too recent to tell");
    }
}
