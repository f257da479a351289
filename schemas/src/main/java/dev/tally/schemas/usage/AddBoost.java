package dev.tally.schemas.usage;

import java.time.Instant;

/**
 * Add {@code amount} to a feature's limit, until {@code expiresAt} if given. {@code externalId} (the
 * billing system's id for the purchase) is provisioned once per workspace: a second boost with it is
 * refused with DUPLICATE_EXTERNAL_ID, naming the first.
 */
public record AddBoost(
        String requestId,
        String workspace,
        String namespace,
        String feature,
        Long amount,
        String externalId,
        Instant expiresAt) implements UsageRequest {

    public static final String TYPE = "add-boost";

    @Override
    public AddBoost withRequestId(String id) {
        return new AddBoost(id, workspace, namespace, feature, amount, externalId, expiresAt);
    }
}
