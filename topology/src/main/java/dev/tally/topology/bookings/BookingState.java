package dev.tally.topology.bookings;

import dev.tally.schemas.bookings.Booking;
import dev.tally.schemas.bookings.BookingStatus;
import java.time.Instant;

/** A booking as the engine stores it, under {@code resource|bookingId}; times in epoch milliseconds. */
public record BookingState(
        String externalId,
        long fromMs,
        long toMs,
        long quantity,
        String userId,
        long version,
        BookingStatus status,
        long bookedAtMs) {

    public boolean isLive() {
        return status == BookingStatus.BOOKED;
    }

    public BookingState movedTo(long newFromMs, long newToMs) {
        return new BookingState(externalId, newFromMs, newToMs, quantity, userId, version + 1, status, bookedAtMs);
    }

    public BookingState cancelled() {
        return new BookingState(externalId, fromMs, toMs, quantity, userId, version + 1, BookingStatus.CANCELLED,
                bookedAtMs);
    }

    public Booking view(String resource, String bookingId) {
        return new Booking(resource, bookingId, externalId, Instant.ofEpochMilli(fromMs), Instant.ofEpochMilli(toMs),
                quantity, userId, version, status, Instant.ofEpochMilli(bookedAtMs));
    }
}
