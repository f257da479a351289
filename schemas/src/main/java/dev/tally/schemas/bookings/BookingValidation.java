package dev.tally.schemas.bookings;

import static dev.tally.schemas.Identifiers.optionalId;
import static dev.tally.schemas.Identifiers.requireId;

import dev.tally.schemas.FieldError;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules a readable booking request must meet, shared by the gateway (400 before producing) and the
 * engine (INVALID_REQUEST for records that bypassed the gateway). Rules that need the resource (does the
 * range fit its slots?) are the engine's.
 */
public final class BookingValidation {

    public static final long MAX_QUANTITY = 1_000_000_000L;
    public static final long MAX_CAPACITY = 1_000_000_000L;

    private BookingValidation() {
    }

    public static List<FieldError> validate(BookingRequest request) {
        List<FieldError> errors = new ArrayList<>();
        requireId("requestId", request.requestId(), errors);
        refuseCommandId(request, errors);
        requireId("resource", request.resource(), errors);
        if (request instanceof DefineResource d) {
            requireRange("capacity", d.capacity(), 0, MAX_CAPACITY, errors);
            if (d.slot() == null) {
                errors.add(new FieldError("slot", "required: DAY, HOUR or a number of minutes that divides 1440"));
            }
            requireZone(d.timezone(), errors);
        } else if (request instanceof Book b) {
            optionalId("bookingId", b.bookingId(), errors);
            refuseSegmentId(b, errors);
            optionalId("externalId", b.externalId(), errors);
            optionalId("userId", b.userId(), errors);
            requireTimes(b.from(), b.to(), errors);
            requireRange("quantity", b.quantity(), 1, MAX_QUANTITY, errors);
        } else if (request instanceof CancelBooking c) {
            requireId("bookingId", c.bookingId(), errors);
            optionalVersion(c.expectedVersion(), errors);
        } else if (request instanceof RescheduleBooking r) {
            requireId("bookingId", r.bookingId(), errors);
            requireTimes(r.from(), r.to(), errors);
            optionalVersion(r.expectedVersion(), errors);
        } else if (request instanceof ReadAvailability a) {
            requireTimes(a.from(), a.to(), errors);
        } else if (request instanceof HoldSegment h) {
            requireSegment(h.compositeId(), h.index(), errors);
            optionalId("userId", h.userId(), errors);
            requireTimes(h.from(), h.to(), errors);
            requireRange("quantity", h.quantity(), 1, MAX_QUANTITY, errors);
        } else if (request instanceof ConfirmSegment c) {
            requireSegment(c.compositeId(), c.index(), errors);
        } else if (request instanceof ReleaseSegment r) {
            requireSegment(r.compositeId(), r.index(), errors);
        }
        return errors;
    }

    /** Most segments of one composite: bounds the holds one request can take at once. */
    public static final int MAX_SEGMENTS = 10;

    /**
     * Longest compositeId: the coordinator's command ids add up to 24 characters to it
     * ({@code composite:<id>:9:release}, and {@code :result} on a hold's answer), and must stay valid ids.
     */
    public static final int MAX_COMPOSITE_ID = 100;

    public static List<FieldError> validate(BookComposite request) {
        List<FieldError> errors = new ArrayList<>();
        requireId("requestId", request.requestId(), errors);
        requireId("compositeId", request.compositeId(), errors);
        if (request.compositeId() != null && request.compositeId().length() > MAX_COMPOSITE_ID) {
            errors.add(new FieldError("compositeId", "at most " + MAX_COMPOSITE_ID
                    + " characters (the requestId, when compositeId is left out)"));
        }
        optionalId("userId", request.userId(), errors);
        if (request.segments() == null || request.segments().isEmpty() || request.segments().size() > MAX_SEGMENTS) {
            errors.add(new FieldError("segments", "required: 1 to " + MAX_SEGMENTS + " segments"));
            return errors;
        }
        for (int i = 0; i < request.segments().size(); i++) {
            Segment segment = request.segments().get(i);
            List<FieldError> own = new ArrayList<>();
            requireId("resource", segment.resource(), own);
            requireTimes(segment.from(), segment.to(), own);
            requireRange("quantity", segment.quantity(), 1, MAX_QUANTITY, own);
            for (FieldError e : own) {
                errors.add(new FieldError("segments[" + i + "]." + e.field(), e.reason()));
            }
        }
        return errors;
    }

