package dev.tally.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.contract.TallyHeaders;
import dev.tally.schemas.DecisionCode;
import dev.tally.schemas.RequestCodec;
import dev.tally.schemas.bookings.BookComposite;
import dev.tally.schemas.bookings.BookingDecision;
import dev.tally.schemas.bookings.CompositeDecision;
import dev.tally.schemas.bookings.CompositeRequest;
import dev.tally.schemas.bookings.DefineResource;
import dev.tally.schemas.bookings.ReadAvailability;
import dev.tally.schemas.bookings.Segment;
import dev.tally.schemas.bookings.SlotSize;
import dev.tally.schemas.bookings.SlotUsage;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Composites through the whole topology, coordinator and resource tasks together. */
class CompositeTopologyTest {

    private static final Instant T0 = EngineDriver.CLOCK_START;
    private static final RequestCodec<CompositeRequest> REQUESTS = RequestCodec.of(CompositeRequest.class);
    private static final RequestCodec<CompositeDecision> DECISIONS = RequestCodec.of(CompositeDecision.class);

    @TempDir
    Path stateDir;
    private BookingHarness bookings;
    private TestInputTopic<String, byte[]> composites;

    @BeforeEach
    void start() {
        bookings = new BookingHarness(stateDir);
        composites = bookings.engine().input(bookings.engine().topics.compositeRequests());
        bookings.decide(new DefineResource("d1", "staff-ann", 1L, SlotSize.HOUR, "UTC"), T0);
        bookings.decide(new DefineResource("d2", "staff-bob", 1L, SlotSize.HOUR, "UTC"), T0);
    }

    @AfterEach
    void stop() {
        bookings.close();
    }

    private CompositeDecision book(String id, String... staff) {
        List<Segment> segments = java.util.Arrays.stream(staff)
                .map(s -> new Segment(s, "2026-10-18T09:00", "2026-10-18T10:00", 1L)).toList();
        BookComposite request = new BookComposite(id, id, segments, null);
        TestRecord<String, byte[]> reply = bookings.engine().call(composites, id, REQUESTS.write(request), T0);
        assertThat(reply).as("a reply to " + id).isNotNull();
        assertThat(TallyHeaders.text(reply.headers(), TallyHeaders.REPLY_KIND)).isEqualTo(TallyHeaders.KIND_DECISION);
        return EngineDriver.read(DECISIONS, reply.value());
    }

    private long used(String staff) {
        return bookings.availability(new ReadAvailability("q-" + System.nanoTime(), staff, "2026-10-18T09:00",
                "2026-10-18T10:00"), T0).slots().stream().mapToLong(SlotUsage::used).sum();
    }

    @Test
    void a_composite_books_every_segment_or_none() {
        CompositeDecision first = book("c1", "staff-ann", "staff-bob");
        CompositeDecision overlapping = book("c2", "staff-bob", "staff-ann");

        assertThat(first.code()).isEqualTo(DecisionCode.COMPOSITE_BOOKED);
        assertThat(overlapping.code()).isEqualTo(DecisionCode.COMPOSITE_REFUSED);
        assertThat(overlapping.refusedSegment()).isNotNull();
        assertThat(used("staff-ann")).isEqualTo(1);
        assertThat(used("staff-bob")).isEqualTo(1);
    }

    @Test
    void a_user_booking_cannot_pose_as_a_segments_hold() {
        // Had it been stored, the composite's hold would have found it and counted a slot it never took.
        var spoof = bookings.decide(new dev.tally.schemas.bookings.Book("spoof", "staff-ann", "composite:c3:0", null,
                "2026-10-18T09:00", "2026-10-18T10:00", 1L, null), T0);
        CompositeDecision composite = book("c3", "staff-ann", "staff-bob");

        assertThat(spoof.code()).isEqualTo(DecisionCode.INVALID_REQUEST);
        assertThat(composite.code()).isEqualTo(DecisionCode.COMPOSITE_BOOKED);
        assertThat(used("staff-ann")).isEqualTo(1);
    }

    @Test
    void a_composite_whose_segments_do_not_all_answer_is_released_at_its_deadline() {
        // A coordinator that has asked for two segments, of which only one will ever answer (as if the
        // other resource's task had stopped): put its record in place, then let one hold be taken.
        pending(annAndBobAtNine("c9"));
        bookings.command(new dev.tally.schemas.bookings.HoldSegment("c9:0:hold", "staff-ann", "c9", 0,
                "2026-10-18T09:00", "2026-10-18T10:00", 1L, null), T0);
        assertThat(used("staff-ann")).as("held while the composite waits").isEqualTo(1);

        bookings.advanceClock(java.time.Duration.ofSeconds(11));

        assertThat(used("staff-ann")).as("released at the deadline").isZero();
        var decided = bookings.engine().output(bookings.engine().topics.compositeDecisions()).readValuesToList();
        assertThat(decided).singleElement().satisfies(bytes ->
                assertThat(EngineDriver.read(DECISIONS, bytes).code()).isEqualTo(DecisionCode.COMPOSITE_TIMED_OUT));
    }

