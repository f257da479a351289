package dev.tally.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.contract.TallyHeaders;
import dev.tally.schemas.DecisionCode;
import dev.tally.schemas.RequestCodec;
import dev.tally.schemas.bookings.Book;
import dev.tally.schemas.bookings.BookComposite;
import dev.tally.schemas.bookings.BookingDecision;
import dev.tally.schemas.bookings.CancelBooking;
import dev.tally.schemas.bookings.CompositeDecision;
import dev.tally.schemas.bookings.CompositeRequest;
import dev.tally.schemas.bookings.DefineResource;
import dev.tally.schemas.bookings.HoldSegment;
import dev.tally.schemas.bookings.ReadAvailability;
import dev.tally.schemas.bookings.Segment;
import dev.tally.schemas.bookings.SlotSize;
import dev.tally.schemas.bookings.SlotUsage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.test.TestRecord;

/**
 * Random composite bookings (new, retried, retried with other segments), single bookings and cancels on
 * three hourly staff, plus composites abandoned half-way (one segment's hold sent, the others never, as
 * when a coordinator's task stops) and the clock passing their deadline. Driven through the whole topology
 * and compared, decision by decision, with a reference model on plain maps. Whatever the order: no slot is
 * over capacity, a decided composite holds all its segments or none, and nothing stays held once every
 * deadline has passed.
 */
class CompositeModelProperties {

    private static final RequestCodec<CompositeRequest> COMPOSITES = RequestCodec.of(CompositeRequest.class);
    private static final RequestCodec<CompositeDecision> COMPOSITE_DECISIONS = RequestCodec.of(CompositeDecision.class);
    private static final LocalDateTime H0 = LocalDateTime.parse("2026-10-18T09:00");
    private static final int HOURS = 4;
    private static final List<String> STAFF = List.of("staff-a", "staff-b", "staff-c");
    private static final List<String> COMPOSITE_IDS = List.of("c1", "c2", "c3", "c4", "c5", "c6");
    private static final List<String> ABANDONED_IDS = List.of("lost-1", "lost-2", "lost-3");

    sealed interface Step permits Single, Cancel, CancelSegment, Composite, Replay, Abandon, Join, Tick {
    }

    /** A user's booking; {@code bookingId} may be a segment's id, which must be refused. */
    record Single(String resource, String bookingId, int start, int length, long quantity) implements Step {
    }

    /** A user's cancel, of a single booking or of a composite's segment. */
    record Cancel(String resource, String bookingId) implements Step {
    }

    /** A user's cancel of segment {@code index} of a composite sent before (its resource looked up). */
    record CancelSegment(String compositeId, int index) implements Step {
    }

    record Composite(String compositeId, List<Seg> segments) implements Step {
    }

    /** The composite step {@code index} (mod those so far) again, same id and segments, new requestId. */
    record Replay(int index) implements Step {
    }

    /** A composite whose first segment's hold is sent and whose other holds never are (each id once). */
    record Abandon(String compositeId, List<Seg> segments) implements Step {
    }

    /** A caller asks for an abandoned composite again, same segments: it waits, or gets the decision. */
    record Join(String compositeId) implements Step {
    }

    /** The engine's clock passes every pending composite's deadline. */
    record Tick() implements Step {
    }

    record Seg(String resource, int start, int length) {
        Segment segment() {
            return new Segment(resource, hour(start), hour(start + length), 1L);
        }
    }

