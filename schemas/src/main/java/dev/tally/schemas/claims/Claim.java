package dev.tally.schemas.claims;

import java.time.Instant;
import java.util.Map;

/**
 * A live claim as callers see it: in decisions, in an expiry event, and as the answer to a read.
 *
 * @param holdExpiresAt when a PENDING claim frees its value unless confirmed; absent once ACTIVE
 * @param claimRequestId the requestId of the request that created the claim
 */
public record Claim(
        String scope,
        String value,
        String owner,
        ClaimStatus status,
        Map<String, String> attributes,
        Instant claimedAt,
        Instant holdExpiresAt,
        Instant confirmedAt,
        String claimRequestId) {

    public Claim {
        attributes = ClaimAttributes.canonical(attributes);
    }
}
