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
 * The other limits and capacities a what-if replays the decisions against, read from a text file of lines
 * {@code limit <workspace>[/<namespace>] <feature> <limit>} and {@code capacity <resource> <capacity>};
 * blank lines and lines starting with {@code #} are skipped. A limit names one scope (the workspace, or one
 * of its namespaces) and one feature, in every period; a capacity names one resource, in every slot.
 */
public final class WhatIfFile {

    private static final String EXPECTED = "expected 'limit <workspace>[/<namespace>] <feature> <limit>' or"
            + " 'capacity <resource> <capacity>'";

    private final Map<String, Long> limits;
    private final Map<String, Long> capacities;

    private WhatIfFile(Map<String, Long> limits, Map<String, Long> capacities) {
        this.limits = Map.copyOf(limits);
        this.capacities = Map.copyOf(capacities);
    }

    /** @throws IllegalArgumentException naming the line that is neither a limit nor a capacity */
    public static WhatIfFile parse(List<String> lines) {
        Map<String, Long> limits = new HashMap<>();
        Map<String, Long> capacities = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] words = line.split("\\s+");
            String where = "line " + (i + 1) + ": ";
            if (words[0].equals("limit") && words.length == 4) {
                String[] owner = words[1].split("/", 2);
                String scope = owner.length == 1 ? "workspace" : "namespace:" + owner[1];
                limits.put(limitKey(owner[0], scope, words[2]), wholeNumber(words[3], where + "the limit"));
            } else if (words[0].equals("capacity") && words.length == 3) {
                capacities.put(words[1], wholeNumber(words[2], where + "the capacity"));
            } else {
                throw new IllegalArgumentException(where + EXPECTED + ", got '" + line + "'");
            }
        }
        return new WhatIfFile(limits, capacities);
    }

    private static long wholeNumber(String text, String what) {
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            value = -1;
        }
        if (value < 0) {
            throw new IllegalArgumentException(what + " must be a whole number of at least 0, got '" + text + "'");
        }
        return value;
    }

    public static WhatIfFile read(Path file) {
        try {
            return parse(Files.readAllLines(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The limit this file sets for a scope ({@code workspace} or {@code namespace:<id>}) and feature, if any. */
    Optional<Long> limitOf(String workspace, String scope, String feature) {
        return Optional.ofNullable(limits.get(limitKey(workspace, scope, feature)));
    }

    /** The capacity this file sets for a resource, if any. */
    Optional<Long> capacityOf(String resource) {
        return Optional.ofNullable(capacities.get(resource));
    }

    public int limits() {
        return limits.size();
    }

    public int capacities() {
        return capacities.size();
    }

    private static String limitKey(String workspace, String scope, String feature) {
        return workspace + "|" + scope + "|" + feature;
    }
}
