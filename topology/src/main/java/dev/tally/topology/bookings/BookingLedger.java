package dev.tally.topology.bookings;

import dev.tally.schemas.DecisionCode;
import dev.tally.schemas.FieldError;
import dev.tally.schemas.bookings.AvailabilityReport;
import dev.tally.schemas.bookings.Book;
import dev.tally.schemas.bookings.BookingDecision;
import dev.tally.schemas.bookings.BookingRequest;
import dev.tally.schemas.bookings.BookingStatus;
import dev.tally.schemas.bookings.CancelBooking;
import dev.tally.schemas.bookings.ConfirmSegment;
import dev.tally.schemas.bookings.DefineResource;
import dev.tally.schemas.bookings.HoldSegment;
import dev.tally.schemas.bookings.ReadAvailability;
import dev.tally.schemas.bookings.ReleaseSegment;
import dev.tally.schemas.bookings.RescheduleBooking;
import dev.tally.schemas.bookings.SlotUsage;
import dev.tally.schemas.bookings.TimeText;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The rules of capacity bookings, in plain Java: does a range fit every slot it touches, what a cancel
 * frees, how a reschedule moves. One ledger serves one task; every request it sees is for a resource
 * that task owns, one at a time, so a check and the write that follows it are never split (I2: what is
 * booked in a slot never passes its capacity, except where a capacity was lowered under it).
 */
public final class BookingLedger {

    /** Most overcommitted slots a capacity change reports, and most booked slots it reads to find them. */
    static final int OVERCOMMIT_REPORT_MAX = 100;
    static final int OVERCOMMIT_SCAN_MAX = 10_000;

    private final BookingRecords records;

    public BookingLedger(BookingRecords records) {
        this.records = records;
    }

    public BookingDecision define(DefineResource request, long atMs) {
        ResourceState before = records.resource(request.resource());
        boolean reshaped = before != null && (!before.slot().equals(request.slot())
                || !before.timezone().equals(request.timezone()));
        if (reshaped && before.liveBookings() > 0) {
            return decision(request, DecisionCode.RESOURCE_IN_USE, before, null, null, null, atMs,
                    "slot and time zone cannot change while " + before.liveBookings() + " booking(s) live");
        }
        ResourceState after = new ResourceState(request.capacity(), request.slot(), request.timezone(),
                before == null ? 0 : before.liveBookings());
        records.putResource(request.resource(), after);
        List<SlotUsage> overcommitted = new ArrayList<>();
        if (before != null && after.capacity() < before.capacity()) {
            SlotCalendar calendar = after.calendar();
            for (BookingRecords.Slot slot : records.bookedSlots(request.resource(), OVERCOMMIT_SCAN_MAX)) {
                if (slot.used() > after.capacity() && overcommitted.size() < OVERCOMMIT_REPORT_MAX) {
                    overcommitted.add(usage(calendar, slot.start(), after.capacity(), slot.used()));
                }
            }
        }
        String message = overcommitted.isEmpty() ? "capacity " + after.capacity()
                : "capacity " + after.capacity() + "; " + overcommitted.size() + " slot(s) already booked past it"
                + " keep their bookings";
        return decision(request, DecisionCode.RESOURCE_SET, after, null, null,
                overcommitted.isEmpty() ? null : overcommitted, atMs, message);
    }

    public BookingDecision book(Book request, long atMs) {
        ResourceState resource = records.resource(request.resource());
        if (resource == null) {
            return resourceNotFound(request, atMs);
        }
        String bookingId = request.effectiveBookingId();
        BookingState existing = records.booking(request.resource(), bookingId);
        if (existing != null) {
            return decision(request, DecisionCode.ALREADY_BOOKED, resource, existing.view(request.resource(), bookingId),
                    null, null, atMs, "booking " + bookingId + " exists; returning it");
        }
        if (request.externalId() != null) {
            String firstId = records.bookingIdOf(request.resource(), request.externalId());
            if (firstId != null) {
                var first = records.booking(request.resource(), firstId).view(request.resource(), firstId);
                return request.bookingId() == null
                        ? decision(request, DecisionCode.ALREADY_BOOKED, resource, first, null, null, atMs,
                        "externalId " + request.externalId() + " is booking " + firstId + "; returning it")
                        : decision(request, DecisionCode.DUPLICATE_EXTERNAL_ID, resource, first, null, null, atMs,
                        "externalId " + request.externalId() + " belongs to booking " + firstId);
            }
        }
        Taken taken = take(request, resource, request.from(), request.to(), request.quantity(), atMs);
        if (taken.refused() != null) {
            return taken.refused();
        }
        Range range = taken.range();
        BookingState booked = new BookingState(request.externalId(), range.from.toEpochMilli(), range.to.toEpochMilli(),
                request.quantity(), request.userId(), 1, BookingStatus.BOOKED, atMs);
        records.putBooking(request.resource(), bookingId, booked);
        if (request.externalId() != null) {
            records.putExternalId(request.resource(), request.externalId(), bookingId);
        }
        records.putResource(request.resource(), resource.withLiveBookings(resource.liveBookings() + 1));
        return decision(request, DecisionCode.BOOKED, resource, booked.view(request.resource(), bookingId), null, null,
                atMs, "booked " + request.quantity() + " over " + range.slots.size() + " slot(s)");
    }

