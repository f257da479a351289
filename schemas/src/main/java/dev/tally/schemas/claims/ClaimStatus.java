package dev.tally.schemas.claims;

/** A live claim is either held while a workflow runs (PENDING) or settled (ACTIVE). Both block others. */
public enum ClaimStatus {
    PENDING,
    ACTIVE
}
