package dev.tally.schemas.usage;

import java.util.List;

/**
 * One feature's effective entitlement in one scope (the workspace, or a namespace), and its sources.
 * {@code limit} is absent for UNLIMITED and BOOLEAN features; {@code enabled} is set for BOOLEAN ones.
 */
public record FeatureEntitlement(
        String namespace,
        String feature,
        FeatureKind kind,
        Long limit,
        Boolean enabled,
        Period period,
        Enforcement enforcement,
        List<LimitSource> sources) {

    public FeatureEntitlement {
        sources = List.copyOf(sources);
    }
}
