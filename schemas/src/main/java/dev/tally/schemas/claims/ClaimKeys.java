package dev.tally.schemas.claims;

/**
 * The Kafka key of a claim: {@code scope/value}, the value in its canonical spelling. Scope names cannot
 * hold '/', so the first '/' always separates the two.
 */
public final class ClaimKeys {

    public static final char SEPARATOR = '/';

    private ClaimKeys() {
    }

    public static String of(String scope, String normalisedValue) {
        return scope + SEPARATOR + normalisedValue;
    }
}