    public BookingDecision cancel(CancelBooking request, long atMs) {
        Target target = target(request, request.bookingId(), request.expectedVersion(), DecisionCode.CANCELLED,
                "was already cancelled", atMs);
        if (target.refused() != null) {
            return target.refused();
        }
        ResourceState resource = target.resource();
        BookingState booking = target.booking();
        release(request.resource(), resource, booking);
        BookingState cancelled = booking.cancelled();
        records.putBooking(request.resource(), request.bookingId(), cancelled);
        if (booking.externalId() != null) {
            // The other system may book its event again; the cancelled booking keeps its own id.
            records.deleteExternalId(request.resource(), booking.externalId());
        }
        records.putResource(request.resource(), resource.withLiveBookings(resource.liveBookings() - 1));
        return decision(request, DecisionCode.CANCELLED, resource, cancelled.view(request.resource(),
                request.bookingId()), null, null, atMs, "booking " + request.bookingId() + " cancelled; its slots are free");
    }

    public BookingDecision reschedule(RescheduleBooking request, long atMs) {
        Target target = target(request, request.bookingId(), request.expectedVersion(), DecisionCode.BOOKING_CANCELLED,
                "is cancelled", atMs);
        if (target.refused() != null) {
            return target.refused();
        }
        ResourceState resource = target.resource();
        BookingState booking = target.booking();
        Range range = range(request, request.from(), request.to(), resource);
        if (range.errors != null) {
            return invalid(request, range.errors, atMs);
        }
        SlotCalendar calendar = resource.calendar();
        Set<Instant> old = new HashSet<>(calendar.slots(Instant.ofEpochMilli(booking.fromMs()),
                Instant.ofEpochMilli(booking.toMs())));
        // The booking's own quantity in a slot it keeps is not counted against its move.
        SlotUsage full = firstFull(request.resource(), resource, range.slots, booking.quantity(), old);
        if (full != null) {
            return conflict(request, resource, full, booking.view(request.resource(), request.bookingId()), atMs);
        }
        release(request.resource(), resource, booking);
        for (Instant slot : range.slots) {
            records.putUsed(request.resource(), slot, records.used(request.resource(), slot) + booking.quantity());
        }
        BookingState moved = booking.movedTo(range.from.toEpochMilli(), range.to.toEpochMilli());
        records.putBooking(request.resource(), request.bookingId(), moved);
        return decision(request, DecisionCode.RESCHEDULED, resource, moved.view(request.resource(),
                request.bookingId()), null, null, atMs, "booking " + request.bookingId() + " moved");
    }

    /**
     * Takes a composite segment's slots now, or refuses at once; never waits. A hold already taken (the
     * coordinator's command seen again) answers as it stands.
     */
    public BookingDecision hold(HoldSegment request, long atMs) {
        ResourceState resource = records.resource(request.resource());
        if (resource == null) {
            return resourceNotFound(request, atMs);
        }
        String bookingId = HoldSegment.bookingIdOf(request.compositeId(), request.index());
        BookingState existing = records.booking(request.resource(), bookingId);
        if (existing != null) {
            return heldBefore(request, resource, bookingId, existing, atMs);
        }
        Taken taken = take(request, resource, request.from(), request.to(), request.quantity(), atMs);
        if (taken.refused() != null) {
            return taken.refused();
        }
        Range range = taken.range();
        BookingState held = new BookingState(null, range.from.toEpochMilli(), range.to.toEpochMilli(),
                request.quantity(), request.userId(), 1, BookingStatus.HELD, atMs);
        records.putBooking(request.resource(), bookingId, held);
        records.putResource(request.resource(), resource.withLiveBookings(resource.liveBookings() + 1));
        return decision(request, DecisionCode.SEGMENT_HELD, resource, held.view(request.resource(), bookingId), null,
                null, atMs, "segment " + request.index() + " of " + request.compositeId() + " held");
    }

