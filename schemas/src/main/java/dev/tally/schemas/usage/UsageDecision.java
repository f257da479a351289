package dev.tally.schemas.usage;

import dev.tally.schemas.DecisionCode;
import dev.tally.schemas.FieldError;
import dev.tally.schemas.Outcome;
import java.time.Instant;
import java.util.List;

/**
 * The decision on one usage request, as written to the usage decisions topic and answered over HTTP.
 * Fields that do not apply to a decision are left out of its JSON.
 *
 * <p>For a namespace request, {@code used}, {@code limit} and {@code remaining} describe the binding
 * scope named by {@code scope}: the one that rejected, or the one with the least left.
 */
public record UsageDecision(
        String requestId,
        String type,
        Outcome outcome,
        DecisionCode code,
        String message,
        String workspace,
        String namespace,
        String feature,
        Long amount,
        Boolean dryRun,
        String scope,
        Long used,
        Long limit,
        Long remaining,
        Long overage,
        Period period,
        Enforcement enforcement,
        Instant periodStart,
        Instant periodEnd,
        List<FieldError> errors,
        Instant decidedAt) {

    public UsageDecision {
        errors = errors == null ? null : List.copyOf(errors);
    }
}
