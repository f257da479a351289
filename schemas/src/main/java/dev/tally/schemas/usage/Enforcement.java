package dev.tally.schemas.usage;

/** HARD rejects what does not fit; SOFT accepts it and flags the overage in the decision. */
public enum Enforcement {
    HARD,
    SOFT
}
