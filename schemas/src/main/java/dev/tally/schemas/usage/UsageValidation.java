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
            if (s.period() == null) {
                errors.add(new FieldError("period", "required: one of HOUR, DAY, MONTH, LIFETIME"));
            }
        }
        return errors;
    }

    private static void requireAmount(String field, Long value, long min, List<FieldError> errors) {
        if (value == null) {
            errors.add(new FieldError(field, "required"));
        } else if (value < min || value > MAX_AMOUNT) {
            errors.add(new FieldError(field, "must be between " + min + " and " + MAX_AMOUNT));
        }
    }
}
