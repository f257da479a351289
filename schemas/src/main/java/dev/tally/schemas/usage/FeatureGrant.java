package dev.tally.schemas.usage;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * What a package grants for one feature. Exactly one of three kinds:
 * <ul>
 *   <li>metered: {@code limit} per {@code period}, HARD unless {@code enforcement} says SOFT;</li>
 *   <li>unlimited: {@code unlimited: true}; usage is counted per {@code period} (MONTH if absent) and never
 *       refused;</li>
 *   <li>boolean: {@code enabled: true|false}; an enabled feature is used without counting against a limit.</li>
 * </ul>
 */
public record FeatureGrant(Long limit, Period period, Enforcement enforcement, Boolean unlimited, Boolean enabled) {

    /**
     * Defaults, so equal grants compare equal: a metered grant is HARD unless it says SOFT; an unlimited
     * one counts per MONTH unless it names a period. Anything else is kept as sent, for validation to refuse
     * what does not belong to the grant's kind.
     */
    public FeatureGrant {
        if (limit != null && enforcement == null) {
            enforcement = Enforcement.HARD;
        }
        if (Boolean.TRUE.equals(unlimited) && period == null) {
            period = Period.MONTH;
        }
    }

    public static FeatureGrant metered(long limit, Period period, Enforcement enforcement) {
        return new FeatureGrant(limit, period, enforcement, null, null);
    }

    public static FeatureGrant unlimitedPer(Period period) {
        return new FeatureGrant(null, period, null, true, null);
    }

    public static FeatureGrant flag(boolean enabled) {
        return new FeatureGrant(null, null, null, null, enabled);
    }

    @JsonIgnore
    public boolean isMetered() {
        return limit != null;
    }

    @JsonIgnore
    public boolean isUnlimited() {
        return Boolean.TRUE.equals(unlimited);
    }

    @JsonIgnore
    public boolean isFlag() {
        return limit == null && !isUnlimited() && enabled != null;
    }
}
