package dev.tally.topology.usage;

import dev.tally.schemas.usage.BoostView;
import dev.tally.schemas.usage.PackageView;
import java.util.List;

/**
 * Where active packages, each scope's base package and every boost ever provisioned (by externalId) are
 * kept. What they grant lives in the accounts; this is what the grants came from. A {@code namespace} of
 * null is the workspace's own scope.
 */
public interface EntitlementStore {

    PackageView getPackage(String workspace, String namespace, String packageCode);

    void putPackage(String workspace, PackageView view);

    void deletePackage(String workspace, String namespace, String packageCode);

    /** The packageCode of the scope's active base package, or null. */
    String basePackage(String workspace, String namespace);

    /** Sets (or, with null, clears) the scope's active base package. */
    void setBasePackage(String workspace, String namespace, String packageCode);

    /** The workspace's active packages in every scope, at most {@code max}. */
    List<PackageView> packages(String workspace, int max);

    BoostView getBoost(String workspace, String externalId);

    void putBoost(String workspace, BoostView view);
}
