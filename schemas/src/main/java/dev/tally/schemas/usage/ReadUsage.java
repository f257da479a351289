package dev.tally.schemas.usage;

/**
 * Read every feature's used, limit and remaining of a workspace. Decided by the workspace's task like a
 * write, so it sees every write decided before it. Changes nothing and produces no decision record.
 */
public record ReadUsage(String requestId, String workspace) implements UsageRequest {

    public static final String TYPE = "read-usage";

    @Override
    public ReadUsage withRequestId(String id) {
        return new ReadUsage(id, workspace);
    }
}
