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

    /** One spelling per meaning, so retries and re-provisionings compare equal. */
    public FeatureGrant {
        unlimited = Boolean.TRUE.equals(unlimited) ? Boolean.TRUE : null;
        if (limit != null && enforcement == null) {
            enforcement = Enforcement.HARD;
        }
        if (limit == null && unlimited == null && enabled != null) {
            period = null;
            enforcement = null;
        } else if (unlimited != null && period == null) {
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
        return limit == null && unlimited == null && enabled != null;
    }
}
