package dev.tally.launcher.audit;

import java.util.List;

/** An invariant the log breaks: which one, what was seen, and the records that show it. */
public record Violation(String invariant, String what, List<String> positions) {

    public Violation {
        positions = List.copyOf(positions);
    }

    @Override
    public String toString() {
        return invariant + ": " + what + " " + positions;
    }
}
