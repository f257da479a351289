package dev.tally.schemas.usage;

import java.time.Instant;
import java.util.List;

/** The answer to a {@link ReadEntitlements}: active packages, live boosts, and each feature's effective limit. */
public record EntitlementsReport(
        String requestId,
        String workspace,
        List<PackageView> packages,
        List<BoostView> boosts,
        List<FeatureEntitlement> features,
        Instant readAt) {

    public EntitlementsReport {
        packages = List.copyOf(packages);
        boosts = List.copyOf(boosts);
        features = List.copyOf(features);
    }
}
