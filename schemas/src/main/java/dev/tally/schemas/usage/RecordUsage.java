package dev.tally.schemas.usage;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * Check and record {@code amount} of {@code feature} in one step. With {@code dryRun} it only checks.
 * With a {@code namespace} it is checked against the namespace's and the workspace's limits and charged
 * to both, or to neither.
 */
public record RecordUsage(
        String requestId,
        String workspace,
        String namespace,
        String feature,
        Long amount,
        Boolean dryRun) implements UsageRequest {

    public static final String TYPE = "record-usage";

    /** One spelling per meaning ({@code false} and absent are both "not a dry run"), so retries compare equal. */
    public RecordUsage {
        dryRun = Boolean.TRUE.equals(dryRun) ? Boolean.TRUE : null;
    }

    @JsonIgnore
    public boolean isDryRun() {
        return Boolean.TRUE.equals(dryRun);
    }

    @Override
    public RecordUsage withRequestId(String id) {
        return new RecordUsage(id, workspace, namespace, feature, amount, dryRun);
    }
}
