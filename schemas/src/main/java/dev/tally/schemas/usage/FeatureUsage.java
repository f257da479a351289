package dev.tally.schemas.usage;

import java.time.Instant;

/** One feature's figures in one scope (the workspace, or one namespace) for its current period. */
public record FeatureUsage(
        String namespace,
        String feature,
        long used,
        Long limit,
        Long remaining,
        Period period,
        Enforcement enforcement,
        Instant periodStart,
        Instant periodEnd) {
}
