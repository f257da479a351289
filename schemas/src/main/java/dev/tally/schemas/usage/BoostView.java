package dev.tally.schemas.usage;

import java.time.Instant;

/** A boost as decisions and the entitlements read show it; {@code expiresAt} absent if it never expires. */
public record BoostView(
        String externalId,
        String namespace,
        String feature,
        long amount,
        Instant expiresAt,
        Instant provisionedAt,
        String requestId) {
}
