package dev.tally.schemas.claims;

import dev.tally.schemas.FieldError;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What a caller may attach to a claim (a customer id, the workflow's run id): a small flat map of text,
 * bounded so that a claim stays a small record in the store and on the decisions topic.
 */
public final class ClaimAttributes {

    public static final int MAX_ENTRIES = 32;
    public static final int MAX_VALUE_LENGTH = 1024;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private ClaimAttributes() {
    }

    /** Sorted by name, and null when empty: one spelling per meaning. */
    static SortedMap<String, String> canonical(Map<String, String> attributes) {
        if (attributes == null || attributes.isEmpty()) {
            return null;
        }
        return Collections.unmodifiableSortedMap(new TreeMap<>(attributes));
    }

    static void validate(Map<String, String> attributes, List<FieldError> errors) {
        if (attributes == null) {
            return;
        }
        if (attributes.size() > MAX_ENTRIES) {
            errors.add(new FieldError("attributes", "at most " + MAX_ENTRIES + " entries"));
            return;
        }
        attributes.forEach((name, value) -> {
            // The field names the attribute, cut short: an error must not be larger than what caused it.
            String field = "attributes." + (name.length() > 64 ? name.substring(0, 64) + "…" : name);
            if (!NAME.matcher(name).matches()) {
                errors.add(new FieldError(field, "names must be 1-64 of A-Z a-z 0-9 . _ -"));
            } else if (value == null || value.length() > MAX_VALUE_LENGTH || !Texts.isWellFormed(value)) {
                errors.add(new FieldError(field, "must be text of at most " + MAX_VALUE_LENGTH
                        + " characters, without control characters"));
            }
        });
    }
}
