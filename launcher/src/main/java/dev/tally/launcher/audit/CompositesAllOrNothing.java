package dev.tally.launcher.audit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * I5: a composite booking is all or nothing once its decision is out. Replays the composites' decisions and
 * their coordinators' segment commands as the resource tasks decided them (request ids
 * {@code composite:<compositeId>:<index>:hold|confirm|release} on the bookings decisions topic), then checks:
 * a booked composite had every segment confirmed and none released by its coordinator; a refused or timed-out
 * one had none confirmed and every hold released; a hold of a composite with no decision yet was released.
 * A composite decided, or a hold taken, within the grace period is counted, not checked: its coordinator's
 * later commands may not be committed yet (or it has not timed out yet).
 */
final class CompositesAllOrNothing implements Check {

    private static final String BOOKED = "COMPOSITE_BOOKED";
    private static final String SEGMENT_PREFIX = "composite:";

    /** What the resource tasks did with one segment: where it was held, confirmed and released, if ever. */
    private static final class Segment {
        String held;
        long heldAt;
        String confirmed;
        String released;
    }

    private record Decided(String code, int segments, String position, long timestamp) {
    }

    private final long decidedBeforeMs;
    private final Map<String, Decided> composites = new HashMap<>();
    private final Map<String, Map<Integer, Segment>> segments = new HashMap<>();
    private long recent;
    private List<Violation> violations;

    /** @param decidedBeforeMs holds from this instant on may belong to composites still being decided */
    CompositesAllOrNothing(long decidedBeforeMs) {
        this.decidedBeforeMs = decidedBeforeMs;
    }

    @Override
    public List<String> topics() {
        return List.of("composites.decisions", "bookings.decisions");
    }

    @Override
    public void accept(LoggedRecord record) {
        String requestId = record.text("requestId");
        if (record.topic().endsWith("composites.decisions")) {
            String compositeId = record.text("compositeId");
            if (compositeId != null && !composites.containsKey(compositeId)) {
                composites.put(compositeId, new Decided(record.text("code"), record.body().path("segments").size(),
                        record.position(), record.timestamp()));
            }
        } else if (requestId != null && requestId.startsWith(SEGMENT_PREFIX)) {
            acceptSegment(record, requestId);
        }
    }

    /** A coordinator's command as a resource task decided it; ids split from the right (compositeIds may hold ':'). */
    private void acceptSegment(LoggedRecord record, String requestId) {
        int verbAt = requestId.lastIndexOf(':');
        int indexAt = requestId.lastIndexOf(':', verbAt - 1);
        if (indexAt <= SEGMENT_PREFIX.length()) {
            return;
        }
        String compositeId = requestId.substring(SEGMENT_PREFIX.length(), indexAt);
        int index;
        try {
            index = Integer.parseInt(requestId.substring(indexAt + 1, verbAt));
        } catch (NumberFormatException e) {
            return;
        }
        Segment segment = segments.computeIfAbsent(compositeId, c -> new HashMap<>())
                .computeIfAbsent(index, i -> new Segment());
        // The code counts only as the answer to its own command: a hold seen again after its release, say,
        // answers SEGMENT_RELEASED, which is no release.
        String verb = requestId.substring(verbAt + 1);
        switch (verb + "/" + record.text("code")) {
            case "hold/SEGMENT_HELD" -> {
                if (segment.held == null) {
                    segment.held = record.position();
                    segment.heldAt = record.timestamp();
                }
            }
            case "confirm/SEGMENT_CONFIRMED" -> segment.confirmed = record.position();
            case "release/SEGMENT_RELEASED" -> segment.released = record.position();
            default -> {
                // a refused hold, or a command answered as the segment stood: nothing taken or given back
            }
        }
    }

    @Override
    public String summary() {
        long booked = composites.values().stream().filter(d -> BOOKED.equals(d.code())).count();
        return String.format(Locale.ROOT,
                "I5 composites all or nothing: %,d decided (%,d booked, %,d not), %,d too recent to"
                        + " tell", composites.size(), booked, composites.size() - booked, violationsAndRecent());
    }

    private long violationsAndRecent() {
        violations();
        return recent;
    }

    @Override
    public List<Violation> violations() {
        if (violations == null) {
            violations = new ArrayList<>();
            composites.forEach(this::checkDecided);
            segments.forEach((compositeId, held) -> {
                if (!composites.containsKey(compositeId)) {
                    checkUndecided(compositeId, held);
                }
            });
        }
        return violations;
    }

    private void checkDecided(String compositeId, Decided decided) {
        if (decided.timestamp() >= decidedBeforeMs) {
            // Its confirms or releases may not be committed yet on the resources' partitions.
            recent++;
            return;
        }
        Map<Integer, Segment> held = segments.getOrDefault(compositeId, Map.of());
        if (BOOKED.equals(decided.code())) {
            for (int index = 0; index < decided.segments(); index++) {
                Segment segment = held.get(index);
                if (segment == null || segment.confirmed == null) {
                    violations.add(new Violation("I5", "composite '" + compositeId + "' booked without segment "
                            + index + " confirmed", List.of(decided.position())));
                } else if (segment.released != null) {
                    violations.add(new Violation("I5", "composite '" + compositeId + "' booked, but its coordinator"
                            + " released segment " + index, List.of(decided.position(), segment.released)));
                }
            }
        } else {
            held.forEach((index, segment) -> {
                if (segment.confirmed != null) {
                    violations.add(new Violation("I5", "composite '" + compositeId + "' not booked ("
                            + decided.code() + "), but segment " + index + " was confirmed",
                            List.of(decided.position(), segment.confirmed)));
                } else if (segment.held != null && segment.released == null) {
                    violations.add(new Violation("I5", "composite '" + compositeId + "' not booked ("
                            + decided.code() + "), but the hold of segment " + index + " was never released",
                            List.of(decided.position(), segment.held)));
                }
            });
        }
    }

    private void checkUndecided(String compositeId, Map<Integer, Segment> held) {
        boolean anyRecent = false;
        for (Map.Entry<Integer, Segment> entry : held.entrySet()) {
            Segment segment = entry.getValue();
            if (segment.held == null || segment.released != null) {
                continue;
            }
            if (segment.heldAt >= decidedBeforeMs) {
                anyRecent = true;
            } else {
                violations.add(new Violation("I5", "composite '" + compositeId + "' has no decision, and the hold of"
                        + " segment " + entry.getKey() + " was never released", List.of(segment.held)));
            }
        }
        if (anyRecent) {
            recent++;
        }
    }
}
