package dev.tally.schemas.usage;

/**
 * Set the limit of {@code feature} for a workspace, or for one of its namespaces. Applies from its place
 * in the partition's order; usage already recorded in the current period stays.
 */
public record SetLimit(
        String requestId,
        String workspace,
        String namespace,
        String feature,
        Long limit,
        Period period,
        Enforcement enforcement) implements UsageRequest {

    public static final String TYPE = "set-limit";

    /** HARD unless the request says otherwise (fail closed); one spelling per meaning, so retries compare equal. */
    public SetLimit {
        enforcement = enforcement == null ? Enforcement.HARD : enforcement;
    }

    @Override
    public SetLimit withRequestId(String id) {
        return new SetLimit(id, workspace, namespace, feature, limit, period, enforcement);
    }
}
