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
    REQUEST_ID_REUSED(Outcome.REJECTED),
    /** A claim was created (ACTIVE, or PENDING while its hold lasts). */
    CLAIMED(Outcome.ACCEPTED),
    /** Get-or-create found a live claim and returns it, whoever owns it; nothing changed. */
    CLAIM_EXISTS(Outcome.ACCEPTED),
    /** The owner confirmed its claim: it is ACTIVE (confirming an ACTIVE claim changes nothing). */
    CONFIRMED(Outcome.ACCEPTED),
    /** The owner released its claim: the value is free. */
    RELEASED(Outcome.ACCEPTED),
    /** Not an answer but an event: a PENDING claim's hold ran out unconfirmed and its value is free. */
    HOLD_EXPIRED(Outcome.ACCEPTED),
    /** Rejected: the value already has a live claim; the decision names its owner. */
    ALREADY_CLAIMED(Outcome.REJECTED),
    /** Rejected: only the claim's owner may confirm or release it; the decision names the owner. */
    NOT_OWNER(Outcome.REJECTED),
    /** Rejected: no live claim on that value (never claimed, released, or its hold expired). */
    CLAIM_NOT_FOUND(Outcome.REJECTED);

    private final Outcome outcome;

    DecisionCode(Outcome outcome) {
        this.outcome = outcome;
    }

    public Outcome outcome() {
        return outcome;
    }
}
