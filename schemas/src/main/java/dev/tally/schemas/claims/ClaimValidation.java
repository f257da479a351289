package dev.tally.schemas.claims;

import static dev.tally.schemas.Identifiers.requireId;

import dev.tally.schemas.FieldError;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules a readable claim request must meet, shared by the gateway (400 before producing) and the
 * engine (INVALID_REQUEST for records that bypassed the gateway). The value is normalised first: the
 * errors are for the request as normalised, which is also the request the engine keys and decides.
 */
public final class ClaimValidation {

    /** A hold covers a provisioning workflow, not a reservation for the ages. */
    public static final long MAX_HOLD_SECONDS = 7L * 24 * 60 * 60;

    private ClaimValidation() {
    }

    /** The request with its value normalised, and what is wrong with it. */
    public record Checked(ClaimRequest request, List<FieldError> errors) {

        /** Whether the request names a valid requestId and claim key, so that the key's task owns the id. */
        public boolean isKeyed() {
            return errors.stream().noneMatch(e -> e.field().equals("requestId") || e.field().equals("scope")
                    || e.field().equals("value"));
        }
    }

    public static Checked check(ClaimRequest request, ClaimScopes scopes) {
        List<FieldError> errors = new ArrayList<>();
        requireId("requestId", request.requestId(), errors);
        String normalised = scopes.normalise(request.scope(), request.value(), errors);
        ClaimRequest checked = normalised == null ? request : request.withValue(normalised);
        if (request instanceof CreateClaim c) {
            requireId("owner", c.owner(), errors);
            ClaimAttributes.validate(c.attributes(), errors);
            if (c.holdSeconds() != null && (c.holdSeconds() < 1 || c.holdSeconds() > MAX_HOLD_SECONDS)) {
                errors.add(new FieldError("holdSeconds", "must be between 1 and " + MAX_HOLD_SECONDS));
            }
        } else if (request instanceof GetOrCreateClaim g) {
            requireId("owner", g.owner(), errors);
            ClaimAttributes.validate(g.attributes(), errors);
        } else if (request instanceof ConfirmClaim c) {
            requireId("owner", c.owner(), errors);
        } else if (request instanceof ReleaseClaim r) {
            requireId("owner", r.owner(), errors);
        }
        return new Checked(checked, errors);
    }
}
