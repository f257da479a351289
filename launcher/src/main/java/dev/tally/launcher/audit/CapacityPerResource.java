package dev.tally.launcher.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * I2, in a form that needs no calendar: when a booking or a composite's hold is taken (BOOKED,
 * SEGMENT_HELD) or moved (RESCHEDULED), the live bookings of its resource that overlap it in time never
 * add up past the resource's capacity at any instant. Bookings that overlap in time share a slot, so
 * every violation found is one of I2; bookings that only share a slot (09:15-09:30 and 09:45-10:00 on
 * hourly slots) are not compared, so this check finds fewer violations than a slot-by-slot one would.
 * A capacity lowered under live bookings is not a violation: the engine keeps them and says so.
 */
final class CapacityPerResource implements Check {

    private final Map<String, Long> capacities = new HashMap<>();
    private final Map<String, Map<String, Held>> live = new HashMap<>();
    private final List<Violation> violations = new ArrayList<>();
    private long taken;
    private long ended;

    private record Held(Instant from, Instant to, long quantity, String position) {
        boolean covers(Instant at) {
            return !at.isBefore(from) && at.isBefore(to);
        }
    }

    @Override
    public List<String> topics() {
        return List.of("bookings.decisions");
    }

    @Override
    public void accept(LoggedRecord record) {
        String code = record.text("code");
        String resource = record.text("resource");
        if (code == null || resource == null) {
            return;
        }
        JsonNode booking = record.body().path("booking");
        String bookingId = booking.path("bookingId").asText(null);
        Map<String, Held> bookings = live.computeIfAbsent(resource, r -> new HashMap<>());
        switch (code) {
            case "RESOURCE_SET" -> capacities.put(resource, record.body().path("capacity").asLong());
            case "BOOKED", "SEGMENT_HELD", "RESCHEDULED" -> {
                taken++;
                Held held = new Held(Instant.parse(booking.path("from").asText()),
                        Instant.parse(booking.path("to").asText()), booking.path("quantity").asLong(),
                        record.position());
                bookings.put(bookingId, held);
                check(resource, held, bookings);
            }
            case "CANCELLED", "SEGMENT_RELEASED" -> {
                if (bookings.remove(bookingId) != null) {
                    ended++;
                }
            }
            default -> {
                // Refusals, finds (ALREADY_BOOKED) and confirmations change nothing that is held.
            }
        }
    }

    /** Usage changes only where a booking starts: checking the new one's start and every start inside it. */
    private void check(String resource, Held booking, Map<String, Held> bookings) {
        Long capacity = capacities.get(resource);
        if (capacity == null) {
            violations.add(new Violation("I2", "a booking of '" + resource + "', which has no capacity set",
                    List.of(booking.position())));
            return;
        }
        List<Instant> points = new ArrayList<>();
        points.add(booking.from());
        for (Held other : bookings.values()) {
            if (booking.covers(other.from())) {
                points.add(other.from());
            }
        }
        for (Instant point : points) {
            long used = 0;
            List<String> positions = new ArrayList<>();
            for (Held held : bookings.values()) {
                if (held.covers(point)) {
                    used += held.quantity();
                    positions.add(held.position());
                }
            }
            if (used > capacity) {
                violations.add(new Violation("I2", "'" + resource + "' holds " + used + " of " + capacity + " at "
                        + point, positions));
                return;
            }
        }
    }

    @Override
    public String summary() {
        return String.format("I2 capacity per resource (bookings overlapping in time): %,d taken, %,d ended,"
                + " %,d resources", taken, ended, capacities.size());
    }

    @Override
    public List<Violation> violations() {
        return violations;
    }
}
