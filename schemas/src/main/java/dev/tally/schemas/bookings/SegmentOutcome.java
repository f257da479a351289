package dev.tally.schemas.bookings;

/** How one segment of a composite ended: its request, and the code its resource's task answered. */
public record SegmentOutcome(int index, String resource, String from, String to, long quantity, String code,
                             SlotUsage conflict) {
}
