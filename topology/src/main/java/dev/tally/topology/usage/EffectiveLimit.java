package dev.tally.topology.usage;

import dev.tally.schemas.usage.Enforcement;
import dev.tally.schemas.usage.FeatureGrant;
import dev.tally.schemas.usage.FeatureKind;
import dev.tally.schemas.usage.Period;
import java.util.List;

/**
 * A feature's entitlement in one scope at one instant, derived from its sources by the rule below (also
 * in the README). {@code kind} null means no source grants anything: the scope is not counted.
 *
 * <ol>
 *   <li>The base: a limit set directly, else the active base package's grant.</li>
 *   <li>If the base or any add-on is unlimited, the feature is UNLIMITED.</li>
 *   <li>Else if the base or an add-on is metered, the limit is the base's limit (0 if the base is not
 *       metered) plus every metered add-on plus every live boost. Period and enforcement come from the
 *       base if it is metered, else from the add-on with the first packageCode.</li>
 *   <li>Else if any grant is a flag: BOOLEAN, enabled if any of them enables it.</li>
 *   <li>Else live boosts alone: METERED at their sum, over LIFETIME, HARD.</li>
 * </ol>
 * UNLIMITED usage is counted per the unlimited grant's period (the base's, else the first unlimited
 * add-on's), BOOLEAN usage per MONTH.
 */
public record EffectiveLimit(FeatureKind kind, long limit, boolean enabled, Period period,
                             Enforcement enforcement) {

    public static final EffectiveLimit NONE = new EffectiveLimit(null, 0, false, null, null);

    public static EffectiveLimit of(Account account, long atMs) {
        FeatureGrant base = account.direct() != null
                ? FeatureGrant.metered(account.direct().limit(), account.direct().period(),
                        account.direct().enforcement())
                : basePackage(account.packages());
        FeatureGrant defining = base != null && !base.isFlag() ? base : null;
        FeatureGrant unlimited = base != null && base.isUnlimited() ? base : null;
        boolean anyFlag = base != null && base.isFlag();
        boolean enabled = anyFlag && Boolean.TRUE.equals(base.enabled());
        long limit = base != null && base.isMetered() ? base.limit() : 0;
        for (PackageGrant addOn : account.packages()) {
            if (addOn.base()) {
                continue;
            }
            FeatureGrant grant = addOn.grant();
            if (grant.isFlag()) {
                anyFlag = true;
                enabled |= Boolean.TRUE.equals(grant.enabled());
                continue;
            }
            if (defining == null) {
                defining = grant; // packages are kept in packageCode order
            }
            if (unlimited == null && grant.isUnlimited()) {
                unlimited = grant;
            }
            if (grant.isMetered()) {
                limit = Amounts.add(limit, grant.limit());
            }
        }
        long boosts = liveBoosts(account.boosts(), atMs);
        if (unlimited != null) {
            return new EffectiveLimit(FeatureKind.UNLIMITED, 0, false, unlimited.period(), null);
        }
        if (defining != null) {
            return new EffectiveLimit(FeatureKind.METERED, Amounts.add(limit, boosts), false, defining.period(),
                    defining.enforcement());
        }
        if (anyFlag) {
            return new EffectiveLimit(FeatureKind.BOOLEAN, 0, enabled, Period.MONTH, null);
        }
        if (boosts > 0) {
            return new EffectiveLimit(FeatureKind.METERED, boosts, false, Period.LIFETIME, Enforcement.HARD);
        }
        return NONE;
    }

    static FeatureGrant basePackage(List<PackageGrant> packages) {
        for (PackageGrant grant : packages) {
            if (grant.base()) {
                return grant.grant();
            }
        }
        return null;
    }

    static long liveBoosts(List<Boost> boosts, long atMs) {
        long sum = 0;
        for (Boost boost : boosts) {
            if (boost.isLiveAt(atMs)) {
                sum = Amounts.add(sum, boost.amount());
            }
        }
        return sum;
    }

    public boolean isDefined() {
        return kind != null;
    }

    /** Whether this scope refuses what does not fit: a HARD metered limit. */
    public boolean isHard() {
        return kind == FeatureKind.METERED && enforcement == Enforcement.HARD;
    }

    public boolean isMetered() {
        return kind == FeatureKind.METERED;
    }

    /** A BOOLEAN feature that no grant enables: every use is refused. */
    public boolean isDisabled() {
        return kind == FeatureKind.BOOLEAN && !enabled;
    }
}
