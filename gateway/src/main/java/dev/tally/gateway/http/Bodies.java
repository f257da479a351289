package dev.tally.gateway.http;

import dev.tally.schemas.usage.Enforcement;
import dev.tally.schemas.usage.Period;

/**
 * The JSON bodies of the usage routes. The path carries the rest (workspace, namespace, feature), so a
 * body cannot contradict the URL it was sent to.
 */
public final class Bodies {

    private Bodies() {
    }

    /** {@code PUT .../limits/{feature}}. */
    public record LimitBody(Long limit, Period period, Enforcement enforcement, String requestId) {
    }

    /** {@code POST /v1/workspaces/{ws}/usage}. */
    public record UsageBody(String feature, Long amount, String namespace, Boolean dryRun, String requestId) {
    }
}
