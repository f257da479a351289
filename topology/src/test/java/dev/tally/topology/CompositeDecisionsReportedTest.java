package dev.tally.topology;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tally.contract.RequestLogContext;
import dev.tally.schemas.DecisionCode;
import dev.tally.schemas.Json;
import dev.tally.schemas.RequestCodec;
import dev.tally.schemas.bookings.Book;
import dev.tally.schemas.bookings.BookComposite;
import dev.tally.schemas.bookings.CompositeDecision;
import dev.tally.schemas.bookings.CompositeRequest;
import dev.tally.schemas.bookings.DefineResource;
import dev.tally.schemas.bookings.Segment;
import dev.tally.schemas.bookings.SlotSize;
import dev.tally.topology.RecordedMeters.Decision;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.streams.TestInputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * A composite's final decision is counted like every other decision: once, under its domain and code,
 * timed from its request's record timestamp, and not as an event; a rejected one is logged once, named by
 * its request. Decided by a segment's answer or by the deadline timer, long after its request was handled.
 */
class CompositeDecisionsReportedTest {

    private static final String DOMAIN = "composites";
    private static final String BOOKINGS = "bookings";
    private static final Instant T0 = EngineDriver.CLOCK_START;
    /** When the composites are asked for: apart from every time the engine decides at, so a latency timed
     *  from the decision instead of the request shows. */
    private static final Instant ASKED = T0.minusMillis(250);
    private static final RequestCodec<CompositeRequest> REQUESTS = RequestCodec.of(CompositeRequest.class);
    private static final RequestCodec<CompositeDecision> DECISIONS = RequestCodec.of(CompositeDecision.class);

    @TempDir
    Path stateDir;
    private final RecordedMeters meters = new RecordedMeters();
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final Logger engineLogs = (Logger) LoggerFactory.getLogger("dev.tally");
    private BookingHarness bookings;
    private TestInputTopic<String, byte[]> composites;

    @BeforeEach
    void start() {
        bookings = new BookingHarness(stateDir, meters);
        composites = bookings.engine().input(bookings.engine().topics.compositeRequests());
        bookings.decide(new DefineResource("d1", "staff-ann", 1L, SlotSize.HOUR, "UTC"), T0);
        bookings.decide(new DefineResource("d2", "staff-bob", 1L, SlotSize.HOUR, "UTC"), T0);
        lines.start();
        engineLogs.addAppender(lines);
    }

    @AfterEach
    void stop() {
        engineLogs.detachAppender(lines);
        bookings.close();
    }

    @Test
    void a_booked_composite_is_one_decision_timed_from_its_request_and_no_event() {
        BookComposite request = annAndBobAtNine("c1");
        assertThat(book(request, ASKED).code()).isEqualTo(DecisionCode.COMPOSITE_BOOKED);
        assertThat(book(new BookComposite("r-c1-again", "c1", request.segments(), null), T0).code()).as("a retry, answered from the record")
                .isEqualTo(DecisionCode.COMPOSITE_BOOKED);

        assertThat(meters.decisionsOf(DOMAIN))
                .containsExactly(new Decision(DOMAIN, "COMPOSITE_BOOKED", ASKED.toEpochMilli()));
        assertThat(meters.eventsOf(DOMAIN)).isEmpty();
        assertThat(rejections()).isEmpty();
        assertThat(storedFields("c1")).as("the request's time, kept while it waited, is dropped once decided")
                .doesNotContain("requestedAtMs").contains("decision");
    }

    @Test
    void a_refused_composite_is_one_decision_and_one_warning_named_by_its_request() {
        bookings.decide(new Book("fill-bob", "staff-bob", null, null, "2026-10-18T09:00", "2026-10-18T10:00", 1L,
                null), T0);

        assertThat(book(annAndBobAtNine("c2"), ASKED).code()).isEqualTo(DecisionCode.COMPOSITE_REFUSED);

        assertThat(meters.decisionsOf(DOMAIN))
                .containsExactly(new Decision(DOMAIN, "COMPOSITE_REFUSED", ASKED.toEpochMilli()));
        assertThat(meters.eventsOf(DOMAIN)).isEmpty();
        assertThat(rejections()).singleElement().satisfies(line -> {
            assertThat(line.getLevel()).isEqualTo(Level.WARN);
            // Decided on bob's answer: the line names the composite's request, not the answer's record.
            assertThat(line.getMDCPropertyMap()).containsEntry(RequestLogContext.REQUEST_ID, "r-c2");
            assertThat(fields(line)).containsEntry("code", "COMPOSITE_REFUSED").containsEntry("compositeId", "c2")
                    .containsEntry("refusedSegment", "1").containsEntry("resource", "staff-bob")
                    .containsEntry("segmentCode", "AVAILABILITY_CONFLICT");
        });
        assertThat(warnings()).as("bob's refused hold is told of by its composite's line, not a second warning")
                .containsExactlyElementsOf(rejections());
    }

