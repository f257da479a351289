package dev.tally.topology.usage;

import dev.tally.schemas.usage.FeatureKind;

/**
 * One scope's account of a feature as a request sees it: rolled to the request's time, with the limit its
 * sources give then.
 */
record Scope(AccountKey key, Account account, EffectiveLimit limit) {

    static Scope load(AccountKey key, Account account, long atMs) {
        EffectiveLimit limit = account.effective(atMs);
        return new Scope(key, account.at(atMs, limit), limit);
    }

    /** What is left under a metered limit after usage and reservations; negative past a soft limit. */
    long headroom() {
        return limit.isMetered() ? limit.limit() - account.committedAndHeld() : Long.MAX_VALUE;
    }

    /** Whether {@code extra} more (used or reserved) stays within a hard limit; any amount fits otherwise. */
    boolean fits(long extra) {
        return !limit.isHard() || extra <= headroom();
    }

    /** Whether the counters could take {@code extra} more without reaching the largest long. */
    boolean hasRoomInCounters(long extra) {
        return account.committedAndHeld() <= Long.MAX_VALUE - extra;
    }

    Scope with(Account next) {
        return new Scope(key, next, limit);
    }

    /** The decision's {@code remaining}: what is left, never below zero; absent without a metered limit. */
    Long remaining() {
        return limit.kind() == FeatureKind.METERED ? Math.max(0, headroom()) : null;
    }
}
