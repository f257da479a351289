package dev.tally.schemas.usage;

import java.time.Instant;

/**
 * A feature's usage reached {@code threshold} percent (80, 90 or 100) of its effective limit in one
 * period. One per scope, feature, period and threshold, on the alerts topic, written in the transaction of
 * the usage that crossed it. {@code alertId} is the same on any replay: consumers may dedupe on it.
 */
public record UsageAlert(
        String alertId,
        String workspace,
        String namespace,
        String feature,
        int threshold,
        long used,
        long limit,
        Period period,
        Instant periodStart,
        Instant periodEnd,
        String requestId,
        Instant alertedAt) {
}
