package dev.tally.launcher.audit;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One resource's live bookings and holds, by booking id, and the quantity they hold in each slot, kept as
 * bookings come, move and go: a new booking is checked in its own slots without going over every live one
 * (a resource's log may hold many thousands).
 */
final class LiveBookings {

    /** A booking's slots and quantity, and where its last record sits (null when the caller has none). */
    record Held(List<Instant> slots, long quantity, String position) {
    }

    private final Map<String, Held> byId = new HashMap<>();
    private final Map<Instant, Long> used = new HashMap<>();

    /** Takes the booking's slots, giving back the ones its id held before (a move, a hold seen again). */
    void take(String bookingId, Held booking) {
        release(byId.put(bookingId, booking));
        booking.slots().forEach(slot -> used.merge(slot, booking.quantity(), Long::sum));
    }

    /** Ends the booking; returns it if it was live, else null. */
    Held end(String bookingId) {
        Held gone = byId.remove(bookingId);
        release(gone);
        return gone;
    }

    Held live(String bookingId) {
        return byId.get(bookingId);
    }

    long used(Instant slot) {
        return used.getOrDefault(slot, 0L);
    }

    /** Whether {@code booking} fits every slot under {@code capacity}, not counting {@code own} again. */
    boolean fits(Held booking, long capacity, Held own) {
        // A set: a move spans up to 1,000 slots, and each is looked up in the ones it had.
        Set<Instant> ownSlots = own == null ? Set.of() : new HashSet<>(own.slots());
        for (Instant slot : booking.slots()) {
            long others = used(slot) - (ownSlots.contains(slot) ? own.quantity() : 0);
            if (others + booking.quantity() > capacity) {
                return false;
            }
        }
        return true;
    }

    /** Where the live bookings that hold the slot sit: what a violation names. */
    List<String> positionsIn(Instant slot) {
        return byId.values().stream().filter(held -> held.slots().contains(slot)).map(Held::position).toList();
    }

    private void release(Held booking) {
        if (booking != null) {
            booking.slots().forEach(slot -> used.merge(slot, -booking.quantity(), Long::sum));
        }
    }
}
