package dev.tally.topology;

/**
 * Names of the topology's nodes and stores, in one place. A store's name fixes its changelog topic's
 * name ({@code <application.id>-<store>-changelog}): renaming one is a data migration, not a refactoring.
 */
public final class Names {

    public static final String USAGE_SOURCE = "usage-requests-source";
    public static final String USAGE_DECIDER = "usage-decider";
    public static final String USAGE_DECISIONS_SINK = "usage-decisions-sink";
    public static final String USAGE_REROUTE_SINK = "usage-reroute-sink";
    public static final String USAGE_ALERTS_SINK = "usage-alerts-sink";
    public static final String CLAIM_SOURCE = "claim-requests-source";
    public static final String CLAIM_DECIDER = "claim-decider";
    public static final String CLAIM_DECISIONS_SINK = "claim-decisions-sink";
    public static final String CLAIM_REROUTE_SINK = "claim-reroute-sink";
    public static final String BOOKING_SOURCE = "booking-requests-source";
    public static final String BOOKING_DECIDER = "booking-decider";
    public static final String BOOKING_DECISIONS_SINK = "booking-decisions-sink";
    public static final String BOOKING_REROUTE_SINK = "booking-reroute-sink";
    public static final String SEGMENT_RESULTS_SINK = "segment-results-sink";
    public static final String COMPOSITE_SOURCE = "composite-requests-source";
    public static final String COMPOSITE_DECIDER = "composite-decider";
    public static final String COMPOSITE_DECISIONS_SINK = "composite-decisions-sink";
    public static final String COMPOSITE_REROUTE_SINK = "composite-reroute-sink";
    public static final String COMPOSITE_COMMANDS_SINK = "composite-commands-sink";
    public static final String REPLIES_SINK = "replies-sink";
    public static final String DEAD_LETTER_SINK = "dead-letter-sink";

    /** Limits and usage per workspace/namespace and feature. */
    public static final String USAGE_ACCOUNTS_STORE = "usage-accounts";
    /** Decisions remembered by request id, for retries. */
    public static final String USAGE_REQUEST_IDS_STORE = "usage-request-ids";
    /** Active packages, each scope's base package, and every boost by externalId. */
    public static final String USAGE_ENTITLEMENTS_STORE = "usage-entitlements";
    /** Reservations by workspace|reservationId, live and recently ended. */
    public static final String USAGE_RESERVATIONS_STORE = "usage-reservations";
    /** Reservations by the time they are due to expire or be forgotten. */
    public static final String USAGE_RESERVATION_DUE_STORE = "usage-reservation-due";
    /** Live claims by scope/value. */
    public static final String CLAIMS_STORE = "claims";
    /** PENDING claims by the end of their hold, so that expiry reads only what ends. */
    public static final String CLAIM_HOLDS_STORE = "claim-holds";
    /** Resources by id: capacity, slot size, time zone. */
    public static final String RESOURCES_STORE = "resources";
    /** Bookings by resource|bookingId. */
    public static final String BOOKINGS_STORE = "bookings";
    /** Booking ids by resource|externalId. */
    public static final String BOOKING_EXTERNAL_IDS_STORE = "booking-external-ids";
    /** What is booked per resource and slot. */
    public static final String SLOT_USAGE_STORE = "slot-usage";
    /** Booking decisions remembered by request id, for retries. */
    public static final String BOOKING_REQUEST_IDS_STORE = "booking-request-ids";
    /** Composites by id: request, answers so far, status, deadline, waiting callers, decision. */
    public static final String COMPOSITES_STORE = "composites";
    /** Pending composites by deadline, so that timing out reads only what is due. */
    public static final String COMPOSITE_DEADLINES_STORE = "composite-deadlines";
    /** Claim decisions remembered by request id, for retries. */
    public static final String CLAIM_REQUEST_IDS_STORE = "claim-request-ids";

    private Names() {
    }
}
