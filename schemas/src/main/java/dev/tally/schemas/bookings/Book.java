package dev.tally.schemas.bookings;

/**
 * Books {@code quantity} of a resource over every slot the range {@code [from, to)} touches, all or none.
 * {@code from} and {@code to} are ISO dates ({@code 2026-10-18}) or local date-times
 * ({@code 2026-10-18T09:00}) in the resource's time zone, or instants with an offset.
 *
 * @param bookingId  the booking's id; absent, the requestId is used
 * @param externalId another system's id for the booking (a calendar's): a second booking with it gets
 *                   the first
 */
public record Book(
        String requestId,
        String resource,
        String bookingId,
        String externalId,
        String from,
        String to,
        Long quantity,
        String userId) implements BookingRequest {

    public static final String TYPE = "book";

    @Override
    public Book withRequestId(String id) {
        return new Book(id, resource, bookingId, externalId, from, to, quantity, userId);
    }

    /** The id the booking is stored under. */
    public String effectiveBookingId() {
        return bookingId != null ? bookingId : requestId;
    }
}
