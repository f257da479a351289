package dev.tally.schemas.usage;

import java.time.Instant;
import java.util.List;

/** The answer to a {@link ReadUsage}: every feature of the workspace and of its namespaces. */
public record UsageReport(String requestId, String workspace, List<FeatureUsage> features, Instant readAt) {

    public UsageReport {
        features = List.copyOf(features);
    }
}
