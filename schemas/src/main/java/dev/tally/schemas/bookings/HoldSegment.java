package dev.tally.schemas.bookings;

/**
 * Engine-internal, from a composite's coordinator to a resource's task: take the slots of segment
 * {@code index} now, or refuse at once. Never waits, so no composite can wait on another.
 */
public record HoldSegment(String requestId, String resource, String compositeId, Integer index, String from, String to,
                          Long quantity, String userId) implements BookingRequest {

    public static final String TYPE = "hold-segment";

    @Override
    public HoldSegment withRequestId(String id) {
        return new HoldSegment(id, resource, compositeId, index, from, to, quantity, userId);
    }

    /** How every segment's bookingId starts; user bookings may not take it. */
    public static final String SEGMENT_ID_PREFIX = "composite:";

    /** The bookingId a segment's hold, and the booking it may become, are stored under. */
    public static String bookingIdOf(String compositeId, int index) {
        return SEGMENT_ID_PREFIX + compositeId + ":" + index;
    }
}
