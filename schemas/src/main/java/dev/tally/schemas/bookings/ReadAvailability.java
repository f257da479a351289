package dev.tally.schemas.bookings;

/** Reads capacity, used and free per slot of {@code [from, to)}, through the resource's task. */
public record ReadAvailability(String requestId, String resource, String from, String to)
        implements BookingRequest {

    public static final String TYPE = "read-availability";

    @Override
    public ReadAvailability withRequestId(String id) {
        return new ReadAvailability(id, resource, from, to);
    }
}
