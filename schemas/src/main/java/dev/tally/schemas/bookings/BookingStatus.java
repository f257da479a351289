package dev.tally.schemas.bookings;

/**
 * A booking holds its slots while BOOKED or HELD; a CANCELLED one keeps its id (a retry gets it) but no
 * slots. HELD is a segment of a composite booking whose coordinator has not decided yet: it takes its
 * slots like a booking, and only the coordinator confirms (BOOKED) or releases (CANCELLED) it.
 */
public enum BookingStatus {
    BOOKED,
    CANCELLED,
    HELD
}
