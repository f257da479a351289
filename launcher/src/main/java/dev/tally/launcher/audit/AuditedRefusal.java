package dev.tally.launcher.audit;

import java.util.List;

/** The answer the rule gives an amount that does not fit; {@code scope} null for NO_LIMIT_DEFINED. */
record AuditedRefusal(String code, AuditedScope scope) {

    /**
     * The refusal of {@code amount} more, or null if every counted scope takes it: scope by scope in order, a
     * disabled flag, then a full counter, then a HARD limit it does not fit.
     */
    static AuditedRefusal of(List<AuditedScope> counted, long amount) {
        if (counted.isEmpty()) {
            return new AuditedRefusal("NO_LIMIT_DEFINED", null);
        }
        for (AuditedScope scope : counted) {
            if (scope.limit().disabled()) {
                return new AuditedRefusal("FEATURE_DISABLED", scope);
            }
            if (!scope.roomInCounters(amount) || !scope.fits(amount)) {
                return new AuditedRefusal("QUOTA_EXCEEDED", scope);
            }
        }
        return null;
    }

    /**
     * The refusal of a commit of {@code amount}, or null: what was reserved was granted, so only the amount
     * beyond what a scope holds must fit there.
     */
    static AuditedRefusal ofCommit(List<AuditedScope> touched, AuditedReservation reservation, long amount) {
        if (touched.stream().noneMatch(s -> s.limit().defined()) && amount > reservation.amount()) {
            return new AuditedRefusal("NO_LIMIT_DEFINED", null);
        }
        for (AuditedScope scope : touched) {
            long held = reservation.heldIn(scope);
            if (amount <= held) {
                continue;
            }
            AuditedScope released = scope.after(0, -held);
            if (scope.limit().disabled()) {
                return new AuditedRefusal("FEATURE_DISABLED", scope);
            }
            if (!released.roomInCounters(amount) || !released.fits(amount)) {
                return new AuditedRefusal("QUOTA_EXCEEDED", scope);
            }
        }
        return null;
    }
}
