package dev.tally.schemas.bookings;

/** Cancels a booking and frees its slots; with {@code expectedVersion}, only if the booking is still at it. */
public record CancelBooking(String requestId, String resource, String bookingId, Long expectedVersion)
        implements BookingRequest {

    public static final String TYPE = "cancel-booking";

    @Override
    public CancelBooking withRequestId(String id) {
        return new CancelBooking(id, resource, bookingId, expectedVersion);
    }
}
