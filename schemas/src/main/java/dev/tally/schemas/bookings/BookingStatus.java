package dev.tally.schemas.bookings;

/** A booking holds its slots while BOOKED; a CANCELLED one keeps its id (a retry gets it) but no slots. */
public enum BookingStatus {
    BOOKED,
    CANCELLED
}
