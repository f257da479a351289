package dev.tally.schemas.claims;

import dev.tally.schemas.DecisionCode;
import dev.tally.schemas.FieldError;
import dev.tally.schemas.Outcome;
import java.time.Instant;
import java.util.List;

/**
 * The decision on one claim request, as written to the claims decisions topic and answered over HTTP;
 * also the shape of a hold's expiry event ({@code type} {@code expire-hold}, no requestId). Fields that do
 * not apply are left out of its JSON.
 *
 * @param value        the value in its scope's canonical spelling
 * @param requestedBy  the owner the request named
 * @param created      for create and get-or-create: whether this request created the claim
 * @param claim        the claim after the decision; on ALREADY_CLAIMED and NOT_OWNER the claim in the
 *                     way, naming its owner; on RELEASED and HOLD_EXPIRED the claim that ended
 */
public record ClaimDecision(
        String requestId,
        String type,
        Outcome outcome,
        DecisionCode code,
        String message,
        String scope,
        String value,
        String requestedBy,
        Boolean created,
        Claim claim,
        List<FieldError> errors,
        Instant decidedAt) {

    /** The type of the event a hold's expiry writes to the decisions topic. */
    public static final String EXPIRE_HOLD_TYPE = "expire-hold";

    public ClaimDecision {
        errors = errors == null ? null : List.copyOf(errors);
    }
}
