package dev.tally.gateway.http;

import dev.tally.schemas.bookings.Segment;
import dev.tally.schemas.bookings.SlotSize;
import java.util.List;
import dev.tally.schemas.usage.Enforcement;
import java.util.Map;
import dev.tally.schemas.usage.Period;

/**
 * The JSON bodies of the routes. The path carries the rest (workspace, namespace, feature; claim scope and
 * value), so a body cannot contradict the URL it was sent to.
 */
public final class Bodies {

    private Bodies() {
    }

    /** {@code PUT .../limits/{feature}}. */
    public record LimitBody(Long limit, Period period, Enforcement enforcement, String requestId) {
    }

    /** {@code POST /v1/workspaces/{ws}/usage}. */
    public record UsageBody(String feature, Long amount, String namespace, Boolean dryRun, String requestId) {
    }

    /** {@code POST /v1/claims/{scope}}: create-only, the value in the body. */
    public record CreateClaimBody(String value, String owner, Map<String, String> attributes, Long holdSeconds,
                                  String requestId) {
    }

    /** {@code PUT /v1/claims/{scope}/{value}}: get-or-create. */
    public record GetOrCreateClaimBody(String owner, Map<String, String> attributes, String requestId) {
    }

    /** {@code POST /v1/claims/{scope}/{value}/confirm}. */
    public record ConfirmClaimBody(String owner, String requestId) {
    }

    /** {@code PUT /v1/resources/{id}}. */
    public record ResourceBody(Long capacity, SlotSize slot, String timezone, String requestId) {
    }

    /** {@code POST /v1/resources/{id}/bookings}. */
    public record BookBody(String bookingId, String externalId, String from, String to, Long quantity, String userId,
                           String requestId) {
    }

    /** {@code POST /v1/composite-bookings}. */
    public record CompositeBody(String compositeId, List<Segment> segments, String userId, String requestId) {
    }

    /** {@code POST /v1/resources/{id}/bookings/{bookingId}/reschedule}. */
    public record RescheduleBody(String from, String to, Long expectedVersion, String requestId) {
    }
}
