package dev.tally.schemas.bookings;

import java.time.Instant;
import java.util.List;

/** The answer to a {@link ReadAvailability}: every slot of the range, in order. */
public record AvailabilityReport(String requestId, String resource, long capacity, SlotSize slot, String timezone,
                                 List<SlotUsage> slots, Instant readAt) {

    public AvailabilityReport {
        slots = List.copyOf(slots);
    }
}