    /**
     * The hold command seen again (the coordinator's retry) answers as the segment stands. One asking for
     * another range or quantity than the hold stored under its id is not that command but one published
     * straight to Kafka under the same id: refused, so that the composite never counts a slot it does not
     * hold.
     */
    private BookingDecision heldBefore(HoldSegment request, ResourceState resource, String bookingId,
                                       BookingState existing, long atMs) {
        Range range = range(request, request.from(), request.to(), resource);
        boolean same = range.errors == null && existing.fromMs() == range.from.toEpochMilli()
                && existing.toMs() == range.to.toEpochMilli() && existing.quantity() == request.quantity();
        String segment = "segment " + request.index() + " of " + request.compositeId();
        if (!same) {
            return decision(request, DecisionCode.REQUEST_ID_REUSED, resource, existing.view(request.resource(),
                    bookingId), null, null, atMs, segment + " was held before for another range or quantity");
        }
        return decision(request, existing.isLive() ? DecisionCode.SEGMENT_HELD : DecisionCode.SEGMENT_RELEASED,
                resource, existing.view(request.resource(), bookingId), null, null, atMs, segment + " seen before");
    }

    /** The composite was accepted: the held segment becomes a booking (its slots are already taken). */
    public BookingDecision confirm(ConfirmSegment request, long atMs) {
        String bookingId = HoldSegment.bookingIdOf(request.compositeId(), request.index());
        ResourceState resource = records.resource(request.resource());
        if (resource == null) {
            return resourceNotFound(request, atMs);
        }
        BookingState held = records.booking(request.resource(), bookingId);
        if (held == null || !held.isLive()) {
            // The coordinator confirms only holds that answered SEGMENT_HELD and that nothing but it ends:
            // this confirm was published by something else. It is answered, never thrown: a record that
            // fails the task would fail it again on every retry and stall the partition.
            return decision(request, held == null ? DecisionCode.BOOKING_NOT_FOUND : DecisionCode.BOOKING_CANCELLED,
                    resource, held == null ? null : held.view(request.resource(), bookingId), null, null, atMs,
                    "segment " + request.index() + " of " + request.compositeId() + " holds nothing to confirm");
        }
        BookingState booked = held.status() == BookingStatus.HELD ? held.withStatus(BookingStatus.BOOKED) : held;
        records.putBooking(request.resource(), bookingId, booked);
        return decision(request, DecisionCode.SEGMENT_CONFIRMED, resource, booked.view(request.resource(), bookingId),
                null, null, atMs, "segment " + request.index() + " of " + request.compositeId() + " booked");
    }

    /**
     * The composite was refused or timed out: the segment, if it holds slots, gives them back. A segment
     * already BOOKED here was confirmed by a command published straight to Kafka, not by its coordinator
     * (which never confirms a composite it refuses): it is freed too, so a refused composite holds nothing.
     */
    public BookingDecision releaseSegment(ReleaseSegment request, long atMs) {
        String bookingId = HoldSegment.bookingIdOf(request.compositeId(), request.index());
        ResourceState resource = records.resource(request.resource());
        BookingState held = resource == null ? null : records.booking(request.resource(), bookingId);
        if (held == null || !held.isLive()) {
            return decision(request, DecisionCode.SEGMENT_RELEASED, resource,
                    held == null ? null : held.view(request.resource(), bookingId), null, null, atMs,
                    "segment " + request.index() + " of " + request.compositeId() + " holds nothing");
        }
        release(request.resource(), resource, held);
        BookingState released = held.cancelled();
        records.putBooking(request.resource(), bookingId, released);
        records.putResource(request.resource(), resource.withLiveBookings(resource.liveBookings() - 1));
        return decision(request, DecisionCode.SEGMENT_RELEASED, resource, released.view(request.resource(), bookingId),
                null, null, atMs, "segment " + request.index() + " of " + request.compositeId() + " released");
    }