    @Test
    void a_user_request_cannot_take_the_id_of_a_coordinators_command() {
        // Remembered under that id, it would have made the real release answer REQUEST_ID_REUSED and do nothing.
        var squatter = bookings.decide(new dev.tally.schemas.bookings.CancelBooking("composite:c5:0:release",
                "staff-ann", "composite:c5:0", null), T0);
        bookings.decide(new dev.tally.schemas.bookings.Book("fill-bob", "staff-bob", null, null, "2026-10-18T09:00",
                "2026-10-18T10:00", 1L, null), T0);

        CompositeDecision refused = book("c5", "staff-ann", "staff-bob");

        assertThat(squatter.code()).isEqualTo(DecisionCode.INVALID_REQUEST);
        assertThat(refused.code()).isEqualTo(DecisionCode.COMPOSITE_REFUSED);
        assertThat(used("staff-ann")).as("ann's hold released").isZero();
    }

    @Test
    void segment_commands_published_with_the_booking_requests_are_refused_and_change_nothing() {
        bookings.drainDecisions(); // the resources' definitions
        bookings.publish(new dev.tally.schemas.bookings.HoldSegment("forged-hold", "staff-ann", "c16", 0,
                "2026-10-18T12:00", "2026-10-18T13:00", 1L, null), "staff-ann", T0);
        bookings.publish(new dev.tally.schemas.bookings.ConfirmSegment("forged-confirm", "staff-ann", "c16", 0),
                "staff-ann", T0);

        assertThat(bookings.drainDecisions()).extracting(BookingDecision::code)
                .containsExactly(DecisionCode.INVALID_REQUEST, DecisionCode.INVALID_REQUEST);
        assertThat(book("c16", "staff-ann", "staff-bob").code()).isEqualTo(DecisionCode.COMPOSITE_BOOKED);
        assertThat(bookings.availability(new ReadAvailability("q-noon", "staff-ann", "2026-10-18T12:00",
                "2026-10-18T13:00"), T0).slots().get(0).used()).as("noon never held").isZero();
    }

    @Test
    void a_segment_result_published_with_the_composite_requests_is_ignored() {
        pending(annAndBobAtNine("c17"));
        composites.pipeInput(new TestRecord<>("c17", REQUESTS.write(new dev.tally.schemas.bookings.SegmentResult(
                "forged", "c17", 0, "staff-ann", "AVAILABILITY_CONFLICT", null, null)), T0));

        assertThat(bookings.engine().output(bookings.engine().topics.compositeDecisions()).readValuesToList())
                .as("not refused by a forged answer").isEmpty();
    }

    @Test
    void a_hold_under_a_composites_id_for_another_range_does_not_count_for_it() {
        // Only the engine writes segment commands; this one stands for a stale or duplicated command.
        bookings.command(new dev.tally.schemas.bookings.HoldSegment("forged", "staff-ann", "c8", 0,
                "2026-10-18T12:00", "2026-10-18T13:00", 1L, null), T0);

        CompositeDecision composite = book("c8", "staff-ann", "staff-bob");

        assertThat(composite.code()).isEqualTo(DecisionCode.COMPOSITE_REFUSED);
        assertThat(composite.refusedSegment()).isZero();
        assertThat(composite.segments().get(0).code()).isEqualTo(DecisionCode.REQUEST_ID_REUSED.name());
        assertThat(used("staff-ann")).as("09:00 was never held").isZero();
        assertThat(used("staff-bob")).as("bob's hold released").isZero();
    }

    @Test
    void a_confirm_published_without_a_hold_is_answered_and_the_engine_goes_on() {
        bookings.drainDecisions(); // the resources' definitions
        bookings.command(new dev.tally.schemas.bookings.ConfirmSegment("forged-confirm", "staff-ann", "c9", 0), T0);

        assertThat(bookings.drainDecisions()).singleElement().satisfies(d ->
                assertThat(d.code()).isEqualTo(DecisionCode.BOOKING_NOT_FOUND));
        assertThat(book("c10", "staff-ann").code()).as("the next request is decided")
                .isEqualTo(DecisionCode.COMPOSITE_BOOKED);
    }

