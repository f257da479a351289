package dev.tally.schemas.usage;

/**
 * Set {@code amount} of a feature aside for {@code ttlSeconds}: it counts against the limit until it is
 * committed, released or expires. The reservation's id is the request's id.
 */
public record Reserve(
        String requestId,
        String workspace,
        String namespace,
        String feature,
        Long amount,
        Long ttlSeconds) implements UsageRequest {

    public static final String TYPE = "reserve";

    @Override
    public Reserve withRequestId(String id) {
        return new Reserve(id, workspace, namespace, feature, amount, ttlSeconds);
    }
}