    @Test
    void a_resources_answers_to_the_coordinator_are_events_not_user_decisions() {
        bookings.decide(new Book("fill-bob", "staff-bob", null, null, "2026-10-18T11:00", "2026-10-18T12:00", 1L,
                null), T0);
        List<Decision> before = meters.decisionsOf(BOOKINGS);

        book(annAndBobAtNine("c6"), ASKED);
        BookComposite clash = new BookComposite("r-c7", "c7", List.of(
                new Segment("staff-ann", "2026-10-18T11:00", "2026-10-18T12:00", 1L),
                new Segment("staff-bob", "2026-10-18T11:00", "2026-10-18T12:00", 1L)), null);
        book(clash, ASKED);

        assertThat(meters.decisionsOf(BOOKINGS)).as("no user asked the resources anything")
                .isEqualTo(before);
        assertThat(meters.eventsOf(BOOKINGS)).extracting(RecordedMeters.Event::code).containsExactlyInAnyOrder(
                "SEGMENT_HELD", "SEGMENT_HELD", "SEGMENT_CONFIRMED", "SEGMENT_CONFIRMED", // c6
                "SEGMENT_HELD", "AVAILABILITY_CONFLICT", "SEGMENT_RELEASED", "SEGMENT_RELEASED"); // c7
        assertThat(meters.decisionsOf(DOMAIN)).extracting(Decision::code)
                .containsExactly("COMPOSITE_BOOKED", "COMPOSITE_REFUSED");
    }

    @Test
    void a_segment_command_published_with_the_booking_requests_is_a_users_decision() {
        // Only the coordinator's own topic carries its steps: anyone else's hold is a request, refused.
        bookings.publish(new dev.tally.schemas.bookings.HoldSegment("forged-hold", "staff-ann", "c8", 0,
                "2026-10-18T09:00", "2026-10-18T10:00", 1L, null), "staff-ann", ASKED);

        assertThat(meters.decisionsOf(BOOKINGS)).contains(new Decision(BOOKINGS, "INVALID_REQUEST",
                ASKED.toEpochMilli()));
        assertThat(meters.eventsOf(BOOKINGS)).isEmpty();
        assertThat(warnings()).singleElement().satisfies(line ->
                assertThat(line.getFormattedMessage()).isEqualTo("booking request rejected"));
    }

    @Test
    void a_timed_out_composite_is_one_decision_timed_from_its_request_not_its_deadline() {
        bookings.pendingComposite(annAndBobAtNine("c3"), T0, ASKED.toEpochMilli());

        bookings.advanceClock(Duration.ofMillis(EngineDriver.COMPOSITE_TIMEOUT_MS + 1_000));

        assertThat(decidedCodes()).containsExactly(DecisionCode.COMPOSITE_TIMED_OUT);
        assertThat(meters.decisionsOf(DOMAIN))
                .containsExactly(new Decision(DOMAIN, "COMPOSITE_TIMED_OUT", ASKED.toEpochMilli()));
        assertThat(meters.eventsOf(DOMAIN)).isEmpty();
        assertThat(rejections()).singleElement().satisfies(line -> {
            // Decided by the deadline timer, between records: named by the composite's request all the same.
            assertThat(line.getMDCPropertyMap()).containsEntry(RequestLogContext.REQUEST_ID, "r-c3");
            assertThat(fields(line)).containsEntry("code", "COMPOSITE_TIMED_OUT").containsEntry("unanswered", "2");
        });
        assertThat(MDC.get(RequestLogContext.REQUEST_ID)).as("the timer's thread keeps no request").isNull();
    }

