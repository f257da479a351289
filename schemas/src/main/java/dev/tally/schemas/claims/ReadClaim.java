package dev.tally.schemas.claims;

/**
 * Reads the live claim on (scope, value) through the task that owns it, so it sees every write decided
 * before it. Changes nothing and produces no decision record.
 */
public record ReadClaim(String requestId, String scope, String value) implements ClaimRequest {

    public static final String TYPE = "read-claim";

    @Override
    public ReadClaim withRequestId(String id) {
        return new ReadClaim(id, scope, value);
    }

    @Override
    public ReadClaim withValue(String newValue) {
        return new ReadClaim(requestId, scope, newValue);
    }
}
