package dev.tally.launcher.audit;

/** An amount added to a feature's limit until {@code expiresAtMs}. */
record AuditedBoost(long amount, long expiresAtMs) {

    /** A boost counts up to, not including, its expiry. */
    boolean liveAt(long atMs) {
        return atMs < expiresAtMs;
    }
}