    @Property(tries = 50)
    void composites_are_all_or_nothing_and_decided_like_the_model(
            @ForAll @IntRange(min = 1, max = 2) int capacity, @ForAll("scenarios") @Size(min = 10, max = 40) List<Step> steps)
            throws IOException {
        Path stateDir = Files.createTempDirectory("tally-composites-prop");
        try (BookingHarness tally = new BookingHarness(stateDir)) {
            TestInputTopic<String, byte[]> composites = tally.engine().input(tally.engine().topics.compositeRequests());
            Model model = new Model(capacity);
            Instant clock = EngineDriver.CLOCK_START;
            for (String staff : STAFF) {
                tally.decide(new DefineResource("define-" + staff, staff, (long) capacity, SlotSize.HOUR, "UTC"), clock);
            }
            List<Composite> sent = new ArrayList<>();
            Map<String, Abandon> abandoned = new HashMap<>();
            int n = 0;
            for (Step step : steps) {
                String requestId = "r" + n++;
                if (step instanceof Single s) {
                    BookingDecision actual = tally.decide(new Book(requestId, s.resource, s.bookingId, null,
                            hour(s.start), hour(s.start + s.length), s.quantity, null), clock);
                    assertThat(actual.code()).as("%s", s).isEqualTo(model.book(s));
                } else if (step instanceof Cancel c) {
                    BookingDecision actual = tally.decide(new CancelBooking(requestId, c.resource, c.bookingId, null),
                            clock);
                    DecisionCode expected = model.cancel(c.resource, c.bookingId);
                    assertThat(actual.code()).as("%s", c).isEqualTo(expected);
                    Statistics.label("cancel").collect(expected);
                } else if (step instanceof CancelSegment c) {
                    List<Seg> segments = abandoned.containsKey(c.compositeId) ? abandoned.get(c.compositeId).segments
                            : sent.stream().filter(x -> x.compositeId.equals(c.compositeId)).map(x -> x.segments)
                            .findFirst().orElse(null);
                    if (segments == null || c.index >= segments.size()) {
                        continue;
                    }
                    String resource = segments.get(c.index).resource;
                    String bookingId = HoldSegment.bookingIdOf(c.compositeId, c.index);
                    BookingDecision actual = tally.decide(new CancelBooking(requestId, resource, bookingId, null), clock);
                    DecisionCode expected = model.cancel(resource, bookingId);
                    assertThat(actual.code()).as("%s", c).isEqualTo(expected);
                    Statistics.label("cancel").collect(expected);
                } else if (step instanceof Composite || step instanceof Replay) {
                    Composite composite = step instanceof Composite c ? c
                            : sent.isEmpty() ? null : sent.get(((Replay) step).index % sent.size());
                    if (composite == null) {
                        continue;
                    }
                    sent.add(composite);
                    CompositeDecision actual = compose(tally, composites, requestId, composite, clock);
                    Outcome expected = model.compose(composite);
                    assertThat(new Outcome(actual.code(), actual.refusedSegment())).as("%s", composite)
                            .isEqualTo(expected);
                    Statistics.label("composite").collect(expected.code());
                } else if (step instanceof Abandon a) {
                    if (abandoned.putIfAbsent(a.compositeId, a) != null) {
                        continue;
                    }
                    abandon(tally, a, clock);
                    model.abandon(a, clock.toEpochMilli() + EngineDriver.COMPOSITE_TIMEOUT_MS);
                } else if (step instanceof Join j) {
                    Abandon a = abandoned.get(j.compositeId);
                    if (a == null) {
                        continue;
                    }
                    TestRecord<String, byte[]> reply = tally.engine().call(composites, a.compositeId,
                            COMPOSITES.write(new BookComposite(requestId, a.compositeId,
                                    a.segments.stream().map(Seg::segment).toList(), null)), clock);
                    Outcome expected = model.decided(a.compositeId);
                    Statistics.label("join").collect(expected == null ? "waits" : expected.code().name());
                    if (expected == null) {
                        assertThat(reply).as("%s still waits for its segments", j).isNull();
                    } else {
                        assertThat(reply).as("%s is decided", j).isNotNull();
                        CompositeDecision actual = EngineDriver.read(COMPOSITE_DECISIONS, reply.value());
                        assertThat(new Outcome(actual.code(), actual.refusedSegment())).isEqualTo(expected);
                    }
                } else {
                    Duration by = Duration.ofMillis(EngineDriver.COMPOSITE_TIMEOUT_MS + 1_000);
                    tally.advanceClock(by);
                    clock = clock.plus(by);
                    model.timeOut(clock.toEpochMilli());
                }
            }
            assertUsage(tally, model, capacity, clock);
            Duration pastEveryDeadline = Duration.ofMillis(EngineDriver.COMPOSITE_TIMEOUT_MS + 1_000);
            tally.advanceClock(pastEveryDeadline);
            clock = clock.plus(pastEveryDeadline);
            model.timeOut(clock.toEpochMilli());
            assertUsage(tally, model, capacity, clock);
            // Every abandoned composite was decided exactly once: refused at once, or timed out.
            Map<String, Outcome> published = new HashMap<>();
            for (var record : tally.engine().output(tally.engine().topics.compositeDecisions()).readRecordsToList()) {
                CompositeDecision decision = EngineDriver.read(COMPOSITE_DECISIONS, record.value());
                if (abandoned.containsKey(decision.compositeId())) {
                    assertThat(published.put(decision.compositeId(), new Outcome(decision.code(),
                            decision.refusedSegment()))).as("one decision for %s", decision.compositeId()).isNull();
                }
            }
            for (String compositeId : abandoned.keySet()) {
                assertThat(published.get(compositeId)).as(compositeId).isEqualTo(model.decided(compositeId));
                Statistics.label("abandoned").collect(published.get(compositeId).code());
            }
        } finally {
            TempDirs.deleteRecursively(stateDir);
        }
        // Over all tries, the cases the model is about must each have come up: the generators aim at them.
        // A cancel of a held segment (BOOKING_PENDING) and a caller joining a waiting composite come up only a
        // few times per run: too rarely to require here; CompositeTopologyTest and BookingTopologyTest do.
        Statistics.label("cancel").coverage(c -> c.check(DecisionCode.CANCELLED).count(n -> n > 0));
        Statistics.label("composite").coverage(c -> {
            c.check(DecisionCode.COMPOSITE_BOOKED).count(n -> n > 0);
            c.check(DecisionCode.COMPOSITE_REFUSED).count(n -> n > 0);
            c.check(DecisionCode.REQUEST_ID_REUSED).count(n -> n > 0);
        });
        Statistics.label("abandoned").coverage(c -> {
            c.check(DecisionCode.COMPOSITE_TIMED_OUT).count(n -> n > 0);
            c.check(DecisionCode.COMPOSITE_REFUSED).count(n -> n > 0);
        });
    }

