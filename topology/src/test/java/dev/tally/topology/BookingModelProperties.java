package dev.tally.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.schemas.DecisionCode;
import dev.tally.schemas.bookings.Book;
import dev.tally.schemas.bookings.BookingDecision;
import dev.tally.schemas.bookings.BookingRequest;
import dev.tally.schemas.bookings.CancelBooking;
import dev.tally.schemas.bookings.DefineResource;
import dev.tally.schemas.bookings.ReadAvailability;
import dev.tally.schemas.bookings.RescheduleBooking;
import dev.tally.schemas.bookings.SlotSize;
import dev.tally.schemas.bookings.SlotUsage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
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
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Random bookings, cancels, reschedules (with and without expected versions) and retries on two day-slot
 * resources, driven through the whole topology and compared, decision by decision, with a reference
 * model on plain maps. Whatever the order, no slot is ever booked past its capacity.
 */
class BookingModelProperties {

    private static final LocalDate DAY0 = LocalDate.parse("2026-10-18");
    private static final List<String> RESOURCES = List.of("room-a", "room-b");
    private static final List<String> BOOKING_IDS = List.of("b1", "b2", "b3", "b4", "b5");
    private static final int DAYS = 8;

    sealed interface Step permits Fresh, Retry {
    }

    record Fresh(BookingRequest request) implements Step {
    }

    /** Replays write {@code index} (mod the writes so far), same id; with {@code changed} another quantity or range. */
    record Retry(int index, boolean changed) implements Step {
    }

    @Property(tries = 60)
    void the_engine_decides_like_the_reference_model(@ForAll @IntRange(min = 1, max = 3) int capacity,
                                                    @ForAll("scenarios") @Size(max = 60) List<Step> steps)
            throws IOException {
        Path stateDir = Files.createTempDirectory("tally-bookings-prop");
        try (BookingHarness tally = new BookingHarness(stateDir)) {
            Model model = new Model(capacity);
            for (String resource : RESOURCES) {
                tally.decide(new DefineResource("define-" + resource, resource, (long) capacity, SlotSize.DAY, "UTC"),
                        EngineDriver.CLOCK_START);
            }
            List<BookingRequest> writes = new ArrayList<>();
            for (Step step : steps) {
                BookingRequest request = requestFor(step, writes);
                if (request == null) {
                    continue;
                }
                writes.add(request);
                BookingDecision actual = tally.decide(request, EngineDriver.CLOCK_START);
                Expected expected = model.decide(request);
                assertThat(new Expected(actual.code(), actual.booking() == null ? null : actual.booking().version()))
                        .as("answer to %s", request).isEqualTo(expected);
            }
            for (String resource : RESOURCES) {
                List<SlotUsage> slots = tally.availability(new ReadAvailability("read-" + resource, resource,
                        day(0), day(DAYS)), EngineDriver.CLOCK_START).slots();
                for (int d = 0; d < DAYS; d++) {
                    assertThat(slots.get(d).used()).as("%s day %d", resource, d).isEqualTo(model.used(resource, d))
                            .isLessThanOrEqualTo(capacity);
                }
            }
        } finally {
            TempDirs.deleteRecursively(stateDir);
        }
    }

    private static String day(int d) {
        return DAY0.plusDays(d).toString();
    }

    private static BookingRequest requestFor(Step step, List<BookingRequest> writes) {
        if (step instanceof Fresh fresh) {
            return fresh.request.withRequestId("r" + writes.size());
        }
        Retry retry = (Retry) step;
        if (writes.isEmpty()) {
            return null;
        }
        BookingRequest earlier = writes.get(retry.index % writes.size());
        if (!retry.changed) {
            return earlier;
        }
        if (earlier instanceof Book b) {
            return new Book(b.requestId(), b.resource(), b.bookingId(), null, b.from(), b.to(), b.quantity() + 1, null);
        } else if (earlier instanceof RescheduleBooking r) {
            return new RescheduleBooking(r.requestId(), r.resource(), r.bookingId(), r.from(), day(DAYS),
                    r.expectedVersion());
        }
        CancelBooking c = (CancelBooking) earlier;
        return new CancelBooking(c.requestId(), c.resource(), c.bookingId(), c.expectedVersion() == null ? 1L : null);
    }

