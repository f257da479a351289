package dev.tally.schemas.bookings;

/**
 * Engine-internal, from a resource's task to a composite's coordinator: whether segment {@code index}
 * was held ({@code code} SEGMENT_HELD) or why not (AVAILABILITY_CONFLICT, RESOURCE_NOT_FOUND, ...).
 */
public record SegmentResult(String requestId, String compositeId, Integer index, String resource, String code,
                            SlotUsage conflict, String message) implements CompositeRequest {

    public static final String TYPE = "segment-result";
}
