package dev.tally.schemas.claims;

import java.util.Map;

/**
 * Create-only: the first request for (scope, value) wins, every later one is rejected naming the owner.
 * With {@code holdSeconds} the claim is PENDING until its owner confirms it, or the hold runs out and
 * frees the value.
 */
public record CreateClaim(
        String requestId,
        String scope,
        String value,
        String owner,
        Map<String, String> attributes,
        Long holdSeconds) implements ClaimRequest {

    public static final String TYPE = "create-claim";

    /** One spelling per meaning (no attributes and {} are the same), so retries compare equal. */
    public CreateClaim {
        attributes = ClaimAttributes.canonical(attributes);
    }

    @Override
    public CreateClaim withRequestId(String id) {
        return new CreateClaim(id, scope, value, owner, attributes, holdSeconds);
    }

    @Override
    public CreateClaim withValue(String newValue) {
        return new CreateClaim(requestId, scope, newValue, owner, attributes, holdSeconds);
    }
}
