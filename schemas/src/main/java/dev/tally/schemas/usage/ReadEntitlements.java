package dev.tally.schemas.usage;

/** Read a workspace's packages, live boosts and each feature's effective limit with its sources. */
public record ReadEntitlements(String requestId, String workspace) implements UsageRequest {

    public static final String TYPE = "read-entitlements";

    @Override
    public ReadEntitlements withRequestId(String id) {
        return new ReadEntitlements(id, workspace);
    }
}
