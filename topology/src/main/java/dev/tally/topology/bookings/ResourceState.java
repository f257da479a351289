package dev.tally.topology.bookings;

import dev.tally.schemas.bookings.SlotSize;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A resource as the engine stores it.
 *
 * @param liveBookings bookings not cancelled: while any lives, the slot size and zone stay as they are,
 *                     because the slot usage is counted in them
 */
public record ResourceState(long capacity, SlotSize slot, String timezone, long liveBookings) {

    /** Calendars are immutable and few (one per slot size and zone), so each is built once. */
    private static final Map<String, SlotCalendar> CALENDARS = new ConcurrentHashMap<>();

    public SlotCalendar calendar() {
        return CALENDARS.computeIfAbsent(slot.toJson() + " " + timezone,
                k -> new SlotCalendar(slot, ZoneId.of(timezone)));
    }

    public ResourceState withLiveBookings(long count) {
        return new ResourceState(capacity, slot, timezone, count);
    }
}
