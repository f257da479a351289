package dev.tally.schemas.claims;

/** Makes a PENDING claim ACTIVE; only its owner may. Confirming an ACTIVE claim changes nothing. */
public record ConfirmClaim(String requestId, String scope, String value, String owner) implements ClaimRequest {

    public static final String TYPE = "confirm-claim";

    @Override
    public ConfirmClaim withRequestId(String id) {
        return new ConfirmClaim(id, scope, value, owner);
    }

    @Override
    public ConfirmClaim withValue(String newValue) {
        return new ConfirmClaim(requestId, scope, newValue, owner);
    }
}