    private static CompositeDecision compose(BookingHarness tally, TestInputTopic<String, byte[]> composites,
                                             String requestId, Composite composite, Instant at) {
        BookComposite request = new BookComposite(requestId, composite.compositeId,
                composite.segments.stream().map(Seg::segment).toList(), null);
        TestRecord<String, byte[]> reply = tally.engine().call(composites, composite.compositeId,
                COMPOSITES.write(request), at);
        assertThat(reply).as("a reply to %s", composite).isNotNull();
        assertThat(TallyHeaders.text(reply.headers(), TallyHeaders.REPLY_KIND)).isEqualTo(TallyHeaders.KIND_DECISION);
        return EngineDriver.read(COMPOSITE_DECISIONS, reply.value());
    }

    /**
     * Puts a coordinator's record in place as if it had sent every hold, then lets only the first hold
     * through: what a resource or coordinator task that stopped for good leaves behind.
     */
    private static void abandon(BookingHarness tally, Abandon abandoned, Instant at) {
        String compositeId = abandoned.compositeId;
        List<Segment> segments = abandoned.segments.stream().map(Seg::segment).toList();
        BookComposite request = new BookComposite(compositeId, compositeId, segments, null);
        tally.pendingComposite(request, at, at.toEpochMilli());
        Segment first = segments.get(0);
        tally.command(new HoldSegment("composite:" + compositeId + ":0:hold", first.resource(), compositeId, 0,
                first.from(), first.to(), first.quantity(), null), at);
    }

    private static void assertUsage(BookingHarness tally, Model model, int capacity, Instant at) {
        for (String staff : STAFF) {
            List<SlotUsage> slots = tally.availability(new ReadAvailability("read-" + staff + "-" + at.toEpochMilli(),
                    staff, hour(0), hour(HOURS)), at).slots();
            for (int h = 0; h < HOURS; h++) {
                assertThat(slots.get(h).used()).as("%s hour %d", staff, h).isEqualTo(model.used(staff, h))
                        .isLessThanOrEqualTo(capacity);
            }
        }
    }

    private static String hour(int h) {
        return H0.plusHours(h).toString();
    }

