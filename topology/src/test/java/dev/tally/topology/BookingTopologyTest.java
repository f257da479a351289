package dev.tally.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.contract.TallyHeaders;
import dev.tally.schemas.DecisionCode;
import dev.tally.schemas.FieldError;
import dev.tally.schemas.Outcome;
import dev.tally.schemas.bookings.AvailabilityReport;
import dev.tally.schemas.bookings.Book;
import dev.tally.schemas.bookings.BookingDecision;
import dev.tally.schemas.bookings.BookingStatus;
import dev.tally.schemas.bookings.CancelBooking;
import dev.tally.schemas.bookings.ConfirmSegment;
import dev.tally.schemas.bookings.HoldSegment;
import dev.tally.schemas.bookings.ReleaseSegment;
import dev.tally.schemas.bookings.DefineResource;
import dev.tally.schemas.bookings.ReadAvailability;
import dev.tally.schemas.bookings.RescheduleBooking;
import dev.tally.schemas.bookings.SlotSize;
import dev.tally.schemas.bookings.SlotUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bookings topology end to end in a TopologyTestDriver: every decision code, ranges, changes, retries. */
class BookingTopologyTest {

    private static final Instant T0 = EngineDriver.CLOCK_START;

    @TempDir
    Path stateDir;
    private BookingHarness tally;
    private int ids;

    @BeforeEach
    void start() {
        tally = new BookingHarness(stateDir);
    }

    @AfterEach
    void stop() {
        tally.close();
    }

    private String id() {
        return "r" + ids++;
    }

    private BookingDecision define(String resource, long capacity, SlotSize slot, String zone) {
        return tally.decide(new DefineResource(id(), resource, capacity, slot, zone), T0);
    }

    private BookingDecision book(String resource, String bookingId, String from, String to, long quantity) {
        return tally.decide(new Book(id(), resource, bookingId, null, from, to, quantity, "user-1"), T0);
    }

