package dev.tally.topology.usage;

/** Extra limit for one feature, kept in its account until it expires ({@link #NEVER}: it does not). */
public record Boost(String externalId, long amount, long expiresAtMs) {

    public static final long NEVER = Long.MAX_VALUE;

    /** Live up to, not including, its expiry: at {@code expiresAt} it no longer counts. */
    public boolean isLiveAt(long atMs) {
        return atMs < expiresAtMs;
    }
}
