package dev.tally.topology.bookings;

import dev.tally.schemas.bookings.SlotSize;
import java.time.ZoneId;

/**
 * A resource as the engine stores it.
 *
 * @param liveBookings bookings not cancelled: while any lives, the slot size and zone stay as they are,
 *                     because the slot usage is counted in them
 */
public record ResourceState(long capacity, SlotSize slot, String timezone, long liveBookings) {

    public SlotCalendar calendar() {
        return new SlotCalendar(slot, ZoneId.of(timezone));
    }

    public ResourceState withLiveBookings(long count) {
        return new ResourceState(capacity, slot, timezone, count);
    }
}
