package dev.tally.gateway.auth;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads keys from text, one per line: {@code <name> sha256:<64 hex digits> <grant> [<grant>...]}, with
 * blank lines and {@code #} comments skipped ({@code tally keys new} prints such a line). Names and hashes
 * must be unique, so that a key's name in a log line names one key.
 */
public final class KeyLines {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Pattern HASH = Pattern.compile("sha256:[0-9a-f]{64}");

    private KeyLines() {
    }

    /** @throws IllegalArgumentException naming the line at fault ({@code where} says which text it is) */
    public static List<ApiKey> parse(List<String> lines, String where) {
        List<ApiKey> keys = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> hashes = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String at = where + " line " + (i + 1) + ": ";
            String[] words = line.split("\\s+");
            if (words.length < 3 || !NAME.matcher(words[0]).matches() || !HASH.matcher(words[1]).matches()) {
                throw new IllegalArgumentException(at + "expected '<name> sha256:<64 lowercase hex digits> <grant>"
                        + " [<grant>...]' (tally keys new prints one)");
            }
            List<Grant> grants = new ArrayList<>();
            for (int w = 2; w < words.length; w++) {
                try {
                    grants.add(Grant.parse(words[w]));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(at + e.getMessage(), e);
                }
            }
            if (words[0].startsWith(Tokens.CALLER_PREFIX)) {
                throw new IllegalArgumentException(at + "a key's name may not start with '" + Tokens.CALLER_PREFIX
                        + "': that names the caller of a token, in logs and rate limits");
            }
            String hash = words[1].substring("sha256:".length());
            if (!names.add(words[0]) || !hashes.add(hash)) {
                throw new IllegalArgumentException(at + "key '" + words[0] + "' or its hash is listed twice");
            }
            keys.add(new ApiKey(words[0], hash, grants));
        }
        return keys;
    }
}