    @Test
    void bookings_fit_up_to_capacity_and_the_next_is_refused_naming_the_full_slot() {
        define("room-1", 2, SlotSize.DAY, "Europe/Paris");

        BookingDecision first = book("room-1", "b1", "2026-10-18", "2026-10-20", 1);
        BookingDecision second = book("room-1", "b2", "2026-10-19", "2026-10-21", 1);
        BookingDecision third = book("room-1", "b3", "2026-10-18", "2026-10-22", 1);

        assertThat(first.code()).isEqualTo(DecisionCode.BOOKED);
        assertThat(first.booking().version()).isEqualTo(1);
        assertThat(first.booking().from()).isEqualTo(Instant.parse("2026-10-17T22:00:00Z"));
        assertThat(second.code()).isEqualTo(DecisionCode.BOOKED);
        assertThat(third.code()).isEqualTo(DecisionCode.AVAILABILITY_CONFLICT);
        assertThat(third.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(third.conflict()).isEqualTo(new SlotUsage(Instant.parse("2026-10-18T22:00:00Z"),
                Instant.parse("2026-10-19T22:00:00Z"), 2, 2, 0));
        AvailabilityReport slots = tally.availability(new ReadAvailability(id(), "room-1", "2026-10-18", "2026-10-22"), T0);
        assertThat(slots.slots()).extracting(SlotUsage::used).containsExactly(1L, 2L, 1L, 0L);
        assertThat(slots.slots()).extracting(SlotUsage::free).containsExactly(1L, 0L, 1L, 2L);
    }

    @Test
    void a_range_takes_every_slot_it_touches_in_the_resources_zone() {
        define("desk", 1, SlotSize.ofMinutes(30), "America/New_York");

        BookingDecision meeting = book("desk", "m1", "2026-10-18T09:15", "2026-10-18T10:05", 1);
        BookingDecision utc = book("desk", "m2", "2026-10-18T14:00:00Z", "2026-10-18T14:30:00Z", 1);

        assertThat(meeting.code()).isEqualTo(DecisionCode.BOOKED);
        AvailabilityReport slots = tally.availability(new ReadAvailability(id(), "desk", "2026-10-18T09:00",
                "2026-10-18T10:30"), T0);
        assertThat(slots.slots()).extracting(SlotUsage::start).containsExactly(
                Instant.parse("2026-10-18T13:00:00Z"), Instant.parse("2026-10-18T13:30:00Z"),
                Instant.parse("2026-10-18T14:00:00Z"));
        assertThat(slots.slots()).extracting(SlotUsage::used).containsExactly(1L, 1L, 1L);
        assertThat(utc.code()).as("14:00Z is 10:00 in New York, the slot the meeting ends in")
                .isEqualTo(DecisionCode.AVAILABILITY_CONFLICT);
    }

    @Test
    void a_capacity_change_cancels_nothing_and_reports_the_overcommit() {
        define("room-1", 3, SlotSize.DAY, "UTC");
        book("room-1", "b1", "2026-10-18", "2026-10-20", 3);

        BookingDecision lowered = define("room-1", 2, SlotSize.DAY, "UTC");
        BookingDecision reshaped = define("room-1", 2, SlotSize.HOUR, "UTC");

        assertThat(lowered.code()).isEqualTo(DecisionCode.RESOURCE_SET);
        assertThat(lowered.overcommitted()).extracting(SlotUsage::start).containsExactly(
                Instant.parse("2026-10-18T00:00:00Z"), Instant.parse("2026-10-19T00:00:00Z"));
        assertThat(lowered.overcommitted()).allSatisfy(s -> assertThat(s.used()).isEqualTo(3));
        assertThat(book("room-1", "b2", "2026-10-18", "2026-10-19", 1).code())
                .isEqualTo(DecisionCode.AVAILABILITY_CONFLICT);
        assertThat(reshaped.code()).isEqualTo(DecisionCode.RESOURCE_IN_USE);
    }

    @Test
    void the_same_booking_id_or_external_id_returns_the_first_booking_and_takes_nothing_more() {
        define("room-1", 5, SlotSize.DAY, "UTC");
        BookingDecision first = tally.decide(new Book(id(), "room-1", "b1", "gcal-7", "2026-10-18", "2026-10-19",
                2L, null), T0);

        BookingDecision sameId = tally.decide(new Book(id(), "room-1", "b1", null, "2026-10-18", "2026-10-19", 2L,
                null), T0);
        BookingDecision sameExternal = tally.decide(new Book(id(), "room-1", null, "gcal-7", "2026-10-18",
                "2026-10-19", 2L, null), T0);
        BookingDecision otherIdSameExternal = tally.decide(new Book(id(), "room-1", "b9", "gcal-7", "2026-10-18",
                "2026-10-19", 2L, null), T0);

        assertThat(sameId.code()).isEqualTo(DecisionCode.ALREADY_BOOKED);
        assertThat(sameId.booking()).isEqualTo(first.booking());
        assertThat(sameExternal.code()).isEqualTo(DecisionCode.ALREADY_BOOKED);
        assertThat(sameExternal.booking()).isEqualTo(first.booking());
        assertThat(otherIdSameExternal.code()).isEqualTo(DecisionCode.DUPLICATE_EXTERNAL_ID);
        assertThat(otherIdSameExternal.booking().bookingId()).isEqualTo("b1");
        assertThat(tally.availability(new ReadAvailability(id(), "room-1", "2026-10-18", "2026-10-19"), T0).slots())
                .extracting(SlotUsage::used).containsExactly(2L);
    }

    @Test
    void a_retry_gets_the_first_decision_and_a_reused_id_is_refused() {
        define("room-1", 1, SlotSize.DAY, "UTC");
        Book request = new Book("req-1", "room-1", null, null, "2026-10-18", "2026-10-19", 1L, null);

        BookingDecision first = tally.decide(request, T0);
        BookingDecision retry = tally.decide(request, T0.plusSeconds(5));
        BookingDecision reused = tally.decide(new Book("req-1", "room-1", null, null, "2026-10-20", "2026-10-21", 1L,
                null), T0);

        assertThat(first.booking().bookingId()).as("no bookingId: the requestId").isEqualTo("req-1");
        assertThat(retry).isEqualTo(first);
        assertThat(reused.code()).isEqualTo(DecisionCode.REQUEST_ID_REUSED);
        assertThat(tally.drainDecisions()).extracting(BookingDecision::code)
                .containsExactly(DecisionCode.RESOURCE_SET, DecisionCode.BOOKED);
    }

    @Test
    void a_cancel_frees_the_slots_and_cancelling_again_changes_nothing() {
        define("room-1", 1, SlotSize.DAY, "UTC");
        book("room-1", "b1", "2026-10-18", "2026-10-20", 1);

        BookingDecision cancelled = tally.decide(new CancelBooking(id(), "room-1", "b1", 1L), T0);
        BookingDecision again = tally.decide(new CancelBooking(id(), "room-1", "b1", null), T0);
        BookingDecision unknown = tally.decide(new CancelBooking(id(), "room-1", "nope", null), T0);

        assertThat(cancelled.code()).isEqualTo(DecisionCode.CANCELLED);
        assertThat(cancelled.booking().status()).isEqualTo(BookingStatus.CANCELLED);
        assertThat(cancelled.booking().version()).isEqualTo(2);
        assertThat(again.code()).isEqualTo(DecisionCode.CANCELLED);
        assertThat(again.booking().version()).isEqualTo(2);
        assertThat(unknown.code()).isEqualTo(DecisionCode.BOOKING_NOT_FOUND);
        assertThat(book("room-1", "b2", "2026-10-18", "2026-10-20", 1).code()).isEqualTo(DecisionCode.BOOKED);
        assertThat(tally.decide(new RescheduleBooking(id(), "room-1", "b1", "2026-10-25", "2026-10-26", null), T0)
                .code()).isEqualTo(DecisionCode.BOOKING_CANCELLED);
    }

    @Test
    void a_reschedule_moves_in_one_step_or_keeps_the_old_range() {
        define("room-1", 1, SlotSize.DAY, "UTC");
        book("room-1", "b1", "2026-10-18", "2026-10-20", 1);
        book("room-1", "b2", "2026-10-22", "2026-10-23", 1);

        BookingDecision overlapping = tally.decide(new RescheduleBooking(id(), "room-1", "b1", "2026-10-19",
                "2026-10-21", 1L), T0);
        BookingDecision blocked = tally.decide(new RescheduleBooking(id(), "room-1", "b1", "2026-10-21",
                "2026-10-23", 2L), T0);

        assertThat(overlapping.code()).as("its own slot does not block it").isEqualTo(DecisionCode.RESCHEDULED);
        assertThat(overlapping.booking().version()).isEqualTo(2);
        assertThat(blocked.code()).isEqualTo(DecisionCode.AVAILABILITY_CONFLICT);
        assertThat(blocked.conflict().start()).isEqualTo(Instant.parse("2026-10-22T00:00:00Z"));
        assertThat(blocked.booking().from()).isEqualTo(Instant.parse("2026-10-19T00:00:00Z"));
        assertThat(tally.availability(new ReadAvailability(id(), "room-1", "2026-10-18", "2026-10-23"), T0).slots())
                .extracting(SlotUsage::used).containsExactly(0L, 1L, 1L, 0L, 1L);
    }

    @Test
    void a_stale_version_is_refused_so_a_cancel_and_a_reschedule_racing_cannot_both_apply() {
        define("room-1", 1, SlotSize.DAY, "UTC");
        book("room-1", "b1", "2026-10-18", "2026-10-19", 1);

        // Both read version 1; the reschedule is decided first.
        BookingDecision moved = tally.decide(new RescheduleBooking(id(), "room-1", "b1", "2026-10-20", "2026-10-21",
                1L), T0);
        BookingDecision cancel = tally.decide(new CancelBooking(id(), "room-1", "b1", 1L), T0);

        BookingDecision staleMove = tally.decide(new RescheduleBooking(id(), "room-1", "b1", "2026-10-25",
                "2026-10-26", 1L), T0);

        assertThat(moved.code()).isEqualTo(DecisionCode.RESCHEDULED);
        assertThat(staleMove.code()).isEqualTo(DecisionCode.STALE_VERSION);
        assertThat(cancel.code()).isEqualTo(DecisionCode.STALE_VERSION);
        assertThat(cancel.booking().version()).isEqualTo(2);
        assertThat(cancel.booking().status()).isEqualTo(BookingStatus.BOOKED);
    }

    @Test
    void an_unknown_resource_is_not_found_for_writes_and_reads() {
        assertThat(book("ghost", "b1", "2026-10-18", "2026-10-19", 1).code()).isEqualTo(DecisionCode.RESOURCE_NOT_FOUND);
        TestRecord<String, byte[]> read = tally.call(new ReadAvailability(id(), "ghost", "2026-10-18", "2026-10-19"), T0);
        assertThat(TallyHeaders.text(read.headers(), TallyHeaders.CODE)).isEqualTo("RESOURCE_NOT_FOUND");
    }

    @Test
    void invalid_requests_are_decided_with_the_fields_at_fault() {
        define("room-1", 1, SlotSize.DAY, "UTC");

        BookingDecision noRange = tally.decide(new Book(id(), "room-1", null, null, "soon", null, 0L, null), T0);
        BookingDecision backwards = book("room-1", "b1", "2026-10-20", "2026-10-18", 1);
        BookingDecision minuteSlots = tally.decide(new DefineResource(id(), "clock", 1L, SlotSize.ofMinutes(1), "UTC"), T0);
        BookingDecision tooManySlots = book("clock", "b2", "2026-10-18", "2026-10-19", 1);

        assertThat(noRange.errors()).extracting(FieldError::field).containsExactly("from", "to", "quantity");
        assertThat(backwards.errors()).extracting(FieldError::field).containsExactly("to");
        assertThat(minuteSlots.code()).isEqualTo(DecisionCode.RESOURCE_SET);
        assertThat(tooManySlots.code()).isEqualTo(DecisionCode.INVALID_REQUEST);
        assertThat(tooManySlots.errors().get(0).reason()).contains("1000 slots");
    }

    @Test
    void a_request_published_under_another_key_is_rerouted_and_an_unreadable_one_dead_lettered() {
        define("room-1", 1, SlotSize.DAY, "UTC");

        tally.publish(new Book("k-1", "room-1", null, null, "2026-10-18", "2026-10-19", 1L, null), "ROOM-1", T0);
        tally.requests.pipeInput(new TestRecord<>("room-1",
                "{\"type\":\"book\",\"quantity\":\"one\"}".getBytes(StandardCharsets.UTF_8), T0));

        List<BookingDecision> decided = tally.drainDecisions();
        assertThat(decided).extracting(BookingDecision::requestId).contains("k-1");
        assertThat(decided.get(decided.size() - 1).code()).isEqualTo(DecisionCode.BOOKED);
        TestRecord<String, byte[]> dead = tally.engine().deadLetters.readRecord();
        assertThat(TallyHeaders.text(dead.headers(), TallyHeaders.DLQ_REASON)).startsWith("quantity");
    }

    @Test
    void minute_slots_on_a_clock_change_day_cannot_sell_one_hour_twice() {
        // Summer time starts in Paris on 2026-03-29: local 02:00-03:00 does not exist that day.
        define("studio", 1, SlotSize.ofMinutes(120), "Europe/Paris");

        BookingDecision first = book("studio", "s1", "2026-03-29T03:00", "2026-03-29T05:00", 1);
        BookingDecision overlapping = book("studio", "s2", "2026-03-29T04:00", "2026-03-29T06:00", 1);

        assertThat(first.code()).isEqualTo(DecisionCode.BOOKED);
        assertThat(overlapping.code()).isEqualTo(DecisionCode.AVAILABILITY_CONFLICT);
        AvailabilityReport day = tally.availability(new ReadAvailability(id(), "studio", "2026-03-29", "2026-03-30"), T0);
        assertThat(day.slots()).hasSize(12);
        assertThat(day.slots().get(11).end()).as("the last slot is cut at midnight")
                .isEqualTo(Instant.parse("2026-03-29T22:00:00Z"));
        assertThat(day.slots()).extracting(SlotUsage::used).containsOnly(0L, 1L);
    }

    @Test
    void times_finer_than_a_millisecond_are_cut_so_a_cancel_frees_what_the_booking_took() {
        define("room-1", 1, SlotSize.HOUR, "UTC");

        BookingDecision fine = book("room-1", "b1", "2026-10-18T09:00:00Z", "2026-10-18T10:00:00.0000001Z", 1);
        tally.decide(new CancelBooking(id(), "room-1", "b1", null), T0);

        assertThat(fine.booking().to()).isEqualTo(Instant.parse("2026-10-18T10:00:00Z"));
        assertThat(book("room-1", "b2", "2026-10-18T09:00", "2026-10-18T11:00", 1).code()).isEqualTo(DecisionCode.BOOKED);
    }

    @Test
    void a_year_past_9999_is_invalid_and_the_next_request_is_decided() {
        define("room-1", 1, SlotSize.DAY, "UTC");

        BookingDecision far = book("room-1", "b1", "+300000000-01-01T00:00Z", "+300000000-01-02T00:00Z", 1);

        assertThat(far.code()).isEqualTo(DecisionCode.INVALID_REQUEST);
        assertThat(far.errors()).extracting(FieldError::field).containsExactly("from", "to");
        assertThat(book("room-1", "b2", "2026-10-18", "2026-10-19", 1).code()).isEqualTo(DecisionCode.BOOKED);
    }

    @Test
    void a_cancelled_bookings_external_id_can_be_booked_again() {
        define("room-1", 1, SlotSize.DAY, "UTC");
        tally.decide(new Book(id(), "room-1", "b1", "gcal-9", "2026-10-18", "2026-10-19", 1L, null), T0);
        tally.decide(new CancelBooking(id(), "room-1", "b1", null), T0);

        BookingDecision again = tally.decide(new Book("r-again", "room-1", null, "gcal-9", "2026-10-18", "2026-10-19",
                1L, null), T0);

        assertThat(again.code()).isEqualTo(DecisionCode.BOOKED);
        assertThat(again.booking().bookingId()).isEqualTo("r-again");
        assertThat(tally.decide(new Book(id(), "room-1", "b1", null, "2026-10-20", "2026-10-21", 1L, null), T0)
                .booking().status()).as("the cancelled booking keeps its id").isEqualTo(BookingStatus.CANCELLED);
    }

    @Test
    void an_invalid_read_answers_its_caller_and_writes_no_decision() {
        define("room-1", 1, SlotSize.DAY, "UTC");
        tally.drainDecisions();

        TestRecord<String, byte[]> reply = tally.call(new ReadAvailability(id(), "room-1", "2026-10-20", "2026-10-18"), T0);

        assertThat(TallyHeaders.text(reply.headers(), TallyHeaders.CODE)).isEqualTo("INVALID_REQUEST");
        assertThat(tally.drainDecisions()).isEmpty();
    }

    @Test
    void a_composite_segment_is_held_at_once_and_only_its_coordinator_confirms_or_releases_it() {
        define("staff-ann", 1, SlotSize.HOUR, "UTC");

        BookingDecision held = tally.decideCommand(new HoldSegment("c1:0:hold", "staff-ann", "c1", 0, "2026-10-18T09:00",
                "2026-10-18T10:00", 1L, "u-1"), T0);
        BookingDecision blocked = book("staff-ann", "b1", "2026-10-18T09:00", "2026-10-18T10:00", 1);
        BookingDecision userCancel = tally.decide(new CancelBooking(id(), "staff-ann", "composite:c1:0", null), T0);
        BookingDecision confirmed = tally.decideCommand(new ConfirmSegment("c1:0:confirm", "staff-ann", "c1", 0), T0);
        BookingDecision heldAgain = tally.decideCommand(new HoldSegment("c2:0:hold", "staff-ann", "c2", 0,
                "2026-10-18T11:00", "2026-10-18T12:00", 1L, null), T0);
        BookingDecision released = tally.decideCommand(new ReleaseSegment("c2:0:release", "staff-ann", "c2", 0), T0);
        BookingDecision refused = tally.decideCommand(new HoldSegment("c3:0:hold", "staff-ann", "c3", 0, "2026-10-18T09:30",
                "2026-10-18T10:30", 1L, null), T0);

        assertThat(held.code()).isEqualTo(DecisionCode.SEGMENT_HELD);
        assertThat(held.booking().status()).isEqualTo(BookingStatus.HELD);
        assertThat(blocked.code()).as("a hold takes its slots").isEqualTo(DecisionCode.AVAILABILITY_CONFLICT);
        assertThat(userCancel.code()).isEqualTo(DecisionCode.BOOKING_PENDING);
        assertThat(confirmed.code()).isEqualTo(DecisionCode.SEGMENT_CONFIRMED);
        assertThat(confirmed.booking().status()).isEqualTo(BookingStatus.BOOKED);
        assertThat(heldAgain.code()).isEqualTo(DecisionCode.SEGMENT_HELD);
        assertThat(released.code()).isEqualTo(DecisionCode.SEGMENT_RELEASED);
        assertThat(refused.code()).isEqualTo(DecisionCode.AVAILABILITY_CONFLICT);
        assertThat(tally.availability(new ReadAvailability(id(), "staff-ann", "2026-10-18T09:00", "2026-10-18T12:00"),
                T0).slots()).extracting(SlotUsage::used).containsExactly(1L, 0L, 0L);
    }
}