    @Test
    void a_composite_stored_before_its_request_time_was_kept_is_timed_from_when_it_started() {
        // Such a record has only its deadline: one timeout after the engine started the composite.
        bookings.pendingComposite(annAndBobAtNine("c4"), T0, null);

        bookings.advanceClock(Duration.ofMillis(EngineDriver.COMPOSITE_TIMEOUT_MS + 1_000));

        assertThat(meters.decisionsOf(DOMAIN))
                .containsExactly(new Decision(DOMAIN, "COMPOSITE_TIMED_OUT", T0.toEpochMilli()));
    }

    @Test
    void an_invalid_composite_is_one_decision_and_one_warning() {
        String tooLong = "c".repeat(dev.tally.schemas.bookings.BookingValidation.MAX_COMPOSITE_ID + 1);

        assertThat(book(new BookComposite("r-long", tooLong, annAndBobAtNine(tooLong).segments(), null), ASKED)
                .code()).isEqualTo(DecisionCode.INVALID_REQUEST);

        assertThat(meters.decisionsOf(DOMAIN))
                .containsExactly(new Decision(DOMAIN, "INVALID_REQUEST", ASKED.toEpochMilli()));
        assertThat(rejections()).singleElement().satisfies(line -> {
            assertThat(line.getMDCPropertyMap()).containsEntry(RequestLogContext.REQUEST_ID, "r-long");
            assertThat(fields(line)).containsEntry("code", "INVALID_REQUEST");
        });
    }

    @Test
    void a_composite_id_used_again_for_other_segments_is_warned_of_and_not_a_second_decision() {
        // As in the other domains: a reused id answers its caller only, and is logged as a rejection.
        book(annAndBobAtNine("c5"), ASKED);
        BookComposite other = new BookComposite("r-c5-other", "c5", List.of(new Segment("staff-ann",
                "2026-10-18T11:00", "2026-10-18T12:00", 1L)), null);

        assertThat(book(other, T0).code()).isEqualTo(DecisionCode.REQUEST_ID_REUSED);

        assertThat(meters.decisionsOf(DOMAIN)).extracting(Decision::code).containsExactly("COMPOSITE_BOOKED");
        assertThat(rejections()).singleElement().satisfies(line -> {
            assertThat(line.getMDCPropertyMap()).containsEntry(RequestLogContext.REQUEST_ID, "r-c5-other");
            assertThat(fields(line)).containsEntry("code", "REQUEST_ID_REUSED").containsEntry("compositeId", "c5");
        });
    }

    private CompositeDecision book(BookComposite request, Instant at) {
        var reply = bookings.engine().call(composites, request.compositeId(), REQUESTS.write(request), at);
        assertThat(reply).as("a reply to " + request.requestId()).isNotNull();
        return EngineDriver.read(DECISIONS, reply.value());
    }

    private List<DecisionCode> decidedCodes() {
        return bookings.engine().output(bookings.engine().topics.compositeDecisions()).readValuesToList().stream()
                .map(bytes -> EngineDriver.read(DECISIONS, bytes).code()).toList();
    }

    private List<ILoggingEvent> rejections() {
        return lines.list.stream().filter(e -> e.getFormattedMessage().equals("composite request rejected"))
                .toList();
    }

    private List<ILoggingEvent> warnings() {
        return lines.list.stream().filter(e -> e.getLevel() == Level.WARN).toList();
    }

    private static Map<String, String> fields(ILoggingEvent line) {
        return line.getKeyValuePairs().stream().collect(Collectors.toMap(kv -> kv.key, kv -> String.valueOf(kv.value)));
    }

    /** The names of the fields of the coordinator's stored record of {@code compositeId}. */
    private List<String> storedFields(String compositeId) {
        byte[] stored = bookings.engine().driver().<String, byte[]>getKeyValueStore(Names.COMPOSITES_STORE)
                .get(compositeId);
        try {
            List<String> names = new java.util.ArrayList<>();
            Json.mapper().readTree(stored).fieldNames().forEachRemaining(names::add);
            return names;
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static BookComposite annAndBobAtNine(String compositeId) {
        return new BookComposite("r-" + compositeId, compositeId, Arrays.asList(
                new Segment("staff-ann", "2026-10-18T09:00", "2026-10-18T10:00", 1L),
                new Segment("staff-bob", "2026-10-18T09:00", "2026-10-18T10:00", 1L)), null);
    }
}