    /** The range a new booking or hold took, or the decision that refused it (bad range, a full slot). */
    private record Taken(Range range, BookingDecision refused) {
    }

    /** Checks that {@code quantity} fits every slot of the range and, if it does, adds it to each. */
    private Taken take(BookingRequest request, ResourceState resource, String from, String to, long quantity,
                       long atMs) {
        Range range = range(request, from, to, resource);
        if (range.errors != null) {
            return new Taken(null, invalid(request, range.errors, atMs));
        }
        SlotUsage full = firstFull(request.resource(), resource, range.slots, quantity, null);
        if (full != null) {
            return new Taken(null, conflict(request, resource, full, null, atMs));
        }
        for (Instant slot : range.slots) {
            records.putUsed(request.resource(), slot, records.used(request.resource(), slot) + quantity);
        }
        return new Taken(range, null);
    }

    /** The slots of the range with capacity, used and free; null when the resource does not exist. */
    public AvailabilityReport availability(ReadAvailability request, long atMs, List<FieldError> errors) {
        ResourceState resource = records.resource(request.resource());
        if (resource == null) {
            return null;
        }
        Range range = range(request, request.from(), request.to(), resource);
        if (range.errors != null) {
            errors.addAll(range.errors);
            return null;
        }
        SlotCalendar calendar = resource.calendar();
        List<SlotUsage> slots = new ArrayList<>(range.slots.size());
        for (Instant slot : range.slots) {
            slots.add(usage(calendar, slot, resource.capacity(), records.used(request.resource(), slot)));
        }
        return new AvailabilityReport(request.requestId(), request.resource(), resource.capacity(), resource.slot(),
                resource.timezone(), slots, Instant.ofEpochMilli(atMs));
    }

    /** The resource and booking a cancel or reschedule would change, or the decision that refuses it. */
    private record Target(ResourceState resource, BookingState booking, BookingDecision refused) {
    }

    /**
     * The resource and live booking a cancel or reschedule would change, or the decision that refuses it:
     * no such resource or booking, a held segment, a stale version, or (answered {@code ifCancelled}) a
     * booking already cancelled.
     */
    private Target target(BookingRequest request, String bookingId, Long expectedVersion, DecisionCode ifCancelled,
                          String cancelledMessage, long atMs) {
        ResourceState resource = records.resource(request.resource());
        if (resource == null) {
            return new Target(null, null, resourceNotFound(request, atMs));
        }
        BookingState booking = records.booking(request.resource(), bookingId);
        BookingDecision refused = refuseChange(request, resource, booking, bookingId, expectedVersion, atMs);
        if (refused == null && !booking.isLive()) {
            refused = decision(request, ifCancelled, resource, booking.view(request.resource(), bookingId), null, null,
                    atMs, "booking " + bookingId + " " + cancelledMessage);
        }
        return new Target(resource, booking, refused);
    }

    private BookingDecision refuseChange(BookingRequest request, ResourceState resource, BookingState booking,
                                         String bookingId, Long expectedVersion, long atMs) {
        if (booking == null) {
            return decision(request, DecisionCode.BOOKING_NOT_FOUND, resource, null, null, null, atMs,
                    "no booking " + bookingId + " on " + request.resource());
        }
        if (booking.status() == BookingStatus.HELD) {
            return decision(request, DecisionCode.BOOKING_PENDING, resource, booking.view(request.resource(), bookingId),
                    null, null, atMs, "booking " + bookingId + " is a held segment of a composite not decided yet");
        }
        if (expectedVersion != null && expectedVersion != booking.version()) {
            return decision(request, DecisionCode.STALE_VERSION, resource, booking.view(request.resource(), bookingId),
                    null, null, atMs, "booking " + bookingId + " is at version " + booking.version() + ", not "
                            + expectedVersion);
        }
        return null;
    }

    private void release(String resourceId, ResourceState resource, BookingState booking) {
        for (Instant slot : resource.calendar().slots(Instant.ofEpochMilli(booking.fromMs()),
                Instant.ofEpochMilli(booking.toMs()))) {
            records.putUsed(resourceId, slot, records.used(resourceId, slot) - booking.quantity());
        }
    }

