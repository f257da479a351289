package dev.tally.schemas.claims;

import java.util.Map;

/**
 * Get-or-create: returns the live claim on (scope, value) if there is one, whoever owns it, or creates
 * it for {@code owner}. The decision says which ({@code created}).
 */
public record GetOrCreateClaim(
        String requestId,
        String scope,
        String value,
        String owner,
        Map<String, String> attributes) implements ClaimRequest {

    public static final String TYPE = "get-or-create-claim";

    public GetOrCreateClaim {
        attributes = ClaimAttributes.canonical(attributes);
    }

    @Override
    public GetOrCreateClaim withRequestId(String id) {
        return new GetOrCreateClaim(id, scope, value, owner, attributes);
    }

    @Override
    public GetOrCreateClaim withValue(String newValue) {
        return new GetOrCreateClaim(requestId, scope, newValue, owner, attributes);
    }
}
