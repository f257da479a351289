package dev.tally.launcher.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A resource's capacity and slots as its last RESOURCE_SET decision states them, and the slots a booking
 * takes in them: what the I2 check and the capacity what-if both read off the bookings' decisions.
 */
record ResourceCalendar(long capacity, ResourceSlots slots) {

    /** From a RESOURCE_SET decision's body. */
    static ResourceCalendar of(JsonNode resourceSet) {
        return new ResourceCalendar(resourceSet.path("capacity").asLong(),
                ResourceSlots.of(resourceSet.path("slot").asText(), resourceSet.path("timezone").asText()));
    }

    /** The same slots under another capacity (a what-if's). */
    ResourceCalendar withCapacity(long other) {
        return new ResourceCalendar(other, slots);
    }

    /** What a decision's {@code booking} object takes: its {@code [from, to)} with {@code quantity}. */
    LiveBookings.Held held(JsonNode booking, long quantity, String position) {
        return held(Instant.parse(booking.path("from").asText()), Instant.parse(booking.path("to").asText()),
                quantity, position);
    }

    LiveBookings.Held held(Instant from, Instant to, long quantity, String position) {
        return new LiveBookings.Held(slots.touched(from, to), quantity, position);
    }
}
