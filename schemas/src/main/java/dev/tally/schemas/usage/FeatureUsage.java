package dev.tally.schemas.usage;

import java.time.Instant;

/**
 * One feature's figures in one scope (the workspace, or one namespace) for its current period.
 * {@code reserved} is what live reservations hold; {@code remaining} is the limit less used and reserved.
 * {@code limit} and {@code remaining} are absent where the feature has no limit: UNLIMITED or BOOLEAN
 * {@code kind}, or no source left at all ({@code kind} absent too).
 */
public record FeatureUsage(
        String namespace,
        String feature,
        FeatureKind kind,
        long used,
        long reserved,
        Long limit,
        Long remaining,
        Period period,
        Enforcement enforcement,
        Instant periodStart,
        Instant periodEnd) {
}
