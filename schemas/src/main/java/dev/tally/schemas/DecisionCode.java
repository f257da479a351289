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
    CLAIM_NOT_FOUND(Outcome.REJECTED),
    /** A resource was created, or its capacity changed; the decision lists slots booked past it. */
    RESOURCE_SET(Outcome.ACCEPTED),
    /** The booking took its slots. */
    BOOKED(Outcome.ACCEPTED),
    /** A booking with that bookingId, or that externalId, exists: the first one is returned; nothing taken. */
    ALREADY_BOOKED(Outcome.ACCEPTED),
    /** The booking was cancelled and its slots freed (cancelling a cancelled booking changes nothing). */
    CANCELLED(Outcome.ACCEPTED),
    /** The booking moved to its new range in one step. */
    RESCHEDULED(Outcome.ACCEPTED),
    /** Rejected: a slot of the range has not enough left; the decision names the first such slot. */
    AVAILABILITY_CONFLICT(Outcome.REJECTED),
    /** Rejected: another booking of the resource, or another boost of the workspace, has that externalId; the decision carries it. */
    DUPLICATE_EXTERNAL_ID(Outcome.REJECTED),
    /** Rejected: the booking is no longer at the expectedVersion; the decision carries it as it is. */
    STALE_VERSION(Outcome.REJECTED),
    /** Rejected: the booking was cancelled and cannot be rescheduled. */
    BOOKING_CANCELLED(Outcome.REJECTED),
    /** Rejected: the resource has live bookings, so its slot size and time zone cannot change. */
    RESOURCE_IN_USE(Outcome.REJECTED),
    /** Rejected: no resource with that id has been defined. */
    RESOURCE_NOT_FOUND(Outcome.REJECTED),
    /** Rejected: the resource has no booking with that id. */
    BOOKING_NOT_FOUND(Outcome.REJECTED),
    /** A composite's segment took its slots, held until the coordinator confirms or releases it. */
    SEGMENT_HELD(Outcome.ACCEPTED),
    /** A held segment became a booking: its composite was accepted. */
    SEGMENT_CONFIRMED(Outcome.ACCEPTED),
    /** A held segment gave its slots back: its composite was refused or timed out. */
    SEGMENT_RELEASED(Outcome.ACCEPTED),
    /** Rejected: the booking is a held segment of a composite not decided yet; only its coordinator changes it. */
    BOOKING_PENDING(Outcome.REJECTED),
    /** Every segment of the composite is booked. */
    COMPOSITE_BOOKED(Outcome.ACCEPTED),
    /** Rejected: a segment was refused; every segment held for it was released. The decision names it. */
    COMPOSITE_REFUSED(Outcome.REJECTED),
    /** Rejected: not every segment answered in time; every segment held for it was released. */
    COMPOSITE_TIMED_OUT(Outcome.REJECTED),
    /** Rejected: the feature is a flag no active grant enables in a scope the request touches. */
    FEATURE_DISABLED(Outcome.REJECTED),
    /** The amount is set aside until the reservation is committed, released or expires. */
    RESERVED(Outcome.ACCEPTED),
    /** The reservation ended with the actual amount charged; anything reserved beyond it was returned. */
    RESERVATION_COMMITTED(Outcome.ACCEPTED),
    /** The reservation ended with nothing charged; its whole amount was returned. */
    RESERVATION_RELEASED(Outcome.ACCEPTED),
    /** Not an answer but an event: a reservation's time to live ran out; its amount was returned. */
    RESERVATION_LAPSED(Outcome.ACCEPTED),
    /** Rejected: the reservation had already expired (see RESERVATION_LAPSED); nothing was charged. */
    RESERVATION_EXPIRED(Outcome.REJECTED),
    /** Rejected: the reservation was already committed or released; the decision says which. */
    RESERVATION_ENDED(Outcome.REJECTED),
    /** Rejected: the workspace has no reservation with that id (never made, or ended long ago). */
    RESERVATION_NOT_FOUND(Outcome.REJECTED),
    /** The package is active; a base package cancelled the scope's earlier base package in the same step. */
    PACKAGE_PROVISIONED(Outcome.ACCEPTED),
    /** The package was already active with the same content; nothing changed. */
    ALREADY_PROVISIONED(Outcome.ACCEPTED),
    /** The package was cancelled; what it granted counts no more. */
    PACKAGE_CANCELLED(Outcome.ACCEPTED),
    /** Rejected: no active package with that code in that scope. */
    PACKAGE_NOT_FOUND(Outcome.REJECTED),
    /** The boost adds to the feature's limit until it expires. */
    BOOST_ADDED(Outcome.ACCEPTED),
    /** Rejected: the feature already has as many package grants or live boosts in this scope as one may. */
    TOO_MANY_GRANTS(Outcome.REJECTED);

    private final Outcome outcome;

    DecisionCode(Outcome outcome) {
        this.outcome = outcome;
    }

    public Outcome outcome() {
        return outcome;
    }
}
