package dev.tally.schemas.usage;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Provision a package for a workspace, or for one of its namespaces. A base package replaces the scope's
 * active base package in the same step; add-on packages ({@code base} false) stack. Provisioning a package
 * that is active with the same content changes nothing; with other content, it replaces it.
 */
public record ProvisionPackage(
        String requestId,
        String workspace,
        String namespace,
        String packageCode,
        Boolean base,
        Map<String, FeatureGrant> features) implements UsageRequest {

    public static final String TYPE = "provision-package";

    /** Features in name order and {@code base} always spelled, so equal packages compare and hash equal. */
    public ProvisionPackage {
        base = Boolean.TRUE.equals(base);
        features = features == null ? null : Collections.unmodifiableMap(new TreeMap<>(features));
    }

    @Override
    public ProvisionPackage withRequestId(String id) {
        return new ProvisionPackage(id, workspace, namespace, packageCode, base, features);
    }
}
