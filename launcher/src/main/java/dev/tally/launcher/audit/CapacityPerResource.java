package dev.tally.launcher.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * I2, slot by slot: whenever a booking or a composite's hold is taken (BOOKED, SEGMENT_HELD) or moved
 * (RESCHEDULED), the live bookings of each slot it takes never add up past the resource's capacity. Slots
 * come from the resource's calendar as its last RESOURCE_SET states it ({@link ResourceSlots}); a booking
 * keeps the slots it took. A capacity lowered under live bookings is not a violation: the engine keeps them
 * and says so.
 */
final class CapacityPerResource implements Check {

    private final Map<String, ResourceCalendar> calendars = new HashMap<>();
    private final Map<String, LiveBookings> live = new HashMap<>();
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
        LiveBookings bookings = live.computeIfAbsent(resource, r -> new LiveBookings());
        switch (code) {
            case "RESOURCE_SET" -> calendars.put(resource, ResourceCalendar.of(body));
            case "BOOKED", "SEGMENT_HELD", "RESCHEDULED" -> {
                taken++;
                ResourceCalendar calendar = calendars.get(resource);
                if (calendar == null) {
                    violations.add(new Violation("I2", "a booking of '" + resource + "', which has no capacity set",
                            List.of(record.position())));
                    return;
                }
                LiveBookings.Held held = calendar.held(booking, booking.path("quantity").asLong(), record.position());
                // A move (or a hold seen again) replaces the booking's slots.
                bookings.take(bookingId, held);
                check(resource, calendar.capacity(), held, bookings);
            }
            case "CANCELLED", "SEGMENT_RELEASED" -> {
                if (bookings.end(bookingId) != null) {
                    ended++;
                }
            }
            default -> {
                // Refusals, finds (ALREADY_BOOKED) and confirmations change nothing that is held.
            }
        }
    }

    /** Usage changes only in the slots the new booking took: checks those, reporting the first one past. */
    private void check(String resource, long capacity, LiveBookings.Held booking, LiveBookings bookings) {
        for (Instant slot : booking.slots()) {
            long inSlot = bookings.used(slot);
            if (inSlot > capacity) {
                violations.add(new Violation("I2", "'" + resource + "' holds " + inSlot + " of " + capacity
                        + " in the slot starting " + slot, bookings.positionsIn(slot)));
                return;
            }
        }
    }

    @Override
    public String summary() {
        return String.format(Locale.ROOT,
                "I2 capacity per resource and slot: %,d taken, %,d ended, %,d resources", taken, ended,
                calendars.size());
    }

    @Override
    public List<Violation> violations() {
        return violations;
    }
}
