package dev.tally.schemas.bookings;

import java.time.Instant;

/** One slot of a resource: its bounds, its capacity, what is booked in it and what is free. */
public record SlotUsage(Instant start, Instant end, long capacity, long used, long free) {
}
