package dev.tally.schemas.bookings;

import java.util.List;

/**
 * Books every segment or none: several resources, which may live on different partitions. The
 * coordinator asks each resource's task to hold its segment, then confirms all of them or releases the
 * ones held. Nothing waits on a lock, so no two composites can deadlock.
 *
 * @param compositeId the composite's id; absent, the requestId (the gateway fills it in)
 */
public record BookComposite(String requestId, String compositeId, List<Segment> segments, String userId)
        implements CompositeRequest {

    public static final String TYPE = "book-composite";

    public BookComposite {
        segments = segments == null ? null : List.copyOf(segments);
    }
}
