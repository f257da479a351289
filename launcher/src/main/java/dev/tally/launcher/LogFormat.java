package dev.tally.launcher;

import java.util.Map;

/**
 * Which log format a command runs with, chosen before anything logs: JSON lines for the deployables an
 * operator ships logs from ({@code engine}, {@code gateway}), plain text for what a person watches
 * ({@code dev}, {@code audit}, {@code bench}, {@code keys}). {@code TALLY_LOG_FORMAT=json|text} overrides
 * it; a {@code logback.configurationFile} given to the JVM wins over both.
 */
final class LogFormat {

    static final String ENV = "TALLY_LOG_FORMAT";
    static final String JSON_CONFIGURATION = "logback-json.xml";

    private LogFormat() {
    }

    /** Whether {@code args} should log JSON lines, given the environment. */
    static boolean json(String[] args, Map<String, String> env) {
        String chosen = env.get(ENV);
        if (chosen != null) {
            return chosen.equalsIgnoreCase("json");
        }
        return args.length > 0 && (args[0].equals("engine") || args[0].equals("gateway"));
    }

    /** Call first in {@code main}: Logback reads its configuration when the first logger is made. */
    static void apply(String[] args, Map<String, String> env) {
        if (json(args, env) && System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", JSON_CONFIGURATION);
        }
    }
}
