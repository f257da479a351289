package dev.tally.schemas.bookings;

import java.time.Instant;

/**
 * A booking as callers see it.
 *
 * @param version 1 when booked; every reschedule and the cancel add one. Changes may name the version
 *                they expect, so that two changes racing cannot both apply
 */
public record Booking(
        String resource,
        String bookingId,
        String externalId,
        Instant from,
        Instant to,
        long quantity,
        String userId,
        long version,
        BookingStatus status,
        Instant bookedAt) {
}
