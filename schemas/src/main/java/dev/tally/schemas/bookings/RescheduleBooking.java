package dev.tally.schemas.bookings;

/**
 * Moves a booking to {@code [from, to)} in one step: if the new range does not fit, the booking keeps its
 * old one. With {@code expectedVersion}, only if the booking is still at it.
 */
public record RescheduleBooking(String requestId, String resource, String bookingId, String from, String to,
                                Long expectedVersion) implements BookingRequest {

    public static final String TYPE = "reschedule-booking";

    @Override
    public RescheduleBooking withRequestId(String id) {
        return new RescheduleBooking(id, resource, bookingId, from, to, expectedVersion);
    }
}
