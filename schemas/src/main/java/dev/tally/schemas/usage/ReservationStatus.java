package dev.tally.schemas.usage;

/** Where a reservation is in its life: LIVE until it ends, once, in one of the three other ways. */
public enum ReservationStatus {
    LIVE,
    COMMITTED,
    RELEASED,
    EXPIRED
}
