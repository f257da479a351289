package dev.tally.launcher.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * I2, slot by slot: whenever a booking or a composite's hold is taken (BOOKED, SEGMENT_HELD) or moved
 * (RESCHEDULED), the live bookings of each slot it takes never add up past the resource's capacity. Slots
 * come from the resource's calendar as its last RESOURCE_SET states it ({@link ResourceSlots}); a booking
 * keeps the slots it took. A capacity lowered under live bookings is not a violation: the engine keeps them
 * and says so.
 */
final class CapacityPerResource implements Check {

    private record Calendar(long capacity, ResourceSlots slots) {
    }

    private record Held(Set<Instant> slots, long quantity, String position) {
    }

    private final Map<String, Calendar> calendars = new HashMap<>();
    /** Per resource, its live bookings by id. */
    private final Map<String, Map<String, Held>> live = new HashMap<>();
    /**
     * Per resource, the quantity its live bookings hold in each slot: kept as bookings come and go, so a new
     * booking is checked in its own slots without going over every live booking (a resource's log may hold
     * many thousands); those are read only to name the records behind a violation.
     */
    private final Map<String, Map<Instant, Long>> used = new HashMap<>();
    private final List<Violation> violations = new ArrayList<>();
    private long taken;
    private long ended;

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
        JsonNode body = record.body();
        JsonNode booking = body.path("booking");
        String bookingId = booking.path("bookingId").asText(null);
        Map<String, Held> bookings = live.computeIfAbsent(resource, r -> new HashMap<>());
        Map<Instant, Long> slotsUsed = used.computeIfAbsent(resource, r -> new HashMap<>());
        switch (code) {
            case "RESOURCE_SET" -> calendars.put(resource, new Calendar(body.path("capacity").asLong(),
                    ResourceSlots.of(body.path("slot").asText(), body.path("timezone").asText())));
            case "BOOKED", "SEGMENT_HELD", "RESCHEDULED" -> {
                taken++;
                Calendar calendar = calendars.get(resource);
                if (calendar == null) {
                    violations.add(new Violation("I2", "a booking of '" + resource + "', which has no capacity set",
                            List.of(record.position())));
                    return;
                }
                Held held = new Held(new LinkedHashSet<>(calendar.slots().touched(
                        Instant.parse(booking.path("from").asText()), Instant.parse(booking.path("to").asText()))),
                        booking.path("quantity").asLong(), record.position());
                // A move (or a hold seen again) replaces the booking's slots.
                release(slotsUsed, bookings.put(bookingId, held));
                held.slots().forEach(slot -> slotsUsed.merge(slot, held.quantity(), Long::sum));
                check(resource, calendar.capacity(), held, bookings, slotsUsed);
            }
            case "CANCELLED", "SEGMENT_RELEASED" -> {
                Held gone = bookings.remove(bookingId);
                if (gone != null) {
                    release(slotsUsed, gone);
                    ended++;
                }
            }
            default -> {
                // Refusals, finds (ALREADY_BOOKED) and confirmations change nothing that is held.
            }
        }
    }

    private static void release(Map<Instant, Long> slotsUsed, Held booking) {
        if (booking != null) {
            booking.slots().forEach(slot -> slotsUsed.merge(slot, -booking.quantity(), Long::sum));
        }
    }

    /** Usage changes only in the slots the new booking took: checks those, reporting the first one past. */
    private void check(String resource, long capacity, Held booking, Map<String, Held> bookings,
                       Map<Instant, Long> slotsUsed) {
        for (Instant slot : booking.slots()) {
            long inSlot = slotsUsed.get(slot);
            if (inSlot > capacity) {
                List<String> positions = bookings.values().stream().filter(held -> held.slots().contains(slot))
                        .map(Held::position).toList();
                violations.add(new Violation("I2", "'" + resource + "' holds " + inSlot + " of " + capacity
                        + " in the slot starting " + slot, positions));
                return;
            }
        }
    }

    @Override
    public String summary() {
        return String.format("I2 capacity per resource and slot: %,d taken, %,d ended, %,d resources", taken, ended,
                calendars.size());
    }

    @Override
    public List<Violation> violations() {
        return violations;
    }
}
