package dev.tally.schemas.claims;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How a scope turns what a caller typed into the one spelling that is claimed, so that equivalent
 * spellings ("Acme", " acme ") meet in one key, one partition and one task. Every normaliser is idempotent:
 * normalising a normalised value gives it back, so the engine can normalise what the gateway already did.
 */
public enum Normaliser {

    /** Case-folded DNS-label style: 1-63 of a-z, 0-9 and '-', not starting or ending with '-'. */
    SLUG("1-63 of a-z 0-9 and '-', not starting or ending with '-' (case is folded)") {
        private final Pattern shape = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");

        @Override
        String normalise(String raw) {
            String folded = raw.strip().toLowerCase(Locale.ROOT);
            return shape.matcher(folded).matches() ? folded : null;
        }
    },

    /**
     * A phone number within a company: {@code company:phone}. The company id is kept as given; the number
     * keeps its digits and a leading '+', and drops spaces, dots, dashes and parentheses.
     */
    PHONE("company:phone, where company is 1-64 of A-Z a-z 0-9 . _ - and phone has 4-15 digits,"
            + " optionally after a leading '+'") {
        private final Pattern company = Pattern.compile("[A-Za-z0-9._-]{1,64}");
        private final Pattern number = Pattern.compile("\\+?[0-9]{4,15}");
        private final Pattern punctuation = Pattern.compile("[\\s().-]");

        @Override
        String normalise(String raw) {
            int colon = raw.indexOf(':');
            if (colon < 0) {
                return null;
            }
            String companyId = raw.substring(0, colon).strip();
            String phone = punctuation.matcher(raw.substring(colon + 1)).replaceAll("");
            if (!company.matcher(companyId).matches() || !number.matcher(phone).matches()) {
                return null;
            }
            return companyId + ":" + phone;
        }
    },

    /** An e-mail address, trimmed and case-folded whole (providers treat the local part case-blind). */
    EMAIL("an e-mail address: local@domain, no spaces, at most 254 characters (case is folded)") {
        private final Pattern shape = Pattern.compile("[^\\s@]{1,64}@[^\\s@]+\\.[^\\s@]+");

        @Override
        String normalise(String raw) {
            String folded = raw.strip().toLowerCase(Locale.ROOT);
            return folded.length() <= 254 && shape.matcher(folded).matches() ? folded : null;
        }
    },

    /** Taken as given, for ids that are already canonical: 1-128 of A-Z a-z 0-9 . _ : - , case kept. */
    EXACT("1-128 of A-Z a-z 0-9 . _ : - (case is kept)") {
        private final Pattern shape = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

        @Override
        String normalise(String raw) {
            return shape.matcher(raw).matches() ? raw : null;
        }
    };

    /** Longest input any normaliser reads: a bound on work and on what reaches a log line. */
    public static final int MAX_INPUT_LENGTH = 256;

    private final String rule;

    Normaliser(String rule) {
        this.rule = rule;
    }

    /** The canonical spelling, or null when the input is not a value of this kind. */
    abstract String normalise(String raw);

    /** What a valid value looks like, for the reason of a 400. */
    public String rule() {
        return rule;
    }

    /** The configured name, e.g. {@code slug}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
