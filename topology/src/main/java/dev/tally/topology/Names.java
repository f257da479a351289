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
    public static final String REPLIES_SINK = "replies-sink";
    public static final String DEAD_LETTER_SINK = "dead-letter-sink";

    /** Limits and usage per workspace/namespace and feature. */
    public static final String USAGE_ACCOUNTS_STORE = "usage-accounts";
    /** Decisions remembered by request id, for retries. */
    public static final String USAGE_REQUEST_IDS_STORE = "usage-request-ids";
    /** The same ids ordered by decision time, so that expiry scans only what expires. */

    private Names() {
    }
}
