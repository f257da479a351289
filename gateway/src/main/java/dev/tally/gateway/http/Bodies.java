package dev.tally.gateway.http;

import dev.tally.schemas.bookings.Segment;
import dev.tally.schemas.bookings.SlotSize;
import dev.tally.schemas.usage.Enforcement;
import dev.tally.schemas.usage.FeatureGrant;
import dev.tally.schemas.usage.Period;
import java.util.List;
import java.util.Map;

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

    /** {@code POST /v1/workspaces/{ws}/reservations}. */
    public record ReserveBody(String feature, Long amount, Long ttlSeconds, String namespace, String requestId) {
    }

    /** {@code POST /v1/workspaces/{ws}/reservations/{id}/commit}. */
    public record CommitBody(Long amount, String requestId) {
    }

    /** {@code POST /v1/workspaces/{ws}/reservations/{id}/release}: the body itself is optional. */
    public record ReleaseBody(String requestId) {
    }

    /** {@code POST /v1/workspaces/{ws}/packages}: {@code features} maps a feature to its grant. */
    public record PackageBody(String packageCode, Boolean base, Map<String, FeatureGrant> features, String namespace,
                              String requestId) {
    }

    /**
     * {@code POST /v1/workspaces/{ws}/boosts}. {@code expiresAt} is read as text and parsed by the route, so
     * a bad date is reported with the body's other faults and in the caller's terms.
     */
    public record BoostBody(String feature, Long amount, String externalId, String expiresAt, String namespace,
                            String requestId) {
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
