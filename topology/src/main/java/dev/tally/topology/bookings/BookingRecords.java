package dev.tally.topology.bookings;

import java.time.Instant;
import java.util.List;

/**
 * Where {@link BookingLedger} keeps a resource's state: its definition, its bookings by id and by
 * external id, and what is booked per slot. An interface so that the rules are tested without Kafka; the
 * engine's implementation is {@link StoreBookings}.
 */
public interface BookingRecords {

    ResourceState resource(String resource);

    void putResource(String resource, ResourceState state);

    BookingState booking(String resource, String bookingId);

    void putBooking(String resource, String bookingId, BookingState state);

    /** The bookingId booked under {@code externalId}, or null. */
    String bookingIdOf(String resource, String externalId);

    void putExternalId(String resource, String externalId, String bookingId);

    void deleteExternalId(String resource, String externalId);

    /** What is booked in the slot starting at {@code slotStart}; 0 when nothing is. */
    long used(String resource, Instant slotStart);

    void putUsed(String resource, Instant slotStart, long used);

    /** Slots of the resource with something booked, in time order, at most {@code max}. */
    List<Slot> bookedSlots(String resource, int max);

    /** A slot's start and what is booked in it. */
    record Slot(Instant start, long used) {
    }
}
