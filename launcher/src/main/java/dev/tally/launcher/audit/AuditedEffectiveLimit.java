package dev.tally.launcher.audit;

import java.util.List;

/**
 * What the sources make a feature in one scope at one instant; {@code kind} null: nothing defines it. As in the
 * engine, a direct limit sets the base package aside for good.
 */
record AuditedEffectiveLimit(String kind, long limit, boolean enabled, String period, String enforcement) {

    static final AuditedEffectiveLimit NONE = new AuditedEffectiveLimit(null, 0, false, null, null);

    static AuditedEffectiveLimit of(AuditedAccount account, long atMs) {
        AuditedGrant base = account.hasDirect ? account.direct : basePackage(account);
        List<AuditedGrant> addOns = account.packages.values().stream().filter(p -> !p.base())
                .map(AuditedPackageGrant::grant).toList();
        AuditedGrant unlimited = base != null && base.unlimited() ? base : firstUnlimitedAddOn(account);
        if (unlimited != null) {
            return new AuditedEffectiveLimit("UNLIMITED", 0, false, unlimited.period(), null);
        }
        if (account.hasDirect && account.direct == null) {
            throw ModelCannotFollow.hiddenDirectLimit();
        }
        long boosts = liveBoosts(account, atMs);
        AuditedGrant meteredSource = base != null && base.metered() ? base
                : addOns.stream().filter(AuditedGrant::metered).findFirst().orElse(null);
        if (meteredSource != null) {
            long baseLimit = base != null && base.metered() ? base.limit() : 0;
            return new AuditedEffectiveLimit("METERED",
                    Amounts.sum(Amounts.sum(baseLimit, meteredAddOns(account)), boosts), false,
                    meteredSource.period(), meteredSource.enforcement());
        }
        boolean anyFlag = (base != null && base.flag()) || addOns.stream().anyMatch(AuditedGrant::flag);
        if (anyFlag) {
            boolean enabled = (base != null && base.flag() && base.enabled())
                    || addOns.stream().anyMatch(g -> g.flag() && g.enabled());
            return new AuditedEffectiveLimit("BOOLEAN", 0, enabled, "MONTH", null);
        }
        if (boosts > 0) {
            return new AuditedEffectiveLimit("METERED", boosts, false, "LIFETIME", "HARD");
        }
        return NONE;
    }

    static AuditedGrant firstUnlimitedAddOn(AuditedAccount account) {
        return account.packages.values().stream().filter(p -> !p.base() && p.grant().unlimited())
                .map(AuditedPackageGrant::grant).findFirst().orElse(null);
    }

    static long meteredAddOns(AuditedAccount account) {
        long total = 0;
        for (AuditedPackageGrant p : account.packages.values()) {
            if (!p.base() && p.grant().metered()) {
                total = Amounts.sum(total, p.grant().limit());
            }
        }
        return total;
    }

    static long liveBoosts(AuditedAccount account, long atMs) {
        long total = 0;
        for (AuditedBoost boost : account.boosts) {
            if (boost.liveAt(atMs)) {
                total = Amounts.sum(total, boost.amount());
            }
        }
        return total;
    }

    private static AuditedGrant basePackage(AuditedAccount account) {
        return account.packages.values().stream().filter(AuditedPackageGrant::base).map(AuditedPackageGrant::grant)
                .findFirst().orElse(null);
    }

    boolean defined() {
        return kind != null;
    }

    boolean metered() {
        return "METERED".equals(kind);
    }

    boolean hard() {
        return metered() && "HARD".equals(enforcement);
    }

    boolean disabled() {
        return "BOOLEAN".equals(kind) && !enabled;
    }
}
