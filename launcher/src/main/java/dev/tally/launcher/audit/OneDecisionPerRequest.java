package dev.tally.launcher.audit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * I4: at most one decision record per request id. A request id is scoped by its entity key (the
 * record key) and its domain's decisions topic; events (expiries) carry no request id and are not
 * counted. A retry is answered to its caller only, so a second record for an id is a second decision.
 */
final class OneDecisionPerRequest implements Check {

    // Composites before bookings: the audit reads topics in the order checks first name them, and a
    // composite's segment commands are committed after its decision, so reading bookings later sees more of them.
    private static final List<String> TOPICS = List.of("usage.decisions", "claims.decisions", "composites.decisions",
            "bookings.decisions");

    private final Map<String, String> firstPosition = new HashMap<>();
    private final List<Violation> violations = new ArrayList<>();
    private long decisions;
    private long events;

    @Override
    public List<String> topics() {
        return TOPICS;
    }

    @Override
    public void accept(LoggedRecord record) {
        String requestId = record.text("requestId");
        if (requestId == null) {
            events++;
            return;
        }
        decisions++;
        String id = record.topic() + "|" + record.key() + "|" + requestId;
        String first = firstPosition.putIfAbsent(id, record.position());
        if (first != null) {
            violations.add(new Violation("I4", "a second decision for requestId '" + requestId + "' of key '"
                    + record.key() + "'", List.of(first, record.position())));
        }
    }

    @Override
    public String summary() {
        return String.format(Locale.ROOT, "I4 one decision per request id: %,d decisions, %,d request ids, %,d events",
                decisions, firstPosition.size(), events);
    }

    @Override
    public List<Violation> violations() {
        return violations;
    }
}
