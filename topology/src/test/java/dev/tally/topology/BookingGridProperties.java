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
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;

/**
 * Bookings in time zones with a clock change and slot sizes that do not divide hours evenly, with
 * external ids, against a model that knows nothing of calendars: it takes the engine's slot grid (after
 * checking that the slots tile the horizon with no gap or overlap) and counts what each slot holds by
 * plain interval overlap. Whatever the zone, size and order, the engine's counters equal the model's and
 * no slot passes its capacity.
 */
class BookingGridProperties {

    /** Europe/Paris moves its clocks on 2026-03-29; the horizon is the half day before and that day. */
    private static final LocalDateTime HORIZON_START = LocalDateTime.parse("2026-03-28T12:00");
    private static final LocalDateTime HORIZON_END = LocalDateTime.parse("2026-03-30T00:00");
    private static final List<String> BOOKING_IDS = List.of("b1", "b2", "b3", "b4");
    private static final List<String> EXTERNAL_IDS = List.of("e1", "e2");

    record Shape(String zone, SlotSize slot, long capacity) {
    }

    @Property(tries = 50)
    void slot_counters_equal_the_overlap_of_live_bookings(@ForAll("shapes") Shape shape,
                                                         @ForAll("steps") @Size(max = 40) List<BookingRequest> steps)
            throws IOException {
        Path stateDir = Files.createTempDirectory("tally-grid-prop");
        try (BookingHarness tally = new BookingHarness(stateDir)) {
            ZoneId zone = ZoneId.of(shape.zone());
            tally.decide(new DefineResource("define", "res", shape.capacity(), shape.slot(), shape.zone()),
                    EngineDriver.CLOCK_START);
            List<SlotUsage> grid = read(tally);
            assertTiles(grid, HORIZON_START.atZone(zone).toInstant(), HORIZON_END.atZone(zone).toInstant());

            Model model = new Model(grid, shape.capacity(), zone);
            int n = 0;
            for (BookingRequest step : steps) {
                BookingRequest request = step.withRequestId("r" + n++);
                BookingDecision actual = tally.decide(request, EngineDriver.CLOCK_START);
                assertThat(actual.code()).as("code of %s in %s", request, shape).isEqualTo(model.decide(request));
            }
            List<SlotUsage> after = read(tally);
            for (int i = 0; i < grid.size(); i++) {
                assertThat(after.get(i).used()).as("slot %s in %s", grid.get(i).start(), shape)
                        .isEqualTo(model.used(i)).isLessThanOrEqualTo(shape.capacity());
            }
        } finally {
            TempDirs.deleteRecursively(stateDir);
        }
    }

    private static List<SlotUsage> read(BookingHarness tally) {
        return tally.availability(new ReadAvailability("read-" + System.nanoTime(), "res", HORIZON_START.toString(),
                HORIZON_END.toString()), EngineDriver.CLOCK_START).slots();
    }

    /** Slots follow one another with no gap and no overlap, and cover the horizon. */
    private static void assertTiles(List<SlotUsage> grid, Instant from, Instant to) {
        assertThat(grid.get(0).start()).isBeforeOrEqualTo(from);
        for (int i = 1; i < grid.size(); i++) {
            assertThat(grid.get(i).start()).as("slot %d starts where %d ends", i, i - 1).isEqualTo(grid.get(i - 1).end());
        }
        assertThat(grid.get(grid.size() - 1).end()).isAfterOrEqualTo(to);
    }

    @Provide
    Arbitrary<Shape> shapes() {
        // Mostly Paris: its clock change is where calendars go wrong.
        return Combinators.combine(
                Arbitraries.frequency(Tuple.of(1, "UTC"), Tuple.of(3, "Europe/Paris"), Tuple.of(1, "Asia/Kolkata")),
                Arbitraries.of(SlotSize.DAY, SlotSize.HOUR, SlotSize.ofMinutes(45), SlotSize.ofMinutes(120)),
                Arbitraries.longs().between(1, 3)).as(Shape::new);
    }

    @Provide
    Arbitrary<List<BookingRequest>> steps() {
        // Quarter hours over the horizon: ranges often start and end inside slots, and inside the gap
        // the clock change leaves (02:00-03:00 on 2026-03-29 does not exist in Paris).
        int quarters = (int) java.time.Duration.between(HORIZON_START, HORIZON_END).toMinutes() / 15;
        Arbitrary<Integer> start = Arbitraries.integers().between(0, quarters - 1);
        Arbitrary<Integer> length = Arbitraries.integers().between(1, 24);
        Arbitrary<String> bookingId = Arbitraries.of(BOOKING_IDS).injectNull(0.3);
        Arbitrary<String> externalId = Arbitraries.of(EXTERNAL_IDS).injectNull(0.5);
        Arbitrary<BookingRequest> book = Combinators.combine(bookingId, externalId, start, length,
                        Arbitraries.longs().between(1, 2))
                .as((b, e, s, l, q) -> new Book(null, "res", b, e, at(s), at(Math.min(quarters, s + l)), q, null));
        Arbitrary<BookingRequest> cancel = Arbitraries.of(BOOKING_IDS)
                .map(b -> new CancelBooking(null, "res", b, null));
        Arbitrary<BookingRequest> reschedule = Combinators.combine(Arbitraries.of(BOOKING_IDS), start, length)
                .as((b, s, l) -> new RescheduleBooking(null, "res", b, at(s), at(Math.min(quarters, s + l)), null));
        return Arbitraries.frequencyOf(Tuple.of(5, book), Tuple.of(2, cancel), Tuple.of(2, reschedule)).list();
    }

