package dev.tally.schemas.bookings;

/** Engine-internal: the composite was accepted; the held segment becomes a booking. */
public record ConfirmSegment(String requestId, String resource, String compositeId, Integer index)
        implements BookingRequest {

    public static final String TYPE = "confirm-segment";

    @Override
    public ConfirmSegment withRequestId(String id) {
        return new ConfirmSegment(id, resource, compositeId, index);
    }
}
