package dev.tally.schemas.claims;

/** Checks on free text that becomes part of a key or a stored record. */
final class Texts {

    private Texts() {
    }

    /**
     * Whether {@code text} is well-formed UTF-16 (no lone surrogate, which UTF-8 cannot carry: a key would
     * arrive as '?' and never match) and holds no control character.
     */
    static boolean isWellFormed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c)) {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
