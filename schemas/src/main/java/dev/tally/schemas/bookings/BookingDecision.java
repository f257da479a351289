package dev.tally.schemas.bookings;

import dev.tally.schemas.DecisionCode;
import dev.tally.schemas.FieldError;
import dev.tally.schemas.Outcome;
import java.time.Instant;
import java.util.List;

/**
 * The decision on one booking request, on the bookings decisions topic and as the HTTP answer. Fields
 * that do not apply are left out of its JSON.
 *
 * @param booking       the booking after the decision; on ALREADY_BOOKED, DUPLICATE_EXTERNAL_ID,
 *                      STALE_VERSION and a refused reschedule, the booking as it stands
 * @param conflict      on AVAILABILITY_CONFLICT: the first slot the range does not fit in
 * @param overcommitted on RESOURCE_SET: slots booked past the new capacity (at most 100)
 */
public record BookingDecision(
        String requestId,
        String type,
        Outcome outcome,
        DecisionCode code,
        String message,
        String resource,
        Long capacity,
        SlotSize slot,
        String timezone,
        Booking booking,
        SlotUsage conflict,
        List<SlotUsage> overcommitted,
        List<FieldError> errors,
        Instant decidedAt) {

    public BookingDecision {
        overcommitted = overcommitted == null ? null : List.copyOf(overcommitted);
        errors = errors == null ? null : List.copyOf(errors);
    }
}
