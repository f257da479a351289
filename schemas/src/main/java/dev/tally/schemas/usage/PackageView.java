package dev.tally.schemas.usage;

import java.time.Instant;
import java.util.Map;

/** An active package as decisions and the entitlements read show it. */
public record PackageView(
        String packageCode,
        String namespace,
        boolean base,
        Map<String, FeatureGrant> features,
        Instant provisionedAt,
        String requestId) {
}
