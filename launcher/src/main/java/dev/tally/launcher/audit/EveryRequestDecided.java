package dev.tally.launcher.audit;

import dev.tally.contract.TallyHeaders;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * I4, the other half: every request on a request topic was answered. A write has a decision with its
 * request id on its domain's decisions topic (a retry shares the first one's; a request read without an id
 * is decided under its position); a record that could not be read has a dead letter naming its position.
 * Reads are answered to their caller only and not checked. Requests younger than the grace period may
 * still be on their way through the engine: they are counted, not reported.
 */
final class EveryRequestDecided implements Check {

    /** Each domain's request topic and the decisions topic its answers go to. */
    private static final Map<String, String> DECISIONS_OF = Map.of(
            "usage.requests", "usage.decisions",
            "claims.requests", "claims.decisions",
            "bookings.requests", "bookings.decisions",
            "composites.requests", "composites.decisions");
    private static final Set<String> READS = Set.of("read-usage", "read-entitlements", "read-claim",
            "read-availability");
    private static final String DEAD_LETTER = "dead-letter";
    /**
     * What a request is decided once by, per request topic: a composite by its compositeId (the same composite
     * under a new requestId gets the first decision by reply only); everything else by its requestId.
     */
    private static final Map<String, String> ID_FIELD = Map.of("composites.requests", "compositeId",
            "composites.decisions", "compositeId");

    private record Request(String decisionsTopic, String requestId, String position, long timestamp) {
    }

    private final String prefix;
    private final long decidedBeforeMs;
    private final List<Request> requests = new ArrayList<>();
    private final Map<String, Set<String>> decidedIds = new HashMap<>();
    private final Set<String> deadLettered = new HashSet<>();
    private long reads;
    private long copies;
    private long recent;
    private long answeredByDeadLetter;
    private List<Violation> violations;

    /**
     * @param prefix          the topic prefix, to tell the topics apart
     * @param decidedBeforeMs requests with a timestamp from this instant on may be undecided yet
     */
    EveryRequestDecided(String prefix, long decidedBeforeMs) {
        this.prefix = prefix;
        this.decidedBeforeMs = decidedBeforeMs;
    }

    @Override
    public List<String> topics() {
        List<String> topics = new ArrayList<>(DECISIONS_OF.keySet());
        topics.addAll(DECISIONS_OF.values());
        topics.add(DEAD_LETTER);
        return topics;
    }

    @Override
    public void accept(LoggedRecord record) {
        String topic = record.topic().substring(prefix.length());
        if (topic.equals(DEAD_LETTER)) {
            deadLettered.add(TallyHeaders.position(record.header(TallyHeaders.DLQ_TOPIC),
                    record.header(TallyHeaders.DLQ_PARTITION), record.header(TallyHeaders.DLQ_OFFSET)));
            // A re-routed copy that is dead-lettered answers for the original it was copied from.
            String original = record.header(TallyHeaders.REROUTED_FROM);
            if (original != null) {
                deadLettered.add(original);
            }
        } else if (DECISIONS_OF.containsKey(topic)) {
            acceptRequest(record, prefix + DECISIONS_OF.get(topic), idOf(record, topic));
        } else {
            String id = idOf(record, topic);
            if (id != null) {
                decidedIds.computeIfAbsent(record.topic(), t -> new HashSet<>()).add(id);
            }
        }
    }

    /** The id a request is decided once by, or its requestId where the domain's id is missing (then the default). */
    private static String idOf(LoggedRecord record, String topic) {
        String field = ID_FIELD.get(topic);
        String id = field == null ? null : record.text(field);
        return id != null ? id : record.text("requestId");
    }

    private void acceptRequest(LoggedRecord record, String decisionsTopic, String requestId) {
        if (record.header(TallyHeaders.REROUTED_FROM) != null) {
            copies++;
            return;
        }
        String type = record.text("type");
        // (Set.of refuses to look up null: a record without a type is a write that could not be read.)
        if (type != null && READS.contains(type)) {
            reads++;
            return;
        }
        requests.add(new Request(decisionsTopic, requestId != null ? requestId : record.position(),
                record.position(), record.timestamp()));
    }

    @Override
    public String summary() {
        List<Violation> missing = violations();
        return String.format(Locale.ROOT,
                "I4 every request answered: %,d writes (%,d dead-lettered, %,d too recent to tell,"
                        + " %,d undecided), %,d reads and %,d re-routed copies not checked",
                requests.size(), answeredByDeadLetter, recent, missing.size(), reads, copies);
    }

    @Override
    public List<Violation> violations() {
        if (violations == null) {
            violations = new ArrayList<>();
            for (Request request : requests) {
                if (decidedIds.getOrDefault(request.decisionsTopic(), Set.of()).contains(request.requestId())) {
                    continue;
                }
                if (deadLettered.contains(request.position())) {
                    answeredByDeadLetter++;
                } else if (request.timestamp() >= decidedBeforeMs) {
                    recent++;
                } else {
                    violations.add(new Violation("I4", "request '" + request.requestId() + "' has no decision on "
                            + request.decisionsTopic() + " and no dead letter", List.of(request.position())));
                }
            }
        }
        return violations;
    }
}