    @Provide
    Arbitrary<List<Step>> scenarios() {
        Arbitrary<String> staff = Arbitraries.of(STAFF);
        Arbitrary<Integer> start = Arbitraries.integers().between(0, HOURS - 1);
        Arbitrary<Integer> length = Arbitraries.integers().between(1, 2);
        Arbitrary<Seg> seg = Combinators.combine(staff, start, length)
                .as((s, h, l) -> new Seg(s, h, Math.min(l, HOURS - h)));
        Arbitrary<String> segmentId = Combinators.combine(
                Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.of(COMPOSITE_IDS)), Tuple.of(1, Arbitraries.of(ABANDONED_IDS))),
                Arbitraries.integers().between(0, 2)).as(HoldSegment::bookingIdOf);
        Arbitrary<String> plainId = Arbitraries.of("b1", "b2", "b3", "b4");
        Arbitrary<Step> single = Combinators.combine(staff,
                        Arbitraries.frequencyOf(Tuple.of(9, plainId), Tuple.of(1, segmentId)), start, length,
                        Arbitraries.longs().between(1, 2))
                .as((s, b, h, l, q) -> (Step) new Single(s, b, h, Math.min(l, HOURS - h), q));
        Arbitrary<Step> cancel = Combinators.combine(staff,
                        Arbitraries.frequencyOf(Tuple.of(1, plainId), Tuple.of(2, segmentId)))
                .as((s, b) -> (Step) new Cancel(s, b));
        Arbitrary<Step> composite = Combinators.combine(Arbitraries.of(COMPOSITE_IDS), seg.list().ofMinSize(1).ofMaxSize(3))
                .as((c, segments) -> (Step) new Composite(c, segments));
        Arbitrary<Step> replay = Arbitraries.integers().between(0, 1000).map(i -> (Step) new Replay(i));
        Arbitrary<Step> abandon = Combinators.combine(Arbitraries.of(ABANDONED_IDS), seg.list().ofMinSize(2).ofMaxSize(3))
                .as((id, segments) -> (Step) new Abandon(id, segments));
        Arbitrary<Step> join = Arbitraries.of(ABANDONED_IDS).map(id -> (Step) new Join(id));
        // Index 0 most often: an abandoned composite holds only its first segment.
        Arbitrary<Step> cancelSegment = Combinators.combine(
                Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.of(COMPOSITE_IDS)), Tuple.of(1, Arbitraries.of(ABANDONED_IDS))),
                Arbitraries.frequency(Tuple.of(3, 0), Tuple.of(1, 1), Tuple.of(1, 2)))
                .as((id, i) -> (Step) new CancelSegment(id, i));
        Arbitrary<Step> tick = Arbitraries.just(new Tick());
        return Arbitraries.frequencyOf(Tuple.of(3, single), Tuple.of(1, cancel), Tuple.of(4, cancelSegment),
                Tuple.of(5, composite),
                Tuple.of(2, replay), Tuple.of(2, abandon), Tuple.of(1, join), Tuple.of(1, tick)).list();
    }

    private record Outcome(DecisionCode code, Integer refusedSegment) {
    }

    /** The rules as the README states them, on plain maps. */
    private static final class Model {

        private enum Status { HELD, BOOKED, CANCELLED }

        private record Taken(int from, int to, long quantity, Status status) {
            Taken with(Status next) {
                return new Taken(from, to, quantity, next);
            }
        }

        private record Pending(String compositeId, long deadlineMs, List<String> keys) {
        }

        /** How each abandoned composite was decided; absent while it waits. */
        private final Map<String, Outcome> abandonedOutcomes = new HashMap<>();

        private final long capacity;
        private final Map<String, long[]> used = new HashMap<>();
        /** Every booking and segment, by "resource/bookingId". */
        private final Map<String, Taken> bookings = new HashMap<>();
        private final Map<String, List<Seg>> compositeSegments = new HashMap<>();
        private final Map<String, Outcome> compositeOutcomes = new HashMap<>();
        private final List<Pending> pending = new ArrayList<>();

        Model(long capacity) {
            this.capacity = capacity;
        }

        long used(String resource, int h) {
            return slots(resource)[h];
        }

        Outcome decided(String abandonedId) {
            return abandonedOutcomes.get(abandonedId);
        }

        DecisionCode book(Single s) {
            if (s.bookingId.startsWith(HoldSegment.SEGMENT_ID_PREFIX)) {
                return DecisionCode.INVALID_REQUEST;
            }
            String key = s.resource + "/" + s.bookingId;
            if (bookings.containsKey(key)) {
                return DecisionCode.ALREADY_BOOKED;
            }
            if (!take(key, s.resource, s.start, s.start + s.length, s.quantity, Status.BOOKED)) {
                return DecisionCode.AVAILABILITY_CONFLICT;
            }
            return DecisionCode.BOOKED;
        }

        DecisionCode cancel(String resource, String bookingId) {
            String key = resource + "/" + bookingId;
            Taken taken = bookings.get(key);
            if (taken == null) {
                return DecisionCode.BOOKING_NOT_FOUND;
            }
            if (taken.status == Status.HELD) {
                return DecisionCode.BOOKING_PENDING;
            }
            if (taken.status == Status.BOOKED) {
                free(key, resource);
            }
            return DecisionCode.CANCELLED;
        }

        /** Holds every segment in order (a hold is taken or refused at once), then confirms or releases all. */
        Outcome compose(Composite composite) {
            List<Seg> before = compositeSegments.get(composite.compositeId);
            if (before != null) {
                return before.equals(composite.segments) ? compositeOutcomes.get(composite.compositeId)
                        : new Outcome(DecisionCode.REQUEST_ID_REUSED, null);
            }
            List<String> held = new ArrayList<>();
            Integer refused = null;
            for (int i = 0; i < composite.segments.size(); i++) {
                Seg seg = composite.segments.get(i);
                String key = seg.resource + "/" + HoldSegment.bookingIdOf(composite.compositeId, i);
                if (take(key, seg.resource, seg.start, seg.start + seg.length, 1, Status.HELD)) {
                    held.add(key);
                } else if (refused == null) {
                    refused = i;
                }
            }
            for (String key : held) {
                if (refused == null) {
                    bookings.put(key, bookings.get(key).with(Status.BOOKED));
                } else {
                    free(key, key.substring(0, key.indexOf('/')));
                }
            }
            Outcome outcome = refused == null ? new Outcome(DecisionCode.COMPOSITE_BOOKED, null)
                    : new Outcome(DecisionCode.COMPOSITE_REFUSED, refused);
            compositeSegments.put(composite.compositeId, composite.segments);
            compositeOutcomes.put(composite.compositeId, outcome);
            return outcome;
        }

        /** Only the first segment's hold arrives: held if it fits; refused (and so decided) if not. */
        void abandon(Abandon abandoned, long deadlineMs) {
            Seg first = abandoned.segments.get(0);
            String key = first.resource + "/" + HoldSegment.bookingIdOf(abandoned.compositeId, 0);
            if (take(key, first.resource, first.start, first.start + first.length, 1, Status.HELD)) {
                pending.add(new Pending(abandoned.compositeId, deadlineMs, List.of(key)));
            } else {
                abandonedOutcomes.put(abandoned.compositeId, new Outcome(DecisionCode.COMPOSITE_REFUSED, 0));
            }
        }

        void timeOut(long nowMs) {
            pending.removeIf(p -> {
                if (p.deadlineMs > nowMs) {
                    return false;
                }
                p.keys.forEach(key -> free(key, key.substring(0, key.indexOf('/'))));
                abandonedOutcomes.put(p.compositeId, new Outcome(DecisionCode.COMPOSITE_TIMED_OUT, null));
                return true;
            });
        }

        private boolean take(String key, String resource, int from, int to, long quantity, Status status) {
            long[] slots = slots(resource);
            for (int h = from; h < to; h++) {
                if (slots[h] + quantity > capacity) {
                    return false;
                }
            }
            for (int h = from; h < to; h++) {
                slots[h] += quantity;
            }
            bookings.put(key, new Taken(from, to, quantity, status));
            return true;
        }

        private void free(String key, String resource) {
            Taken taken = Objects.requireNonNull(bookings.get(key), key);
            long[] slots = slots(resource);
            for (int h = taken.from; h < taken.to; h++) {
                slots[h] -= taken.quantity;
            }
            bookings.put(key, taken.with(Status.CANCELLED));
        }

        private long[] slots(String resource) {
            return used.computeIfAbsent(resource, r -> new long[HOURS]);
        }
    }
}
