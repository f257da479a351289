package dev.tally.topology.claims;

import dev.tally.schemas.claims.Claim;
import dev.tally.schemas.claims.ClaimStatus;
import java.time.Instant;
import java.util.Map;

/**
 * A live claim as the engine stores it, under its key {@code scope/value}. Times are epoch milliseconds, 0
 * meaning "none": {@code claimedAtMs} and {@code confirmedAtMs} of record time, {@code holdUntilMs} of the
 * engine's clock (holds run on it alone).
 *
 * @param holdUntilMs when a PENDING claim frees its value unless confirmed; 0 once ACTIVE
 */
public record ClaimState(
        String owner,
        ClaimStatus status,
        Map<String, String> attributes,
        long claimedAtMs,
        long holdUntilMs,
        long confirmedAtMs,
        String claimRequestId) {

    public ClaimState {
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    public boolean isPending() {
        return status == ClaimStatus.PENDING;
    }

    /** Whether the hold has run out at {@code atMs}: the claim no longer exists from then on. */
    public boolean holdExpiredAt(long atMs) {
        return isPending() && holdUntilMs <= atMs;
    }

    public ClaimState confirmed(long atMs) {
        return new ClaimState(owner, ClaimStatus.ACTIVE, attributes, claimedAtMs, 0, atMs, claimRequestId);
    }

    public Claim view(String scope, String value) {
        return new Claim(scope, value, owner, status, attributes, Instant.ofEpochMilli(claimedAtMs),
                holdUntilMs == 0 ? null : Instant.ofEpochMilli(holdUntilMs),
                confirmedAtMs == 0 ? null : Instant.ofEpochMilli(confirmedAtMs), claimRequestId);
    }
}
