package dev.tally.schemas.usage;

import static dev.tally.schemas.Identifiers.optionalId;
import static dev.tally.schemas.Identifiers.requireFeature;
import static dev.tally.schemas.Identifiers.requireId;

import dev.tally.schemas.FieldError;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules a readable usage request must meet. The gateway answers 400 with these errors before it
 * produces anything; the engine answers INVALID_REQUEST with the same errors for records that bypassed
 * the gateway. One set of rules, so both say the same thing.
 */
public final class UsageValidation {

    /** Amounts and limits stay far from overflow when added up over a period. */
    public static final long MAX_AMOUNT = 1_000_000_000_000_000L;
    /** A reservation lives at most 30 days: longer is a limit change, not a reservation. */
    public static final long MAX_TTL_SECONDS = 30L * 24 * 3600;
    /** A package grants at most this many features: each is written to its own account in one step. */
    public static final int MAX_FEATURES_PER_PACKAGE = 100;
    /** expiresAt stays within years 1970 to 9999, so it converts to epoch milliseconds and back. */
    public static final java.time.Instant LATEST_EXPIRY = java.time.Instant.parse("9999-12-31T23:59:59Z");

    private UsageValidation() {
    }

    public static List<FieldError> validate(UsageRequest request) {
        List<FieldError> errors = new ArrayList<>();
        requireId("requestId", request.requestId(), errors);
        requireId("workspace", request.workspace(), errors);
        // Java 17: no pattern switch yet, so an instanceof chain over the sealed types.
        if (request instanceof RecordUsage r) {
            optionalId("namespace", r.namespace(), errors);
            requireFeature("feature", r.feature(), errors);
            requireAmount("amount", r.amount(), 1, errors);
        } else if (request instanceof SetLimit s) {
            optionalId("namespace", s.namespace(), errors);
            requireFeature("feature", s.feature(), errors);
            requireAmount("limit", s.limit(), 0, errors);
            requirePeriod("period", s.period(), errors);
        } else if (request instanceof Reserve r) {
            optionalId("namespace", r.namespace(), errors);
            requireFeature("feature", r.feature(), errors);
            requireAmount("amount", r.amount(), 1, errors);
            if (r.ttlSeconds() == null) {
                errors.add(new FieldError("ttlSeconds", "required"));
            } else if (r.ttlSeconds() < 1 || r.ttlSeconds() > MAX_TTL_SECONDS) {
                errors.add(new FieldError("ttlSeconds", "must be between 1 and " + MAX_TTL_SECONDS));
            }
        } else if (request instanceof CommitReservation c) {
            requireId("reservationId", c.reservationId(), errors);
            requireAmount("amount", c.amount(), 0, errors);
        } else if (request instanceof ReleaseReservation r) {
            requireId("reservationId", r.reservationId(), errors);
        } else if (request instanceof ProvisionPackage p) {
            optionalId("namespace", p.namespace(), errors);
            requireId("packageCode", p.packageCode(), errors);
            validateFeatures(p, errors);
        } else if (request instanceof CancelPackage c) {
            optionalId("namespace", c.namespace(), errors);
            requireId("packageCode", c.packageCode(), errors);
        } else if (request instanceof AddBoost b) {
            optionalId("namespace", b.namespace(), errors);
            requireFeature("feature", b.feature(), errors);
            requireAmount("amount", b.amount(), 1, errors);
            requireId("externalId", b.externalId(), errors);
            if (b.expiresAt() != null && (b.expiresAt().isBefore(java.time.Instant.EPOCH)
                    || b.expiresAt().isAfter(LATEST_EXPIRY))) {
                errors.add(new FieldError("expiresAt", "must be between 1970-01-01T00:00:00Z and " + LATEST_EXPIRY));
            }
        }
        return errors;
    }

    private static void validateFeatures(ProvisionPackage request, List<FieldError> errors) {
        if (request.features() == null || request.features().isEmpty()) {
            errors.add(new FieldError("features", "required: at least one feature"));
            return;
        }
        if (request.features().size() > MAX_FEATURES_PER_PACKAGE) {
            errors.add(new FieldError("features", "at most " + MAX_FEATURES_PER_PACKAGE + " features"));
            return;
        }
        request.features().forEach((feature, grant) -> {
            String field = "features." + feature;
            requireFeature(field, feature, errors);
            if (grant == null) {
                errors.add(new FieldError(field, "required: {limit, period, enforcement?}, {unlimited: true}"
                        + " or {enabled: true|false}"));
                return;
            }
            int kinds = (grant.limit() != null ? 1 : 0) + (grant.unlimited() != null ? 1 : 0)
                    + (grant.enabled() != null ? 1 : 0);
            if (kinds != 1) {
                errors.add(new FieldError(field, "exactly one of: limit (metered), unlimited: true, enabled"));
            } else if (grant.limit() != null) {
                requireAmount(field + ".limit", grant.limit(), 0, errors);
                requirePeriod(field + ".period", grant.period(), errors);
            } else if (grant.unlimited() != null) {
                if (!grant.unlimited()) {
                    errors.add(new FieldError(field + ".unlimited", "must be true if given"));
                }
                if (grant.enforcement() != null) {
                    errors.add(new FieldError(field + ".enforcement", "only a metered grant has one"));
                }
            } else if (grant.period() != null || grant.enforcement() != null) {
                errors.add(new FieldError(field, "a flag ({enabled}) has no period or enforcement"));
            }
        });
    }

    private static void requirePeriod(String field, Period period, List<FieldError> errors) {
        if (period == null) {
            errors.add(new FieldError(field, "required: one of HOUR, DAY, MONTH, LIFETIME"));
        }
    }

    private static void requireAmount(String field, Long value, long min, List<FieldError> errors) {
        if (value == null) {
            errors.add(new FieldError(field, "required"));
        } else if (value < min || value > MAX_AMOUNT) {
            errors.add(new FieldError(field, "must be between " + min + " and " + MAX_AMOUNT));
        }
    }
}
