package dev.tally.launcher.testing;

import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Names unique to one test on the shared broker: a topic prefix (which also prefixes the engine's
 * application id, so its consumer group, transactional ids and changelogs are its own).
 */
public final class TestNames {

    private TestNames() {
    }

    /** E.g. {@code it.concurrent.k3x9q2.}: ends with a dot, like the default {@code tally.}. */
    public static String prefix(String test) {
        return "it." + test.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-") + "." + random(6) + ".";
    }

    public static String random(int length) {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder id = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            id.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
        }
        return id.toString();
    }
}
