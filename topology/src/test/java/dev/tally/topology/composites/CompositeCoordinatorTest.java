package dev.tally.topology.composites;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.schemas.bookings.BookComposite;
import dev.tally.schemas.bookings.ConfirmSegment;
import dev.tally.schemas.bookings.HoldSegment;
import dev.tally.schemas.bookings.ReleaseSegment;
import dev.tally.schemas.bookings.Segment;
import dev.tally.schemas.bookings.SegmentResult;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompositeCoordinatorTest {

    private static final BookComposite TWO = new BookComposite("r1", "c1", List.of(
            new Segment("staff-ann", "2026-10-18T09:00", "2026-10-18T10:00", 1L),
            new Segment("room-7", "2026-10-18T09:00", "2026-10-18T10:00", 1L)), "u-1");

    private static SegmentResult result(int index, String code) {
        return new SegmentResult("c1:" + index, "c1", index, TWO.segments().get(index).resource(), code, null, null);
    }

    @Test
    void every_segment_is_held_at_once_and_confirmed_at_the_last_yes() {
        CompositeCoordinator.Step started = CompositeCoordinator.start(TWO, 1_000, 10_000);
        CompositeCoordinator.Step one = CompositeCoordinator.answer(started.state(), result(1, "SEGMENT_HELD"));
        CompositeCoordinator.Step both = CompositeCoordinator.answer(one.state(), result(0, "SEGMENT_HELD"));

        assertThat(started.commands()).hasSize(2).allMatch(c -> c instanceof HoldSegment);
        assertThat(one.decided()).isFalse();
        assertThat(both.decided()).isTrue();
        assertThat(both.state().status()).isEqualTo(CompositeCoordinator.Status.BOOKED);
        assertThat(both.commands()).hasSize(2).allMatch(c -> c instanceof ConfirmSegment);
    }

    @Test
    void the_first_no_releases_every_segment_and_later_answers_change_nothing() {
        CompositeCoordinator.Step started = CompositeCoordinator.start(TWO, 1_000, 10_000);
        CompositeCoordinator.Step refused = CompositeCoordinator.answer(started.state(), result(0, "AVAILABILITY_CONFLICT"));
        CompositeCoordinator.Step late = CompositeCoordinator.answer(refused.state(), result(1, "SEGMENT_HELD"));

        assertThat(refused.state().status()).isEqualTo(CompositeCoordinator.Status.REFUSED);
        assertThat(refused.commands()).hasSize(2).allMatch(c -> c instanceof ReleaseSegment);
        assertThat(late.commands()).isEmpty();
        assertThat(late.decided()).isFalse();
    }

    @Test
    void a_composite_whose_answers_do_not_all_come_is_released_at_its_deadline() {
        CompositeCoordinator.Step started = CompositeCoordinator.start(TWO, 1_000, 10_000);
        CompositeCoordinator.Step one = CompositeCoordinator.answer(started.state(), result(0, "SEGMENT_HELD"));

        assertThat(CompositeCoordinator.timeOut(one.state(), 10_999).decided()).isFalse();
        CompositeCoordinator.Step timedOut = CompositeCoordinator.timeOut(one.state(), 11_000);
        assertThat(timedOut.state().status()).isEqualTo(CompositeCoordinator.Status.TIMED_OUT);
        assertThat(timedOut.commands()).hasSize(2).allMatch(c -> c instanceof ReleaseSegment);
    }

    @Test
    void an_answer_to_no_hold_of_the_composite_is_ignored() {
        CompositeCoordinator.State started = CompositeCoordinator.start(TWO, 0, 10_000).state();
        for (Integer index : java.util.Arrays.asList(null, -1, 2, 4)) {
            SegmentResult stray = new SegmentResult("stray", "c1", index, "staff-ann", "SEGMENT_HELD", null, null);

            CompositeCoordinator.Step step = CompositeCoordinator.answer(started, stray);

            assertThat(step.decided()).as("index %s", index).isFalse();
            assertThat(step.commands()).isEmpty();
            assertThat(step.state().answers()).containsOnlyNulls();
        }
    }
}
