package dev.tally.contract;

import java.util.List;

/**
 * Every topic tally reads or writes, under one configurable prefix ({@code tally.} by default). The names
 * are part of the public contract: producers in other languages write to them, consumers read them.
 */
public record TopicNames(String prefix) {

    public static final String DEFAULT_PREFIX = "tally.";

    public static TopicNames withDefaultPrefix() {
        return new TopicNames(DEFAULT_PREFIX);
    }

    /** Usage requests, keyed by workspace id. */
    public String usageRequests() {
        return prefix + "usage.requests";
    }

    /** One decision per usage request id, keyed by workspace id, in the order they were decided. */
    public String usageDecisions() {
        return prefix + "usage.decisions";
    }

    /**
     * Usage alerts: one when a feature's usage reaches 80, 90 or 100 % of its limit, per scope, threshold
     * and period; keyed by workspace id, written with the usage that crossed the threshold.
     */
    public String usageAlerts() {
        return prefix + "usage.alerts";
    }

    /** Claim requests, keyed by scope/value (the value in its scope's canonical spelling). */
    public String claimRequests() {
        return prefix + "claims.requests";
    }

    /** One decision per claim request id, and hold expiry events, keyed by scope/value, in decision order. */
    public String claimDecisions() {
        return prefix + "claims.decisions";
    }

    /** Booking requests, keyed by resource id. */
    public String bookingRequests() {
        return prefix + "bookings.requests";
    }

    /** One decision per booking request id, keyed by resource id, in decision order. */
    public String bookingDecisions() {
        return prefix + "bookings.decisions";
    }

    /** Composite bookings, keyed by compositeId. */
    public String compositeRequests() {
        return prefix + "composites.requests";
    }

    /**
     * A composite coordinator's hold, confirm and release commands, keyed by resource id. Internal: only
     * the engine writes it, so that whoever may publish booking requests cannot act as a coordinator.
     */
    public String segmentCommands() {
        return prefix + "composites.segment-commands";
    }

    /** The resource tasks' answers to hold commands, keyed by compositeId. Internal: only the engine writes it. */
    public String segmentResults() {
        return prefix + "composites.segment-results";
    }

    /** One decision per composite, keyed by compositeId. */
    public String compositeDecisions() {
        return prefix + "composites.decisions";
    }

    /** Decisions and reads addressed to one gateway instance's partition; keyed by correlation id. */
    public String replies() {
        return prefix + "replies";
    }

    /** Records that could not be read, with the reason and their origin in headers. */
    public String deadLetter() {
        return prefix + "dead-letter";
    }

    /** Topics partitioned by entity key: they must all have the same partition count. */
    public List<String> keyedTopics() {
        return List.of(usageRequests(), usageDecisions(), usageAlerts(), claimRequests(), claimDecisions(),
                bookingRequests(), bookingDecisions(), compositeRequests(), compositeDecisions(), segmentCommands(),
                segmentResults());
    }

    public List<String> all() {
        return List.of(usageRequests(), usageDecisions(), usageAlerts(), claimRequests(), claimDecisions(),
                bookingRequests(), bookingDecisions(), compositeRequests(), compositeDecisions(), segmentCommands(),
                segmentResults(), replies(), deadLetter());
    }
}