    private static String at(int quarter) {
        return HORIZON_START.plusMinutes(15L * quarter).toString();
    }

    /**
     * Bookings as intervals; a slot holds every live booking whose interval overlaps it. Ids: the bookingId
     * (the requestId when absent), and external ids until their booking is cancelled.
     */
    private static final class Model {
        private record Held(Instant from, Instant to, long quantity, boolean live) {
        }

        private final List<SlotUsage> grid;
        private final long capacity;
        private final ZoneId zone;
        private final Map<String, Held> bookings = new HashMap<>();
        private final Map<String, String> byExternalId = new HashMap<>();
        private final Map<String, String> externalIdOf = new HashMap<>();

        Model(List<SlotUsage> grid, long capacity, ZoneId zone) {
            this.grid = grid;
            this.capacity = capacity;
            this.zone = zone;
        }

        long used(int slot) {
            return bookings.values().stream().filter(b -> b.live && overlaps(b.from, b.to, grid.get(slot)))
                    .mapToLong(Held::quantity).sum();
        }

        DecisionCode decide(BookingRequest request) {
            if (request instanceof Book b) {
                String id = b.effectiveBookingId();
                if (bookings.containsKey(id)) {
                    return DecisionCode.ALREADY_BOOKED;
                }
                if (b.externalId() != null && byExternalId.containsKey(b.externalId())) {
                    return b.bookingId() == null ? DecisionCode.ALREADY_BOOKED : DecisionCode.DUPLICATE_EXTERNAL_ID;
                }
                Instant from = instant(b.from());
                Instant to = instant(b.to());
                if (!from.isBefore(to)) {
                    return DecisionCode.INVALID_REQUEST;
                }
                if (!fits(from, to, b.quantity(), null)) {
                    return DecisionCode.AVAILABILITY_CONFLICT;
                }
                bookings.put(id, new Held(from, to, b.quantity(), true));
                if (b.externalId() != null) {
                    byExternalId.put(b.externalId(), id);
                    externalIdOf.put(id, b.externalId());
                }
                return DecisionCode.BOOKED;
            }
            String id = request instanceof CancelBooking c ? c.bookingId() : ((RescheduleBooking) request).bookingId();
            Held held = bookings.get(id);
            if (held == null) {
                return DecisionCode.BOOKING_NOT_FOUND;
            }
            if (request instanceof CancelBooking) {
                if (held.live) {
                    bookings.put(id, new Held(held.from, held.to, held.quantity, false));
                    String externalId = externalIdOf.remove(id);
                    if (externalId != null) {
                        byExternalId.remove(externalId);
                    }
                }
                return DecisionCode.CANCELLED;
            }
            if (!held.live) {
                return DecisionCode.BOOKING_CANCELLED;
            }
            RescheduleBooking r = (RescheduleBooking) request;
            Instant from = instant(r.from());
            Instant to = instant(r.to());
            if (!from.isBefore(to)) {
                return DecisionCode.INVALID_REQUEST;
            }
            if (!fits(from, to, held.quantity, id)) {
                return DecisionCode.AVAILABILITY_CONFLICT;
            }
            bookings.put(id, new Held(from, to, held.quantity, true));
            return DecisionCode.RESCHEDULED;
        }

        /** Every slot the interval overlaps has room for {@code quantity}, not counting booking {@code own}. */
        private boolean fits(Instant from, Instant to, long quantity, String own) {
            for (SlotUsage slot : grid) {
                if (!overlaps(from, to, slot)) {
                    continue;
                }
                long others = bookings.entrySet().stream()
                        .filter(e -> !e.getKey().equals(own) && e.getValue().live
                                && overlaps(e.getValue().from, e.getValue().to, slot))
                        .mapToLong(e -> e.getValue().quantity).sum();
                if (others + quantity > capacity) {
                    return false;
                }
            }
            return true;
        }

        private static boolean overlaps(Instant from, Instant to, SlotUsage slot) {
            return from.isBefore(slot.end()) && slot.start().isBefore(to);
        }

        private Instant instant(String local) {
            return LocalDateTime.parse(local).atZone(zone).toInstant();
        }
    }
}
