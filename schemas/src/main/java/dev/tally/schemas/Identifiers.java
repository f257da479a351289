package dev.tally.schemas;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The character sets of ids that become parts of keys. Kept narrow so that an id can never smuggle in a
 * separator, and the same in HTTP paths, Kafka keys and store keys.
 */
public final class Identifiers {

    public static final int MAX_LENGTH = 128;

    /** Workspaces, namespaces, request ids: letters, digits, '.', '_', '-', ':' . */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1," + MAX_LENGTH + "}");
    /** Features are lower case by convention ("ai.tokens"), so two spellings cannot mean two counters. */
    private static final Pattern FEATURE = Pattern.compile("[a-z0-9._-]{1," + MAX_LENGTH + "}");

    private Identifiers() {
    }

    public static void requireId(String field, String value, List<FieldError> errors) {
        if (value == null) {
            errors.add(new FieldError(field, "required"));
        } else if (!ID.matcher(value).matches()) {
            errors.add(new FieldError(field, "must be 1-" + MAX_LENGTH + " of A-Z a-z 0-9 . _ : -"));
        }
    }

    public static void optionalId(String field, String value, List<FieldError> errors) {
        if (value != null) {
            requireId(field, value, errors);
        }
    }

    public static void requireFeature(String field, String value, List<FieldError> errors) {
        if (value == null) {
            errors.add(new FieldError(field, "required"));
        } else if (!FEATURE.matcher(value).matches()) {
            errors.add(new FieldError(field, "must be 1-" + MAX_LENGTH + " of a-z 0-9 . _ -"));
        }
    }
}
