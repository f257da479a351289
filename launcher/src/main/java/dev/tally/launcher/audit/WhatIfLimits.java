package dev.tally.launcher.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The other limits a what-if replays the usage decisions against, read from a text file of lines
 * {@code limit <workspace>[/<namespace>] <feature> <limit>}; blank lines and lines starting with {@code #}
 * are skipped. Each names one scope (the workspace, or one of its namespaces) and one feature, in every
 * period.
 */
public final class WhatIfLimits {

    private final Map<String, Long> limits;

    private WhatIfLimits(Map<String, Long> limits) {
        this.limits = Map.copyOf(limits);
    }

    /** @throws IllegalArgumentException naming the line that is not a limit */
    public static WhatIfLimits parse(List<String> lines) {
        Map<String, Long> limits = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] words = line.split("\\s+");
            if (words.length != 4 || !words[0].equals("limit")) {
                throw new IllegalArgumentException("line " + (i + 1) + ": expected 'limit <workspace>[/<namespace>]"
                        + " <feature> <limit>', got '" + line + "'");
            }
            long limit;
            try {
                limit = Long.parseLong(words[3]);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 0) {
                throw new IllegalArgumentException("line " + (i + 1) + ": the limit must be a whole number of at"
                        + " least 0, got '" + words[3] + "'");
            }
            String[] owner = words[1].split("/", 2);
            String scope = owner.length == 1 ? "workspace" : "namespace:" + owner[1];
            limits.put(key(owner[0], scope, words[2]), limit);
        }
        return new WhatIfLimits(limits);
    }

    public static WhatIfLimits read(Path file) {
        try {
            return parse(Files.readAllLines(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The limit this file sets for a scope ({@code workspace} or {@code namespace:<id>}) and feature, if any. */
    Optional<Long> limitOf(String workspace, String scope, String feature) {
        return Optional.ofNullable(limits.get(key(workspace, scope, feature)));
    }

    public int size() {
        return limits.size();
    }

    private static String key(String workspace, String scope, String feature) {
        return workspace + "|" + scope + "|" + feature;
    }
}