    @Provide
    Arbitrary<List<Step>> scenarios() {
        Arbitrary<String> resource = Arbitraries.of(RESOURCES);
        Arbitrary<String> bookingId = Arbitraries.of(BOOKING_IDS);
        Arbitrary<Integer> start = Arbitraries.integers().between(0, DAYS - 1);
        Arbitrary<Integer> length = Arbitraries.integers().between(1, 3);
        Arbitrary<Long> version = Arbitraries.longs().between(1, 3).injectNull(0.5);
        Arbitrary<Step> book = Combinators.combine(resource, bookingId, start, length, Arbitraries.longs().between(1, 2))
                .as((r, b, s, l, q) -> (Step) new Fresh(new Book(null, r, b, null, day(s),
                        day(Math.min(DAYS, s + l)), q, null)));
        Arbitrary<Step> cancel = Combinators.combine(resource, bookingId, version)
                .as((r, b, v) -> (Step) new Fresh(new CancelBooking(null, r, b, v)));
        Arbitrary<Step> reschedule = Combinators.combine(resource, bookingId, start, length, version)
                .as((r, b, s, l, v) -> (Step) new Fresh(new RescheduleBooking(null, r, b, day(s),
                        day(Math.min(DAYS, s + l)), v)));
        Arbitrary<Step> retry = Combinators.combine(Arbitraries.integers().between(0, 1000), Arbitraries.of(true, false))
                .as((i, c) -> (Step) new Retry(i, c));
        return Arbitraries.frequencyOf(Tuple.of(5, book), Tuple.of(2, cancel), Tuple.of(3, reschedule),
                Tuple.of(2, retry)).list();
    }

    private record Expected(DecisionCode code, Long version) {
    }

    /** The rules as the README states them, on plain maps: per resource, what is booked per day. */
    private static final class Model {
        private record Held(int from, int to, long quantity, long version, boolean live) {
        }

        private final long capacity;
        private final Map<String, long[]> used = new HashMap<>();
        private final Map<String, Held> bookings = new HashMap<>();
        private final Map<String, BookingRequest> bodies = new HashMap<>();
        private final Map<String, Expected> answers = new HashMap<>();

        Model(long capacity) {
            this.capacity = capacity;
        }

        long used(String resource, int d) {
            return used.computeIfAbsent(resource, r -> new long[DAYS])[d];
        }

        Expected decide(BookingRequest request) {
            String id = request.resource() + "/" + request.requestId();
            if (bodies.containsKey(id)) {
                return Objects.equals(bodies.get(id), request) ? answers.get(id)
                        : new Expected(DecisionCode.REQUEST_ID_REUSED, null);
            }
            Expected answer = apply(request);
            bodies.put(id, request);
            answers.put(id, answer);
            return answer;
        }

        private Expected apply(BookingRequest request) {
            long[] days = used.computeIfAbsent(request.resource(), r -> new long[DAYS]);
            if (request instanceof Book b) {
                String key = b.resource() + "/" + b.effectiveBookingId();
                Held existing = bookings.get(key);
                if (existing != null) {
                    return new Expected(DecisionCode.ALREADY_BOOKED, existing.version);
                }
                int from = index(b.from());
                int to = index(b.to());
                for (int d = from; d < to; d++) {
                    if (days[d] + b.quantity() > capacity) {
                        return new Expected(DecisionCode.AVAILABILITY_CONFLICT, null);
                    }
                }
                for (int d = from; d < to; d++) {
                    days[d] += b.quantity();
                }
                bookings.put(key, new Held(from, to, b.quantity(), 1, true));
                return new Expected(DecisionCode.BOOKED, 1L);
            }
            String bookingId = request instanceof CancelBooking c ? c.bookingId() : ((RescheduleBooking) request).bookingId();
            Long expected = request instanceof CancelBooking c ? c.expectedVersion()
                    : ((RescheduleBooking) request).expectedVersion();
            String key = request.resource() + "/" + bookingId;
            Held held = bookings.get(key);
            if (held == null) {
                return new Expected(DecisionCode.BOOKING_NOT_FOUND, null);
            }
            if (expected != null && expected != held.version) {
                return new Expected(DecisionCode.STALE_VERSION, held.version);
            }
            if (request instanceof CancelBooking) {
                if (!held.live) {
                    return new Expected(DecisionCode.CANCELLED, held.version);
                }
                for (int d = held.from; d < held.to; d++) {
                    days[d] -= held.quantity;
                }
                bookings.put(key, new Held(held.from, held.to, held.quantity, held.version + 1, false));
                return new Expected(DecisionCode.CANCELLED, held.version + 1);
            }
            if (!held.live) {
                return new Expected(DecisionCode.BOOKING_CANCELLED, held.version);
            }
            RescheduleBooking r = (RescheduleBooking) request;
            int from = index(r.from());
            int to = index(r.to());
            for (int d = from; d < to; d++) {
                long others = d >= held.from && d < held.to ? days[d] - held.quantity : days[d];
                if (others + held.quantity > capacity) {
                    return new Expected(DecisionCode.AVAILABILITY_CONFLICT, held.version);
                }
            }
            for (int d = held.from; d < held.to; d++) {
                days[d] -= held.quantity;
            }
            for (int d = from; d < to; d++) {
                days[d] += held.quantity;
            }
            bookings.put(key, new Held(from, to, held.quantity, held.version + 1, true));
            return new Expected(DecisionCode.RESCHEDULED, held.version + 1);
        }

        private static int index(String day) {
            return (int) (LocalDate.parse(day).toEpochDay() - DAY0.toEpochDay());
        }
    }
}
