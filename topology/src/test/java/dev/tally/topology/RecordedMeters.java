package dev.tally.topology;

import dev.tally.topology.engine.EngineMeters;
import java.util.ArrayList;
import java.util.List;

/**
 * Engine meters that keep every call, for tests to read what the engine counted. The launcher's
 * Micrometer meters turn each {@code decided} call into one count and one latency sample (wall clock less
 * the request's timestamp); here the call itself is the evidence. Test driver's thread only.
 */
public final class RecordedMeters implements EngineMeters {

    /** One {@code decided} call: a count of {@code code} in {@code domain}, timed from the request. */
    public record Decision(String domain, String code, long requestTimestampMs) {
    }

    /** One {@code event} call: a record that answers no user's request. */
    public record Event(String domain, String code) {
    }

    private final List<Decision> decisions = new ArrayList<>();
    private final List<Event> events = new ArrayList<>();

    @Override
    public void decided(String domain, String code, long requestTimestampMs) {
        decisions.add(new Decision(domain, code, requestTimestampMs));
    }

    @Override
    public void event(String domain, String code) {
        events.add(new Event(domain, code));
    }

    @Override
    public void deadLettered(String topic) {
    }

    public List<Decision> decisionsOf(String domain) {
        return decisions.stream().filter(d -> d.domain().equals(domain)).toList();
    }

    public List<Event> eventsOf(String domain) {
        return events.stream().filter(e -> e.domain().equals(domain)).toList();
    }
}
