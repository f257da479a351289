package dev.tally.schemas.bookings;

/**
 * Creates a resource or changes its capacity. A capacity change applies from its place in the order and
 * cancels nothing: slots already booked past the new capacity are reported, not freed. Slot size and
 * time zone can change only while the resource has no live booking.
 */
public record DefineResource(String requestId, String resource, Long capacity, SlotSize slot, String timezone)
        implements BookingRequest {

    public static final String TYPE = "define-resource";

    @Override
    public DefineResource withRequestId(String id) {
        return new DefineResource(id, resource, capacity, slot, timezone);
    }
}