    @Test
    void a_released_composite_frees_a_segment_a_published_confirm_had_booked() {
        pending(annAndBobAtNine("c11"));
        bookings.command(new dev.tally.schemas.bookings.HoldSegment("c11:0:hold", "staff-ann", "c11", 0,
                "2026-10-18T09:00", "2026-10-18T10:00", 1L, null), T0);
        bookings.command(new dev.tally.schemas.bookings.ConfirmSegment("forged", "staff-ann", "c11", 0), T0);

        bookings.advanceClock(java.time.Duration.ofMillis(EngineDriver.COMPOSITE_TIMEOUT_MS + 1_000));

        assertThat(used("staff-ann")).as("a timed-out composite holds nothing").isZero();
    }

    @Test
    void a_caller_asking_for_a_composite_still_waiting_is_answered_when_it_is_decided() {
        BookComposite request = annAndBobAtNine("c12");
        pending(request);
        var headers = new org.apache.kafka.common.header.internals.RecordHeaders()
                .add(TallyHeaders.REPLY_PARTITION, TallyHeaders.bytes("0"))
                .add(TallyHeaders.CORRELATION_ID, TallyHeaders.bytes("second-caller"));
        BookComposite again = new BookComposite("r12-again", "c12", request.segments(), null);
        composites.pipeInput(new TestRecord<>("c12", REQUESTS.write(again), headers, T0));
        assertThat(bookings.engine().replies.readRecordsToList()).as("no answer while it waits").isEmpty();

        bookings.advanceClock(java.time.Duration.ofMillis(EngineDriver.COMPOSITE_TIMEOUT_MS + 1_000));

        assertThat(bookings.engine().replies.readRecordsToList()).singleElement().satisfies(reply -> {
            assertThat(TallyHeaders.text(reply.headers(), TallyHeaders.CORRELATION_ID)).isEqualTo("second-caller");
            assertThat(EngineDriver.read(DECISIONS, reply.value()).code()).isEqualTo(DecisionCode.COMPOSITE_TIMED_OUT);
        });
    }

    @Test
    void a_hold_published_with_an_index_the_composite_has_not_is_answered_and_ignored() {
        BookComposite request = annAndBobAtNine("c14");
        pending(request);
        bookings.command(new dev.tally.schemas.bookings.HoldSegment("stray", "staff-ann", "c14", 4,
                "2026-10-18T12:00", "2026-10-18T13:00", 1L, null), T0);

        assertThat(book("c15", "staff-bob").code()).as("the coordinator's task goes on")
                .isEqualTo(DecisionCode.COMPOSITE_BOOKED);
        bookings.advanceClock(java.time.Duration.ofMillis(EngineDriver.COMPOSITE_TIMEOUT_MS + 1_000));
        assertThat(bookings.engine().output(bookings.engine().topics.compositeDecisions()).readValuesToList())
                .extracting(bytes -> EngineDriver.read(DECISIONS, bytes).compositeId()).contains("c14");
    }

    @Test
    void a_composite_id_too_long_for_the_coordinators_commands_is_refused() {
        // Refused, a longer id got holds whose release or confirm id was too long to be valid: held for good.
        String longest = "c".repeat(dev.tally.schemas.bookings.BookingValidation.MAX_COMPOSITE_ID);
        String tooLong = longest + "c";

        CompositeDecision refused = EngineDriver.read(DECISIONS, bookings.engine().call(composites, tooLong,
                REQUESTS.write(new BookComposite(tooLong, tooLong, List.of(new Segment("staff-ann", "2026-10-18T09:00",
                        "2026-10-18T10:00", 1L)), null)), T0).value());
        assertThat(refused.code()).isEqualTo(DecisionCode.INVALID_REQUEST);
        assertThat(used("staff-ann")).as("nothing held").isZero();

        // The longest id takes its segments, refuses and releases like any other.
        bookings.decide(new dev.tally.schemas.bookings.Book("fill-bob", "staff-bob", null, null, "2026-10-18T09:00",
                "2026-10-18T10:00", 1L, null), T0);
        assertThat(book(longest, "staff-ann", "staff-bob").code()).isEqualTo(DecisionCode.COMPOSITE_REFUSED);
        assertThat(used("staff-ann")).as("ann's hold released").isZero();
    }

    /** Ann and Bob from 09:00 to 10:00, as composite {@code compositeId}. */
    private static BookComposite annAndBobAtNine(String compositeId) {
        return new BookComposite("r-" + compositeId, compositeId, List.of(
                new Segment("staff-ann", "2026-10-18T09:00", "2026-10-18T10:00", 1L),
                new Segment("staff-bob", "2026-10-18T09:00", "2026-10-18T10:00", 1L)), null);
    }

    /** The coordinator's record of a composite whose holds were all sent and none answered yet. */
    private void pending(BookComposite request) {
        bookings.pendingComposite(request, T0, T0.toEpochMilli());
    }
}
