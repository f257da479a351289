package dev.tally.launcher.audit;

import java.util.List;

/** One counted scope as a decision sees it: its account rolled to the record's time, and its limit then. */
record AuditedScope(String key, String name, AuditedAccount account, AuditedEffectiveLimit limit) {

    /** The scope a decision reports: the one with the least left, the first of equals. */
    static AuditedScope binding(List<AuditedScope> scopes) {
        AuditedScope binding = null;
        for (AuditedScope scope : scopes) {
            if (binding == null || scope.headroom() < binding.headroom()) {
                binding = scope;
            }
        }
        return binding;
    }

    /** What is left under a metered limit; negative past a SOFT one. */
    long headroom() {
        return limit.metered() ? limit.limit() - Amounts.sum(account.used, account.reserved) : Long.MAX_VALUE;
    }

    boolean fits(long extra) {
        return !limit.hard() || extra <= headroom();
    }

    /** The counters stop at the largest long: an amount that would pass it does not fit. */
    boolean roomInCounters(long extra) {
        return Amounts.sum(account.used, account.reserved) <= Long.MAX_VALUE - extra;
    }

    /** This scope after {@code usage} more used and {@code reservedChange} more (or less) reserved. */
    AuditedScope after(long usage, long reservedChange) {
        AuditedAccount next = account.copy();
        next.used = Amounts.sum(next.used, usage);
        next.reserved = Math.max(0, Amounts.sum(next.reserved, reservedChange));
        return new AuditedScope(key, name, next, limit);
    }

    String describe() {
        String of = limit.metered() ? " of " + limit.limit() + " (" + limit.enforcement() + ")"
                : " (" + (limit.defined() ? limit.kind() : "undefined") + ")";
        return name + ": " + account.used + " used + " + account.reserved + " reserved" + of;
    }
}