    /** The first slot {@code quantity} does not fit in, not counting it again in the {@code own} slots. */
    private SlotUsage firstFull(String resourceId, ResourceState resource, List<Instant> slots, long quantity,
                                Set<Instant> own) {
        SlotCalendar calendar = resource.calendar();
        for (Instant slot : slots) {
            long used = records.used(resourceId, slot);
            long others = own != null && own.contains(slot) ? used - quantity : used;
            if (others + quantity > resource.capacity()) {
                return usage(calendar, slot, resource.capacity(), used);
            }
        }
        return null;
    }

    private static SlotUsage usage(SlotCalendar calendar, Instant start, long capacity, long used) {
        return new SlotUsage(start, calendar.next(start), capacity, used, Math.max(0, capacity - used));
    }

    /** A request's range in the resource's zone, and its slots; or what is wrong with it. */
    private record Range(Instant from, Instant to, List<Instant> slots, List<FieldError> errors) {
    }

    private static Range range(BookingRequest request, String fromText, String toText, ResourceState resource) {
        ZoneId zone = ZoneId.of(resource.timezone());
        Instant from = TimeText.parse(fromText, zone);
        Instant to = TimeText.parse(toText, zone);
        if (from == null || to == null) {
            return new Range(null, null, null, List.of(new FieldError(from == null ? "from" : "to",
                    "outside the years 1 to 9999 in " + resource.timezone())));
        }
        if (!from.isBefore(to)) {
            return new Range(null, null, null, List.of(new FieldError("to", "must be after from in "
                    + resource.timezone())));
        }
        List<Instant> slots = resource.calendar().slots(from, to);
        if (slots == null) {
            return new Range(null, null, null, List.of(new FieldError("to", "the range spans more than "
                    + SlotCalendar.MAX_SLOTS + " slots of " + request.resource())));
        }
        return new Range(from, to, slots, null);
    }

    private BookingDecision conflict(BookingRequest request, ResourceState resource, SlotUsage full,
                                     dev.tally.schemas.bookings.Booking kept, long atMs) {
        return decision(request, DecisionCode.AVAILABILITY_CONFLICT, resource, kept, full, null, atMs,
                "the slot from " + full.start() + " has " + full.used() + " of " + full.capacity() + " booked"
                        + (kept == null ? "" : "; the booking keeps its range"));
    }

    private static BookingDecision resourceNotFound(BookingRequest request, long atMs) {
        return decision(request, DecisionCode.RESOURCE_NOT_FOUND, null, null, null, null, atMs,
                "no resource " + request.resource());
    }

    public static BookingDecision notFound(ReadAvailability request, long atMs) {
        return resourceNotFound(request, atMs);
    }

    public static BookingDecision invalid(BookingRequest request, List<FieldError> errors, long atMs) {
        return new BookingDecision(request.requestId(), type(request), DecisionCode.INVALID_REQUEST.outcome(),
                DecisionCode.INVALID_REQUEST, "invalid request: " + errors.size() + " field(s) at fault",
                request.resource(), null, null, null, null, null, null, errors, Instant.ofEpochMilli(atMs));
    }

    public static BookingDecision requestIdReused(BookingRequest request, long atMs) {
        return decision(request, DecisionCode.REQUEST_ID_REUSED, null, null, null, null, atMs,
                "requestId '" + request.requestId() + "' was already used for a different request");
    }

    private static BookingDecision decision(BookingRequest request, DecisionCode code, ResourceState resource,
                                            dev.tally.schemas.bookings.Booking booking, SlotUsage conflict,
                                            List<SlotUsage> overcommitted, long atMs, String message) {
        return new BookingDecision(request.requestId(), type(request), code.outcome(), code, message,
                request.resource(), resource == null ? null : resource.capacity(),
                resource == null ? null : resource.slot(), resource == null ? null : resource.timezone(),
                booking, conflict, overcommitted, null, Instant.ofEpochMilli(atMs));
    }

    static String type(BookingRequest request) {
        if (request instanceof DefineResource) {
            return DefineResource.TYPE;
        } else if (request instanceof Book) {
            return Book.TYPE;
        } else if (request instanceof CancelBooking) {
            return CancelBooking.TYPE;
        } else if (request instanceof RescheduleBooking) {
            return RescheduleBooking.TYPE;
        } else if (request instanceof HoldSegment) {
            return HoldSegment.TYPE;
        } else if (request instanceof ConfirmSegment) {
            return ConfirmSegment.TYPE;
        } else if (request instanceof ReleaseSegment) {
            return ReleaseSegment.TYPE;
        }
        return ReadAvailability.TYPE;
    }
}
