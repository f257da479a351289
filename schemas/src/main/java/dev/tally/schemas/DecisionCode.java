package dev.tally.schemas;

/**
 * The closed set of reasons a decision can give. Serialised by name: a code is never renamed or reused,
 * because consumers and dashboards count them.
 */
public enum DecisionCode {
    /** Accepted and applied (or, for a dry run, would be). */
    OK(Outcome.ACCEPTED),
    /** Accepted under a SOFT limit although it goes past it; the decision carries the overage. */
    SOFT_LIMIT_EXCEEDED(Outcome.ACCEPTED),
    /** A limit was set or changed; it applies from its place in the partition's order. */
    LIMIT_SET(Outcome.ACCEPTED),
    /** Rejected: the amount does not fit under a HARD limit. Nothing was recorded. */
    QUOTA_EXCEEDED(Outcome.REJECTED),
    /** Rejected: no limit is defined for this feature in any scope the request touches (fail closed). */
    NO_LIMIT_DEFINED(Outcome.REJECTED),
    /** Rejected: the request could be read but breaks a rule of its schema; the decision lists the fields. */
    INVALID_REQUEST(Outcome.REJECTED),
    /** Rejected: this requestId was already used for a different request body. */
    REQUEST_ID_REUSED(Outcome.REJECTED);

    private final Outcome outcome;

    DecisionCode(Outcome outcome) {
        this.outcome = outcome;
    }

    public Outcome outcome() {
        return outcome;
    }
}
