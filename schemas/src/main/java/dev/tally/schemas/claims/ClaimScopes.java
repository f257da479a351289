package dev.tally.schemas.claims;

import dev.tally.schemas.FieldError;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The configured claim scopes and the normaliser of each, e.g. {@code tenant-slug=slug}. The gateway and
 * the engine read the same setting: the gateway to answer 400 before producing, the engine to key and
 * decide records that were published straight to Kafka.
 */
public final class ClaimScopes {

    /** Scope names are lower case and cannot hold '/', which separates scope and value in a claim's key. */
    private static final Pattern SCOPE_NAME = Pattern.compile("[a-z0-9._-]{1,64}");

    private final Map<String, Normaliser> byScope;

    private ClaimScopes(Map<String, Normaliser> byScope) {
        this.byScope = Collections.unmodifiableMap(byScope);
    }

    /**
     * Reads {@code scope=normaliser} entries.
     *
     * @throws IllegalArgumentException naming the entry at fault
     */
    public static ClaimScopes parse(List<String> entries) {
        Map<String, Normaliser> byScope = new LinkedHashMap<>();
        for (String entry : entries) {
            String[] parts = entry.split("=", -1);
            if (parts.length != 2) {
                throw new IllegalArgumentException("claim scope '" + entry + "' must be scope=normaliser");
            }
            String scope = parts[0].strip();
            if (!SCOPE_NAME.matcher(scope).matches()) {
                throw new IllegalArgumentException("claim scope '" + scope + "' must be 1-64 of a-z 0-9 . _ -");
            }
            Normaliser normaliser = normaliserNamed(parts[1].strip());
            if (byScope.put(scope, normaliser) != null) {
                throw new IllegalArgumentException("claim scope '" + scope + "' is configured twice");
            }
        }
        return new ClaimScopes(byScope);
    }

    private static Normaliser normaliserNamed(String name) {
        try {
            return Normaliser.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("claim normaliser '" + name + "' is not one of "
                    + Arrays.stream(Normaliser.values()).map(Normaliser::configName)
                    .collect(Collectors.joining(", ")), e);
        }
    }

    /** Scope names in the order configured. */
    public List<String> names() {
        return List.copyOf(byScope.keySet());
    }

    /**
     * The value's canonical spelling in its scope. On an unknown scope or a value the scope's normaliser
     * refuses, adds the reason to {@code errors} (field {@code scope} or {@code value}) and returns null.
     */
    public String normalise(String scope, String value, List<FieldError> errors) {
        if (scope == null) {
            errors.add(new FieldError("scope", "required"));
            return null;
        }
        Normaliser normaliser = byScope.get(scope);
        if (normaliser == null) {
            errors.add(new FieldError("scope", "unknown claim scope; configured: " + String.join(", ", names())));
            return null;
        }
        if (value == null) {
            errors.add(new FieldError("value", "required"));
            return null;
        }
        String normalised = value.length() > Normaliser.MAX_INPUT_LENGTH || !Texts.isWellFormed(value)
                ? null : normaliser.normalise(value);
        if (normalised == null) {
            errors.add(new FieldError("value", "not a valid " + scope + ": " + normaliser.rule()));
        }
        return normalised;
    }
}
