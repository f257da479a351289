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

    /** Whether the booking takes its slots: booked, or held for a composite. */
    public boolean isLive() {
        return status == BookingStatus.BOOKED || status == BookingStatus.HELD;
    }

    public BookingState withStatus(BookingStatus newStatus) {
        return new BookingState(externalId, fromMs, toMs, quantity, userId, version + 1, newStatus, bookedAtMs);
    }

    public BookingState movedTo(long newFromMs, long newToMs) {
        return new BookingState(externalId, newFromMs, newToMs, quantity, userId, version + 1, status, bookedAtMs);
    }

    public BookingState cancelled() {
        return withStatus(BookingStatus.CANCELLED);
    }

    public Booking view(String resource, String bookingId) {
        return new Booking(resource, bookingId, externalId, Instant.ofEpochMilli(fromMs), Instant.ofEpochMilli(toMs),
                quantity, userId, version, status, Instant.ofEpochMilli(bookedAtMs));
    }
}
