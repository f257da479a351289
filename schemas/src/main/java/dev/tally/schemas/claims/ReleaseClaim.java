package dev.tally.schemas.claims;

/** Frees the value (a provisioning workflow that failed, a tenant that left); only its owner may. */
public record ReleaseClaim(String requestId, String scope, String value, String owner) implements ClaimRequest {

    public static final String TYPE = "release-claim";

    @Override
    public ReleaseClaim withRequestId(String id) {
        return new ReleaseClaim(id, scope, value, owner);
    }

    @Override
    public ReleaseClaim withValue(String newValue) {
        return new ReleaseClaim(requestId, scope, newValue, owner);
    }
}