    private static void requireSegment(String compositeId, Integer index, List<FieldError> errors) {
        requireId("compositeId", compositeId, errors);
        if (index == null || index < 0) {
            errors.add(new FieldError("index", "required: 0 or more"));
        }
    }

    private static void requireTimes(String from, String to, List<FieldError> errors) {
        requireTime("from", from, errors);
        requireTime("to", to, errors);
        // Two local times (or two with offsets) compare the same in any zone; a mix only in the resource's
        // zone, which the engine checks.
        if (TimeText.isValid(from) && TimeText.isValid(to) && TimeText.isLocal(from) == TimeText.isLocal(to)
                && !TimeText.parse(from, ZoneOffset.UTC).isBefore(TimeText.parse(to, ZoneOffset.UTC))) {
            errors.add(new FieldError("to", "must be after from"));
        }
    }

    private static void requireTime(String field, String value, List<FieldError> errors) {
        if (value == null) {
            errors.add(new FieldError(field, "required"));
        } else if (!TimeText.isValid(value)) {
            errors.add(new FieldError(field, "must be an ISO date (2026-10-18), local date-time (2026-10-18T09:00)"
                    + " or date-time with offset (2026-10-18T09:00:00Z), in the years 1 to 9999"));
        }
    }

    private static void requireZone(String timezone, List<FieldError> errors) {
        if (timezone == null) {
            errors.add(new FieldError("timezone", "required: an IANA zone such as Europe/Paris, or UTC"));
            return;
        }
        try {
            ZoneId.of(timezone);
        } catch (DateTimeException e) {
            errors.add(new FieldError("timezone", "unknown time zone; use an IANA zone such as Europe/Paris"));
        }
    }

    private static void optionalVersion(Long version, List<FieldError> errors) {
        if (version != null && version < 1) {
            errors.add(new FieldError("expectedVersion", "must be 1 or more"));
        }
    }

    private static void requireRange(String field, Long value, long min, long max, List<FieldError> errors) {
        if (value == null) {
            errors.add(new FieldError(field, "required"));
        } else if (value < min || value > max) {
            errors.add(new FieldError(field, "must be between " + min + " and " + max));
        }
    }

    /**
     * A composite's coordinator sends its hold, confirm and release commands under requestIds starting
     * with {@link HoldSegment#SEGMENT_ID_PREFIX}. A user request that took such an id first would be
     * remembered under it, and the command would be answered REQUEST_ID_REUSED and never applied (a hold
     * never released, a segment never confirmed). So only segment commands may use the prefix.
     */
    private static void refuseCommandId(BookingRequest request, List<FieldError> errors) {
        boolean command = request instanceof HoldSegment || request instanceof ConfirmSegment
                || request instanceof ReleaseSegment;
        if (!command && request.requestId() != null && request.requestId().startsWith(HoldSegment.SEGMENT_ID_PREFIX)) {
            errors.add(new FieldError("requestId", "must not start with '" + HoldSegment.SEGMENT_ID_PREFIX
                    + "': reserved for the commands of composite bookings"));
        }
    }

    /**
     * A composite's segments are stored as bookings under {@link HoldSegment#bookingIdOf}: a booking that
     * took such an id first would be taken for the segment's hold, and the composite would count a slot
     * it never held. So no user booking may name a bookingId with that prefix.
     */
    private static void refuseSegmentId(Book book, List<FieldError> errors) {
        // A bookingId left out defaults to the requestId, which refuseCommandId checks.
        if (book.bookingId() != null && book.bookingId().startsWith(HoldSegment.SEGMENT_ID_PREFIX)) {
            errors.add(new FieldError("bookingId", "must not start with '" + HoldSegment.SEGMENT_ID_PREFIX
                    + "': reserved for composite segments"));
        }
    }
}
