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
 * <p>For a namespace request, {@code used}, {@code reserved}, {@code limit} and {@code remaining} describe
 * the binding scope named by {@code scope}: the one that rejected, or the one with the least left.
 * {@code remaining} is the limit less what is used and reserved. {@code kind} says what the feature's
 * sources make it; {@code limit}, {@code remaining} and {@code enforcement} are absent unless it is METERED.
 *
 * <p>Reservation decisions carry the {@code reservation}; package decisions the {@code provisioned}
 * package (for PACKAGE_CANCELLED, the package cancelled) and the base package it replaced; boost decisions the {@code boost}, which for
 * DUPLICATE_EXTERNAL_ID is the first boost with that externalId.
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
        Long reserved,
        Long limit,
        Long remaining,
        Long overage,
        FeatureKind kind,
        Period period,
        Enforcement enforcement,
        Instant periodStart,
        Instant periodEnd,
        ReservationView reservation,
        PackageView provisioned,
        String replacedPackage,
        BoostView boost,
        List<FieldError> errors,
        Instant decidedAt) {

    /** The type of the event written when a reservation's time to live runs out: it answers no request. */
    public static final String RESERVATION_EXPIRED_TYPE = "reservation-expired";

    public UsageDecision {
        errors = errors == null ? null : List.copyOf(errors);
    }
}
