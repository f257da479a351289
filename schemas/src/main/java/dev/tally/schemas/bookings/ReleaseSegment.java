package dev.tally.schemas.bookings;

/** Engine-internal: the composite was refused or timed out; the held segment gives its slots back. */
public record ReleaseSegment(String requestId, String resource, String compositeId, Integer index)
        implements BookingRequest {

    public static final String TYPE = "release-segment";

    @Override
    public ReleaseSegment withRequestId(String id) {
        return new ReleaseSegment(id, resource, compositeId, index);
    }
}
