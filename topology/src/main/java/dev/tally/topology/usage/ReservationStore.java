package dev.tally.topology.usage;

import java.util.List;

/** Where reservations are kept, with an index by the time each is due (to expire, or to be forgotten). */
public interface ReservationStore {

    Reservation get(String workspace, String reservationId);

    /** Writes {@code after} and moves its index entry from {@code before}'s due time (null: new) to its own. */
    void put(String workspace, String reservationId, Reservation before, Reservation after);

    void delete(String workspace, String reservationId, Reservation before);

    /** Reservations due by {@code atMs}, earliest first, at most {@code max}. */
    List<Due> dueBy(long atMs, int max);

    /** A time no later than the earliest due time (it may be earlier), or Long.MAX_VALUE if none is due. */
    long earliestDueMs();

    record Due(String workspace, String reservationId, Reservation reservation) {
    }
}
